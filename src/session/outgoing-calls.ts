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
 * order. One timer serves the CALL on the wire; nothing else is allocated per call.
 */
export class OutgoingCalls {
  private readonly queue: QueuedCall[] = [];
  private current: QueuedCall | undefined;
  private timer: NodeJS.Timeout | undefined;

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
    this.timer = setTimeout(() => this.expire(call), call.timeoutMs);
  }

  /** Ends the CALL on the wire when `messageId` is its id; returns the next CALL to send, if any. */
  settle(messageId: string, outcome: CallOutcome): { settled: boolean; next?: QueuedCall } {
    const call = this.current;
    if (!call || call.messageId !== messageId) return { settled: false };
    clearTimeout(this.timer);
    this.current = undefined;
    call.resolve(outcome);
    return { settled: true, ...this.takeNext() };
  }

  /** Resolves every CALL, on the wire or queued, with the outcome (used when the connection closes). */
  settleAll(outcome: (call: QueuedCall) => CallOutcome): void {
    clearTimeout(this.timer);
    const all = this.current ? [this.current, ...this.queue] : [...this.queue];
    this.current = undefined;
    this.queue.length = 0;
    for (const call of all) call.resolve(outcome(call));
  }

  private expire(call: QueuedCall): void {
    if (this.current !== call) return;
    this.onTimeout(call);
  }

  private takeNext(): { next?: QueuedCall } {
    const next = this.queue.shift();
    return next ? { next } : {};
  }
}
