import type { Payload } from '../../protocol/index.js';
import type { CallOutcome } from '../../session/index.js';
import type { CsmsContext } from './context.js';

/**
 * A01: after a station answers a SetVariables of SecurityCtrlr.BasicAuthPassword Accepted, the
 * CSMS takes the new password as the station's and no longer admits the old one (A01.FR.03); any
 * other answer leaves the old one in force (A01.FR.04). `behaviour:new-password-refused` never
 * takes the new one, so the station is turned away when it comes back with it;
 * `behaviour:new-password-assumed` takes it whatever the answer, turning away the old one.
 */
export function adoptPasswordIfAccepted(context: CsmsContext, stationId: string, action: string, payload: Payload, outcome: CallOutcome): void {
  if (action !== 'SetVariables' || outcome.kind !== 'result' || context.behaviours.has('new-password-refused')) return;
  const items = (payload['setVariableData'] ?? []) as Array<{ variable?: { name?: unknown }; attributeValue?: unknown }>;
  const results = (outcome.payload['setVariableResult'] ?? []) as Array<{ variable?: { name?: unknown }; attributeStatus?: unknown }>;
  const item = items.find((candidate) => candidate.variable?.name === 'BasicAuthPassword');
  const result = results.find((candidate) => candidate.variable?.name === 'BasicAuthPassword');
  const accepted = result?.attributeStatus === 'Accepted' || context.behaviours.has('new-password-assumed');
  if (typeof item?.attributeValue !== 'string' || !accepted) return;
  context.admission.setPassword(stationId, item.attributeValue);
}
