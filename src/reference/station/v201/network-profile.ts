import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { StationContext } from '../context.js';
import { splitList, type DeviceModel } from './device-model.js';

/** The network connection profiles the CSMS stored, by configuration slot (B09), per station. */
const stored = new WeakMap<StationContext, Map<number, Payload>>();

/** The profile stored in a slot, if any. */
export function networkProfile(context: StationContext, slot: number): Payload | undefined {
  return stored.get(context)?.get(slot);
}

/** SetNetworkProfile (B09): validates the profile, then stores it in its slot. */
export function setNetworkProfile(model: DeviceModel, context: StationContext, payload: Payload): CallReply {
  const slot = Number(payload['configurationSlot']);
  const data = (payload['connectionData'] ?? {}) as Payload;
  const problem = invalidity(model, slot, data);
  if (problem) return { payload: { status: 'Rejected', statusInfo: { reasonCode: problem.code, additionalInfo: problem.info } } };
  let slots = stored.get(context);
  if (!slots) stored.set(context, (slots = new Map()));
  // B09.FR.01: valid content is stored and Accepted; it is used once NetworkConfigurationPriority names the slot.
  slots.set(slot, data);
  return { payload: { status: 'Accepted' } };
}

function invalidity(model: DeviceModel, slot: number, data: Payload): { code: string; info: string } | undefined {
  // B09.FR.05: the slot must be one of the valuesList of NetworkConfigurationPriority.
  const slots = splitList(model.all().find((definition) => definition.variable.name === 'NetworkConfigurationPriority')?.valuesList ?? '');
  if (!slots.includes(String(slot))) return { code: 'InvalidValue', info: `configurationSlot ${slot} is not one of ${slots.join(',')}` };
  // B09.FR.04: never a lower security profile than the one in use.
  const securityProfile = Number(data['securityProfile']);
  if (securityProfile < model.integer('SecurityCtrlr', 'SecurityProfile')) return { code: 'InvalidValue', info: 'securityProfile lower than SecurityCtrlr.SecurityProfile' };
  // B09.FR.02: the rest of the content must make sense: a WebSocket URL, a known security profile.
  if (!/^wss?:\/\/[^\s/]+/.test(String(data['ocppCsmsUrl'] ?? ''))) return { code: 'InvalidURL', info: 'ocppCsmsUrl is not a ws:// or wss:// URL' };
  if (!Number.isInteger(securityProfile) || securityProfile < 0 || securityProfile > 3) return { code: 'InvalidValue', info: 'securityProfile is not 0 to 3' };
  return undefined;
}
