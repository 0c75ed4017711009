import type { Payload } from '../protocol/index.js';
import type { CallOutcome } from './call-outcome.js';

/** A CALL waiting for its turn or for its answer. */
export interface QueuedCall {
  action: string;
  payload: Payload;
  timeoutMs: number;
  resolve: (outcome: CallOutcome) => void;
  /** Set once the CALL is on the wire. */
  messageId?: string;
}

/**
 * Our side's CALLs: at most one on the wire at a time (OCPP-J 2.0.1 §4.1.1), the rest queued in
 * order. One lazily re-armed timer watches the deadline of the CALL on the wire, so a quick
 * answer costs no timer of its own.
 */
export class OutgoingCalls {
  private readonly queue: QueuedCall[] = [];
  private current: QueuedCall | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerDueMs = 0;
  private deadlineMs = 0;

  constructor(private readonly onTimeout: (call: QueuedCall) => void) {}

  /** The CALL on the wire, if any. */
  get inFlight(): QueuedCall | undefined {
    return this.current;
  }

  /** Adds a CALL; returns it when it may go on the wire now. */
  enqueue(call: QueuedCall): QueuedCall | undefined {
    if (this.current) {
      this.queue.push(call);
      return undefined;
    }
    return call;
  }

  /** Marks a CALL as sent and arms its timeout. */
  markSent(call: QueuedCall, messageId: string): void {
    call.messageId = messageId;
    this.current = call;
    this.deadlineMs = performance.now() + call.timeoutMs;
    if (!this.timer || this.timerDueMs > this.deadlineMs) this.arm(call.timeoutMs);
  }

  /** Ends the CALL on the wire when `messageId` is its id; returns the next CALL to send, if any. */
  settle(messageId: string, outcome: CallOutcome): { settled: boolean; next?: QueuedCall } {
    const call = this.current;
    if (!call || call.messageId !== messageId) return { settled: false };
    this.current = undefined;
    call.resolve(outcome);
    return { settled: true, ...this.takeNext() };
  }

  /** Resolves every CALL, on the wire or queued, with the outcome (used when the connection closes). */
  settleAll(outcome: (call: QueuedCall) => CallOutcome): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const all = this.current ? [this.current, ...this.queue] : [...this.queue];
    this.current = undefined;
    this.queue.length = 0;
    for (const call of all) call.resolve(outcome(call));
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    this.timerDueMs = performance.now() + delayMs;
    this.timer = setTimeout(() => this.checkDeadline(), delayMs);
    this.timer.unref();
  }

  private checkDeadline(): void {
    this.timer = undefined;
    const call = this.current;
    if (!call) return;
    const remainingMs = this.deadlineMs - performance.now();
    if (remainingMs > 0) this.arm(remainingMs);
    else this.onTimeout(call);
  }

  private takeNext(): { next?: QueuedCall } {
    const next = this.queue.shift();
    return next ? { next } : {};
  }
}
