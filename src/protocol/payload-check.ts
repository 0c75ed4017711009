import { createFinding, type Finding } from './findings.js';
import type { RpcErrorCode } from './rpc-errors.js';
import { describeViolations, schemasOf, type PayloadKind, type SchemaRegistry, type SchemaViolation } from './schemas.js';
import type { OcppVersion } from './versions.js';

/** A payload that broke the rules: the finding to record and the CALLERROR that answers it. */
export interface PayloadProblem {
  finding: Finding;
  errorCode: RpcErrorCode;
  description: string;
  violations: SchemaViolation[];
}

/**
 * Checks the action and payload of a request, or the payload of a response to `action`.
 * Returns undefined when both are valid. OCPP-J 2.0.1 §4.1.7: a message is valid only when its
 * action is known and its payload meets the schema. `nestingChecked`: the caller knows the payload
 * nests no deeper than MAX_PAYLOAD_DEPTH (it comes from a frame parseFrame accepted).
 */
export function checkPayload(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
  payload: unknown,
  messageId?: string,
  nestingChecked = false,
): PayloadProblem | undefined {
  return checkPayloadWith(schemasOf(version), action, kind, payload, messageId, nestingChecked);
}

/** As `checkPayload`, with a registry the caller already holds (sessions keep theirs). */
export function checkPayloadWith(
  registry: SchemaRegistry,
  action: string,
  kind: PayloadKind,
  payload: unknown,
  messageId?: string,
  nestingChecked = false,
): PayloadProblem | undefined {
  const version = registry.version;
  if (!registry.hasAction(action)) {
    const description = `action "${action}" is not defined in OCPP ${version}`;
    return { finding: createFinding(version, 'action-unknown', description, messageId), errorCode: 'NotImplemented', description, violations: [] };
  }
  const violations = registry.validate(action, kind, payload, nestingChecked);
  if (!violations) return undefined;
  const description = `${action} ${kind}: ${describeViolations(violations)}`;
  const code = violations[0]!.keyword === 'nesting' ? 'nesting-too-deep' : 'schema-violation';
  const finding = createFinding(version, code, description, messageId);
  return { finding, errorCode: violations[0]!.errorCode, description, violations };
}
