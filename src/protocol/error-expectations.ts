import { createFinding, type Finding } from './findings.js';
import { answerIdOf, parseFrame, type FrameProblem } from './frame.js';
import { isAnswerOwed } from './frame-findings.js';
import { MessageType } from './message-type.js';
import { isWireErrorCode, wireErrorCode, type RpcErrorCode } from './rpc-errors.js';
import type { SchemaRegistry } from './schemas.js';
import type { OcppVersion } from './versions.js';

/** A CALL that broke a rule, and the error codes whose meaning fits the fault (wire spelling). */
export interface ErrorExpectation {
  /** What was wrong with the CALL, e.g. 'action "Foo" is not defined in OCPP 2.0.1'. */
  fault: string;
  codes: readonly string[];
  /** When true a CALLRESULT is wrong as well (the receiver cannot have processed the CALL). */
  resultIsWrong: boolean;
}

// OCPP-J 2.0.1 §4.3 Table 8 (1.6 §4.2.3 Table 7): the codes that describe a payload fault.
const PAYLOAD_CODES: readonly RpcErrorCode[] = [
  'FormatViolation', 'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'TypeConstraintViolation', 'ProtocolError',
];
// The codes that describe a frame that is not a valid RPC message at all.
const FRAMING_CODES: readonly RpcErrorCode[] = ['RpcFrameworkError', 'FormatViolation', 'ProtocolError'];

function spelled(version: OcppVersion, codes: readonly RpcErrorCode[]): string[] {
  return [...new Set(codes.map((code) => wireErrorCode(version, code)))];
}

/**
 * What an answer to a well-framed CALL must say when the CALL is at fault: NotImplemented for an
 * action the version does not define ("not known by receiver"; NotSupported means known but not
 * supported), a payload code for a payload that breaks its schema. Undefined for a valid CALL.
 * `schemaValid`, when given, is the outcome of validating the payload already.
 */
export function expectationOfCall(registry: SchemaRegistry, action: string, payload: unknown, schemaValid?: boolean): ErrorExpectation | undefined {
  const version = registry.version;
  if (!registry.hasAction(action)) {
    return { fault: `action "${action}" is not defined in OCPP ${version}`, codes: [wireErrorCode(version, 'NotImplemented')], resultIsWrong: true };
  }
  // A caller that has validated the payload already says how it went (validation is the costly part).
  if (schemaValid ?? !registry.validate(action, 'request', payload)) return undefined;
  return { fault: `${action} payload breaks its schema`, codes: spelled(version, PAYLOAD_CODES), resultIsWrong: false };
}

/**
 * What an answer to a broken CALL must say: MessageTypeNotSupported for an unknown message type
 * (OCPP-J 2.0.1 §4.4), a framing code otherwise. Undefined when the frame is owed no answer.
 */
export function expectationOfBrokenFrame(version: OcppVersion, problem: FrameProblem): ErrorExpectation | undefined {
  if (problem.reply !== 'callerror') return undefined;
  const codes = problem.errorCode === 'MessageTypeNotSupported' ? ['MessageTypeNotSupported'] : spelled(version, FRAMING_CODES);
  return { fault: problem.description, codes, resultIsWrong: true };
}

/** Judges the answer to a CALL that was at fault; `errorCode` is undefined for a CALLRESULT. */
export function checkAnswerToFaultyCall(
  version: OcppVersion,
  expectation: ErrorExpectation,
  errorCode: string | undefined,
  messageId: string,
): Finding[] {
  const expected = expectation.codes.join(' or ');
  if (errorCode === undefined) {
    if (!expectation.resultIsWrong) return [];
    return [createFinding(version, 'callerror-code-unexpected', `CALLRESULT answers a faulty CALL (${expectation.fault}); expected CALLERROR ${expected}`, messageId)];
  }
  // A code the version does not define is callerror-invalid already; one finding says it.
  if (expectation.codes.includes(errorCode) || !isWireErrorCode(version, errorCode)) return [];
  return [createFinding(version, 'callerror-code-unexpected', `CALLERROR ${errorCode} answers a faulty CALL (${expectation.fault}); expected ${expected}`, messageId)];
}

/** What the receiver of an invalid frame owes its sender, by the rules above. */
export interface OwedAnswer extends ErrorExpectation {
  /** False when the version owes the frame no answer (OCPP-J 1.6 §4.1.3, §4.2.3): it is ignored. */
  owed: boolean;
  /** The message id the CALLERROR carries: the CALL's, or "-1" (see answerIdOf). */
  messageId: string;
}

/**
 * The answer a frame sent on purpose invalid is owed (a negative test): for a broken frame, the
 * framing rule above, with "-1" where its id is unusable; for a well-framed CALL, the call rule,
 * always as a CALLERROR (OCPP-J 2.0.1 §4.1.7; 1.6 §4.2.3 and its errata §3.3). Undefined for a
 * frame that breaks no rule, or that is no CALL at all.
 */
export function answerOwedTo(registry: SchemaRegistry, text: string): OwedAnswer | undefined {
  const parsed = parseFrame(text, registry.version);
  if (!parsed.ok) {
    const { problem } = parsed;
    const expectation = expectationOfBrokenFrame(registry.version, problem) ?? { fault: problem.description, codes: [], resultIsWrong: true };
    return { ...expectation, owed: isAnswerOwed(registry.version, problem), messageId: answerIdOf(problem) };
  }
  const { frame } = parsed;
  if (frame.type !== MessageType.Call) return undefined;
  const expectation = expectationOfCall(registry, frame.action, frame.payload);
  return expectation && { ...expectation, resultIsWrong: true, owed: true, messageId: frame.messageId };
}
