import type { Payload } from '../../protocol/index.js';
import type { CallOutcome } from '../../session/index.js';
import type { BootReason, Registration } from './context.js';
import type { TimerSlot, Timers } from './timers.js';

/** What the boot cycle needs from the station. */
export interface BootCycleDeps {
  call: (action: string, payload: Payload) => Promise<CallOutcome>;
  bootRequest: (reason: BootReason) => Payload;
  timers: Timers;
  bootRetryS: number;
  /** behaviour:boot-before-interval */
  hurry: boolean;
  /** behaviour:messages-while-pending */
  chatWhilePending: boolean;
  onAccepted: (reason: BootReason, intervalS: number) => void;
}

/**
 * The BootNotification exchange (B01-B03, OCPP 1.6 §4.2): boots after every (re)boot, retries a
 * Pending or Rejected boot after the interval the CSMS gave, and remembers the registration.
 */
export class BootCycle {
  registration: Registration = 'Unknown';
  /** Why the station last (re)booted: reported until a boot is accepted. */
  private reason: BootReason = 'PowerUp';
  private readonly retry: TimerSlot;
  private firstAnswer: (() => void) | undefined;
  private readonly answered: Promise<void>;
  private exchange: Promise<void> | undefined;

  constructor(private readonly deps: BootCycleDeps) {
    this.retry = deps.timers.slot();
    this.answered = new Promise((resolve) => (this.firstAnswer = resolve));
  }

  /** Resolves once the first BootNotification got an answer (or the station stopped). */
  whenFirstAnswered(): Promise<void> {
    return this.answered;
  }

  /** Releases a `whenFirstAnswered` waiter (on stop). */
  release(): void {
    this.firstAnswer?.();
  }

  /** The station rebooted: it is no longer registered and boots again on the next connection. */
  rebooted(reason: BootReason): void {
    this.registration = 'Unknown';
    this.reason = reason;
    this.retry.clear();
  }

  /**
   * The BootNotification exchange in progress, if any. A CALL from the CSMS may arrive in the same
   * read as the answer to the boot: it is judged once that answer is applied (B02.FR.01, B03.FR.08).
   */
  inFlight(): Promise<void> | undefined {
    return this.exchange;
  }

  /** Sends a BootNotification; `Triggered` reports the TriggerMessage as the reason (F06). */
  async boot(triggered = false): Promise<void> {
    const exchange = this.send(triggered);
    this.exchange = exchange;
    try {
      await exchange;
    } finally {
      if (this.exchange === exchange) this.exchange = undefined;
    }
  }

  private async send(triggered: boolean): Promise<void> {
    this.retry.clear();
    const outcome = await this.deps.call('BootNotification', this.deps.bootRequest(triggered ? 'Triggered' : this.reason));
    if (outcome.kind === 'closed') return;
    this.firstAnswer?.();
    const status = outcome.kind === 'result' ? String(outcome.payload['status']) : undefined;
    const intervalS = outcome.kind === 'result' ? Number(outcome.payload['interval'] ?? 0) : 0;
    if (status === 'Accepted') {
      this.registration = 'Accepted';
      this.deps.onAccepted(this.reason, intervalS);
      return;
    }
    if (status === 'Pending' || status === 'Rejected') this.registration = status;
    this.scheduleRetry(intervalS);
    if (status === 'Pending' && this.deps.chatWhilePending) void this.deps.call('Heartbeat', {});
  }

  private scheduleRetry(intervalS: number): void {
    // B02.FR.07/08, B03.FR.05/06, OCPP 1.6 §4.2: wait the interval, or a delay of our own when it is 0.
    const delayS = intervalS > 0 ? intervalS : this.deps.bootRetryS;
    this.retry.set((this.deps.hurry ? delayS / 10 : delayS) * 1000, () => this.boot());
  }
}
