import type { OcppVersion } from './versions.js';

/**
 * RPC framework error codes under their OCPP 2.0.1 names. Each version spells them its own way on
 * the wire: use `wireErrorCode` to send one and `readErrorCode` to read one.
 */
export type RpcErrorCode =
  | 'FormatViolation'
  | 'GenericError'
  | 'InternalError'
  | 'MessageTypeNotSupported'
  | 'NotImplemented'
  | 'NotSupported'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'ProtocolError'
  | 'RpcFrameworkError'
  | 'SecurityError'
  | 'TypeConstraintViolation';

// OCPP-J 2.0.1 §4.3 Table 8; OCPP-J 2.1 keeps the same list.
const CODES_2X: readonly string[] = [
  'FormatViolation', 'GenericError', 'InternalError', 'MessageTypeNotSupported', 'NotImplemented',
  'NotSupported', 'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'ProtocolError',
  'RpcFrameworkError', 'SecurityError', 'TypeConstraintViolation',
];

/** True for a code under its 2.0.1 name, the name the harness uses inside (`RpcErrorCode`). */
export function isRpcErrorCode(code: string): code is RpcErrorCode {
  return CODES_2X.includes(code);
}

// OCPP-J 1.6 §4.2.3. The errata sheet (§5.1, §5.2) keeps the misspelt "OccurenceConstraintViolation"
// and "FormationViolation" on purpose: they are the wire values every 1.6 implementation uses.
const CODES_16: readonly string[] = [
  'NotImplemented', 'NotSupported', 'InternalError', 'ProtocolError', 'SecurityError',
  'FormationViolation', 'PropertyConstraintViolation', 'OccurenceConstraintViolation',
  'TypeConstraintViolation', 'GenericError',
];

// 1.6 has no RpcFrameworkError nor MessageTypeNotSupported: a broken frame is a FormationViolation
// ("not conform the PDU structure"), an unknown message type is ignored (OCPP-J 1.6 §4.1.3).
const WIRE_16: Partial<Record<RpcErrorCode, string>> = {
  FormatViolation: 'FormationViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  RpcFrameworkError: 'FormationViolation',
  MessageTypeNotSupported: 'NotSupported',
};

/** The error codes a version allows in a CALLERROR, in wire spelling. */
export function errorCodesOf(version: OcppVersion): readonly string[] {
  return version === '1.6' ? CODES_16 : CODES_2X;
}

/** True when the code is allowed on the wire by the version. */
export function isWireErrorCode(version: OcppVersion, code: string): boolean {
  return errorCodesOf(version).includes(code);
}

/** The wire spelling of an error code in the given version. */
export function wireErrorCode(version: OcppVersion, code: RpcErrorCode): string {
  return version === '1.6' ? (WIRE_16[code] ?? code) : code;
}

/** A short description for a CALLERROR, at most 255 characters (OCPP-J 2.0.1 §4.2.3, Table 7). */
export function errorDescription(text: string): string {
  return text.length <= 255 ? text : `${text.slice(0, 252)}...`;
}
