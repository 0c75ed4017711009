import { createFinding, type Finding } from './findings.js';
import { MessageType } from './message-type.js';
import { isWireErrorCode } from './rpc-errors.js';
import type { CallErrorFrame, FrameProblem } from './frame.js';
import type { OcppVersion } from './versions.js';

/** The finding for a frame that failed parsing, named after the check it failed. */
export function findingOfFrameProblem(version: OcppVersion, problem: FrameProblem): Finding {
  const code = problem.findingCode ?? (problem.errorCode === 'MessageTypeNotSupported' ? 'message-type-unknown'
    : problem.description.startsWith('message id') ? 'message-id-invalid'
    : problem.messageType === MessageType.CallError || problem.messageType === MessageType.CallResultError ? 'callerror-invalid'
    : 'frame-invalid');
  return createFinding(version, code, problem.description, problem.messageId);
}

/**
 * Whether the sender of a broken frame is owed a CALLERROR. OCPP-J 2.0.1 and 2.1 §4.1.7 and §4.2.3:
 * every invalid CALL is answered, with "-1" as id when the id cannot be read. OCPP-J 1.6 §4.2.3
 * answers only a CALL that was received as one, so a frame whose id cannot be read is owed nothing.
 */
export function isAnswerOwed(version: OcppVersion, problem: FrameProblem): boolean {
  if (problem.reply !== 'callerror') return false;
  return version !== '1.6' || problem.messageId !== undefined;
}

/** Checks what parsing leaves open in an error frame: a known code and a description of at most 255 characters (OCPP-J §4.2.3, §4.3). */
export function checkErrorFrame(frame: CallErrorFrame, version: OcppVersion): Finding[] {
  const findings: Finding[] = [];
  if (!isWireErrorCode(version, frame.errorCode)) {
    findings.push(createFinding(version, 'callerror-invalid', `error code "${frame.errorCode}" is not an OCPP ${version} RPC error code`, frame.messageId));
  }
  if (frame.errorDescription.length > 255) {
    findings.push(createFinding(version, 'callerror-invalid', `error description has ${frame.errorDescription.length} characters, at most 255 are allowed`, frame.messageId));
  }
  return findings;
}
