import type { Payload } from '../../protocol/index.js';
import type { CallOutcome } from '../../session/index.js';
import type { Release } from '../exchanges.js';
import type { TimerSlot, Timers } from './timers.js';

/** One transaction-related message waiting for delivery. */
export interface TxMessage {
  action: string;
  /** Built at the first attempt: an OCPP 1.6 StopTransaction needs the id the CSMS gave at the start. */
  build: () => Payload;
  /** Called with the CSMS's answer. */
  onResult?: (payload: Payload) => void;
  /** Called when the station goes offline while the message is not yet delivered (E11.FR.07). */
  onOffline?: () => void;
}

/** What the queue needs from the station. */
export interface TxQueueDeps {
  call: (action: string, payload: Payload) => Promise<CallOutcome>;
  /** Online and accepted (B01.FR.08: nothing but BootNotification before that). */
  canSend: () => boolean;
  /** MessageAttempts(TransactionEvent) / TransactionMessageAttempts. */
  attempts: () => number;
  /** MessageAttemptInterval(TransactionEvent) / TransactionMessageRetryInterval, in seconds. */
  retryIntervalS: () => number;
  /** behaviour:no-retry-on-timeout: an unanswered message is dropped, not retried. */
  noRetryOnTimeout?: boolean;
  /** behaviour:queue-without-waiting: every queued message goes out at once, none waiting for the previous answer. */
  withoutWaiting?: boolean;
  timers: Timers;
  /** Holds the message as part of the exchange of the control action that queued it (see ExchangeTracker). */
  hold: (what: string) => Release;
}

interface Entry {
  message: TxMessage;
  payload?: Payload;
  failures: number;
  /** Ends the message's part in the exchange that queued it: delivered, dropped, or waiting for later. */
  release: Release;
}

/**
 * Transaction-related messages in chronological order (OCPP 1.6 §3.7, E04.FR.01/02): queued
 * while offline, delivered one by one once online, retried when the CSMS fails to process one
 * (OCPP 1.6 §3.7.1, E13.FR.02-04), never overtaken by a newer one.
 */
export class TransactionQueue {
  private readonly entries: Entry[] = [];
  private running = false;
  private readonly retry: TimerSlot;
  private readonly drained = new Set<() => void>();

  constructor(private readonly deps: TxQueueDeps) {
    this.retry = deps.timers.slot();
  }

  /** Messages not yet delivered. */
  get length(): number {
    return this.entries.length;
  }

  /** Adds a message at the end and delivers it when its turn comes. */
  enqueue(message: TxMessage): void {
    this.entries.push({ message, failures: 0, release: this.deps.hold(message.action) });
    this.pump();
  }

  /** behaviour:queue-out-of-order: the messages not yet tried change to newest first. */
  reverseUntried(): void {
    const tried = this.entries.filter((entry) => entry.payload !== undefined);
    const untried = this.entries.filter((entry) => entry.payload === undefined).reverse();
    this.entries.splice(0, this.entries.length, ...tried, ...untried);
  }

  /** The connection was lost: every message not yet delivered learns it (E11.FR.07). */
  markOffline(): void {
    for (const entry of this.entries) entry.message.onOffline?.();
  }

  /** Resumes delivery (after a reconnect or a boot acceptance). */
  pump(): void {
    if (this.running) return;
    if (this.retry.isSet || !this.deps.canSend()) return this.releaseWaiting();
    this.running = true;
    this.deps.timers.run(() => this.deliver());
  }

  /** Resolves true once the queue is empty, or false after `timeoutMs`. */
  whenEmpty(timeoutMs: number): Promise<boolean> {
    if (this.entries.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (empty: boolean) => {
        clearTimeout(timer);
        this.drained.delete(onDrained);
        resolve(empty);
      };
      const onDrained = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.drained.add(onDrained);
    });
  }

  private async deliver(): Promise<void> {
    try {
      if (this.deps.withoutWaiting && this.deps.canSend()) return await this.deliverAllAtOnce();
      while (this.entries.length > 0 && this.deps.canSend()) {
        const entry = this.entries[0]!;
        entry.payload ??= entry.message.build();
        const outcome = await this.deps.call(entry.message.action, entry.payload);
        if (outcome.kind === 'closed') return;
        if (outcome.kind === 'result') {
          this.entries.shift();
          entry.message.onResult?.(outcome.payload);
          entry.release();
          continue;
        }
        // E13.FR.02: no answer within MessageTimeout is a failure too, retried like a CALLERROR.
        if (outcome.kind === 'timeout' && this.deps.noRetryOnTimeout) {
          this.entries.shift();
          entry.release();
          continue;
        }
        if (this.onFailure(entry)) return;
      }
    } finally {
      this.running = false;
      this.releaseWaiting();
      if (this.entries.length === 0) for (const notify of [...this.drained]) notify();
    }
  }

  /** behaviour:queue-without-waiting: sends the whole queue back to back (OCPP-J §4.1.1 wants one CALL at a time), no retries. */
  private async deliverAllAtOnce(): Promise<void> {
    const batch = this.entries.splice(0);
    const outcomes = batch.map((entry) => this.deps.call(entry.message.action, (entry.payload ??= entry.message.build())));
    for (const [i, entry] of batch.entries()) {
      const outcome = await outcomes[i]!;
      if (outcome.kind === 'result') entry.message.onResult?.(outcome.payload);
      entry.release();
    }
  }

  /** Messages that wait (offline, not accepted, a retry pending) are no longer part of the exchange that queued them. */
  private releaseWaiting(): void {
    for (const entry of this.entries) entry.release();
  }

  /** Returns true when delivery pauses for a retry; a message past its last attempt is dropped. */
  private onFailure(entry: Entry): boolean {
    entry.failures++;
    if (entry.failures >= Math.max(1, this.deps.attempts())) {
      this.entries.shift();
      entry.release();
      return false;
    }
    // OCPP 1.6 §3.7.1 / E13.FR.03: wait the interval times the number of transmissions so far.
    this.retry.set(this.deps.retryIntervalS() * 1000 * entry.failures, () => this.pump());
    return true;
  }
}
