import type { Payload, PayloadProblem } from '../protocol/index.js';

/** How one of our CALLs ended. A CALLERROR or a timeout is an outcome, never an exception. */
export type CallOutcome =
  | { kind: 'result'; messageId: string; payload: Payload; problem?: PayloadProblem }
  | { kind: 'error'; messageId: string; errorCode: string; errorDescription: string; errorDetails: Payload }
  | { kind: 'timeout'; messageId: string; timeoutMs: number }
  | { kind: 'closed'; messageId?: string };

/** A CALL received from the peer, after framing and schema checks. */
export interface IncomingCall {
  messageId: string;
  action: string;
  payload: Payload;
  /** Set when the payload broke its schema and the session was told to deliver it anyway. */
  problem?: PayloadProblem;
}

/** How to answer a peer's CALL: with a payload, with a CALLERROR, or (to inject a fault) not at all. */
export type CallReply =
  | { payload: Payload }
  | { error: string; description?: string; details?: Payload }
  | { noReply: true };

/** Answers a peer's CALL; may take its time (a test step may be waiting for an operator). */
export type CallHandler = (call: IncomingCall) => CallReply | Promise<CallReply>;
