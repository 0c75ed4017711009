import { createFinding, type Finding } from './findings.js';
import type { FrameProblem } from './frame.js';
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
