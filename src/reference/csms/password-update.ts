import type { Payload } from '../../protocol/index.js';
import type { CallOutcome } from '../../session/index.js';
import type { CsmsContext } from './context.js';

/**
 * A01: after a station accepts a new Basic-auth password, the CSMS takes it as the station's and
 * no longer admits the old one (A01.FR.03); any other answer leaves the old one in force
 * (A01.FR.04). 2.0.1 sets it with SetVariables of SecurityCtrlr.BasicAuthPassword, the 1.6
 * security whitepaper with ChangeConfiguration of the AuthorizationKey key (whitepaper A01.FR.02),
 * whose value is the password as the station sends it in its Authorization header (§2.3).
 * `behaviour:new-password-refused` never takes the new one, so the station is turned away when it
 * comes back with it; `behaviour:new-password-assumed` takes it whatever the answer, turning away
 * the old one.
 */
export function adoptPasswordIfAccepted(context: CsmsContext, stationId: string, action: string, payload: Payload, outcome: CallOutcome): void {
  if (outcome.kind !== 'result' || context.behaviours.has('new-password-refused')) return;
  const change = passwordChange(action, payload, outcome.payload);
  if (!change) return;
  const accepted = change.status === 'Accepted' || context.behaviours.has('new-password-assumed');
  if (accepted) context.admission.setPassword(stationId, change.password);
}

/** The password a request sets and the station's status for it, or undefined when it sets none. */
function passwordChange(action: string, request: Payload, answer: Payload): { password: string; status: unknown } | undefined {
  if (action === 'ChangeConfiguration') {
    return request['key'] === 'AuthorizationKey' && typeof request['value'] === 'string' ? { password: request['value'], status: answer['status'] } : undefined;
  }
  if (action !== 'SetVariables') return undefined;
  const items = (request['setVariableData'] ?? []) as Array<{ variable?: { name?: unknown }; attributeValue?: unknown }>;
  const results = (answer['setVariableResult'] ?? []) as Array<{ variable?: { name?: unknown }; attributeStatus?: unknown }>;
  const item = items.find((candidate) => candidate.variable?.name === 'BasicAuthPassword');
  const result = results.find((candidate) => candidate.variable?.name === 'BasicAuthPassword');
  return typeof item?.attributeValue === 'string' ? { password: item.attributeValue, status: result?.attributeStatus } : undefined;
}
