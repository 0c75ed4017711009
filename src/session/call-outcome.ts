import type { OcppVersion, Payload, PayloadProblem, RpcErrorCode } from '../protocol/index.js';

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

/** A frame of the peer this side cannot process: a broken frame, or a well-framed CALL of an unknown action or with a payload that breaks its schema. */
export interface FaultyCall {
  frame: 'broken' | 'call';
  /** The code the OCPP-J rule names for the fault (its 2.0.1 name). */
  errorCode: RpcErrorCode;
  /** False when the rule owes the frame no answer (OCPP-J 1.6 §4.1.3: an unknown message type; any broken response). */
  owed: boolean;
  /** The message id the rule's CALLERROR carries (the CALL's, or "-1"). */
  messageId: string;
  /** The message id as it was read, also when it is no valid id; absent when it could not be read. */
  readId?: string;
  action?: string;
  description: string;
}

/** How a faulty frame is answered: a CALLERROR (the code as sent on the wire), nothing, a closed connection, or processed as if valid (a well-framed CALL only). */
export type FaultyCallAnswer =
  | { answer: 'callerror'; errorCode: string; messageId: string }
  | { answer: 'none' }
  | { answer: 'close' }
  | { answer: 'process' };

/** Replaces the OCPP-J rule for faulty frames (the references' fault injection); undefined keeps the rule. */
export type FaultyCallPolicy = (call: FaultyCall, version: OcppVersion) => FaultyCallAnswer | undefined;

/** True for a handler's reply that is still to come. */
export function isPromiseLike(value: CallReply | PromiseLike<CallReply>): value is PromiseLike<CallReply> {
  return typeof (value as { then?: unknown }).then === 'function';
}

/** The CALLERROR that answers a CALL whose handler threw. */
export function handlerFailure(error: unknown): CallReply {
  return { error: 'InternalError', description: `harness handler failed: ${(error as Error).message}` };
}
