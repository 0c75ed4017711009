import { rootCertificateProblem } from '../../../pki/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { StationContext } from '../context.js';
import type { EndpointPlan } from '../csms-connection.js';
import type { SecurityProfile } from '../../../transport/index.js';
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
  const problem = invalidity(model, context, slot, data);
  if (problem) return { payload: { status: 'Rejected', statusInfo: { reasonCode: problem.code, additionalInfo: problem.info } } };
  let slots = stored.get(context);
  if (!slots) stored.set(context, (slots = new Map()));
  // B09.FR.01: valid content is stored and Accepted; it is used once NetworkConfigurationPriority names the slot.
  slots.set(slot, data);
  return { payload: { status: 'Accepted' } };
}

/**
 * Where the station connects after a (re)boot (B10): the slots of NetworkConfigurationPriority in
 * order, each with its stored profile's URL; slot 0 without a stored profile is the endpoint the
 * station was delivered with. Each gets NetworkProfileConnectionAttempts attempts (B10.FR.03).
 */
export function endpointPlan(model: DeviceModel, context: StationContext): EndpointPlan {
  // behaviour:ignore-network-priority: always the delivered endpoint (breaks B10.FR.04).
  const priority = context.hasFault('ignore-network-priority') ? '0' : model.value('OCPPCommCtrlr', 'NetworkConfigurationPriority');
  const candidates = splitList(priority).flatMap((text) => {
    const slot = Number(text);
    const url = networkProfile(context, slot)?.['ocppCsmsUrl'] ?? (slot === 0 ? context.options.endpoint : undefined);
    return typeof url === 'string' ? [withUpgradeFault(model, context, { slot, url, securityProfile: slotSecurityProfile(context, slot) })] : [];
  });
  return {
    candidates: candidates.length > 0 ? candidates : [{ slot: 0, url: context.options.endpoint, securityProfile: deliveredProfile(context) }],
    // behaviour:no-profile-fallback: never gives up on the first entry (breaks B10.FR.03).
    attemptsEach: context.hasFault('no-profile-fallback') ? Number.POSITIVE_INFINITY : model.integer('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts'),
  };
}

/**
 * behaviour:upgrade-keeps-old-profile (breaks A05.FR.05): a profile of a higher security profile
 * than SecurityCtrlr.SecurityProfile is tried at the current one: below 2 over plain ws (its
 * wss:// URL taken as ws://), at 2 without a client certificate.
 */
function withUpgradeFault(model: DeviceModel, context: StationContext, candidate: EndpointPlan['candidates'][number]): EndpointPlan['candidates'][number] {
  const current = model.integer('SecurityCtrlr', 'SecurityProfile') as SecurityProfile;
  if (!context.hasFault('upgrade-keeps-old-profile') || (candidate.securityProfile ?? 0) <= current) return candidate;
  return { ...candidate, securityProfile: current, url: current < 2 ? candidate.url.replace(/^wss:/, 'ws:') : candidate.url };
}

/** The security profile a slot's network profile names; slot 0 without one is the delivered endpoint, at the delivered profile. */
function slotSecurityProfile(context: StationContext, slot: number): SecurityProfile {
  const stored = networkProfile(context, slot)?.['securityProfile'];
  return stored === undefined ? deliveredProfile(context) : (Number(stored) as SecurityProfile);
}

function deliveredProfile(context: StationContext): SecurityProfile {
  return context.options.security?.profile ?? 0;
}

/**
 * A05.FR.06: connected with a network profile whose security profile is higher than
 * SecurityCtrlr.SecurityProfile, the station takes it as its security profile, removes the
 * profiles of lower ones and leaves their slots out of NetworkConfigurationPriority, so it never
 * falls back to them (A05: never downgrade). True when the priority changed.
 */
export function adoptSecurityProfile(model: DeviceModel, context: StationContext, slot: number): boolean {
  const profile = slotSecurityProfile(context, slot);
  if (profile <= model.integer('SecurityCtrlr', 'SecurityProfile')) return false;
  // behaviour:security-profile-not-updated keeps reporting the old profile (breaks A05.FR.06).
  if (!context.hasFault('security-profile-not-updated')) model.set({ name: 'SecurityCtrlr' }, { name: 'SecurityProfile' }, String(profile), 'Actual', { ignoreReadOnly: true });
  // behaviour:lower-profiles-kept keeps them, to fall back to (breaks A05.FR.06).
  if (context.hasFault('lower-profiles-kept')) return false;
  const priority = splitList(model.value('OCPPCommCtrlr', 'NetworkConfigurationPriority'));
  const slots = stored.get(context);
  for (const storedSlot of [...(slots?.keys() ?? [])]) {
    if (slotSecurityProfile(context, storedSlot) < profile) slots?.delete(storedSlot);
  }
  const kept = priority.filter((text) => slotSecurityProfile(context, Number(text)) >= profile);
  model.set({ name: 'OCPPCommCtrlr' }, { name: 'NetworkConfigurationPriority' }, kept.join(','), 'Actual', { ignoreReadOnly: true });
  // behaviour:upgrade-fallback-kept goes on trying the endpoints it had, the lower ones too (breaks A05.FR.06).
  return !context.hasFault('upgrade-fallback-kept');
}

/**
 * Device action `restoreSecurityProfile` (the clean-up after TC_A_19_CS): what a lab does by other
 * means than OCPP, since the station never downgrades over OCPP (A05): the delivered security
 * profile, endpoint and NetworkConfigurationPriority again, no stored network profiles.
 */
export function restoreDeliveredNetwork(model: DeviceModel, context: StationContext): void {
  stored.get(context)?.clear();
  model.set({ name: 'SecurityCtrlr' }, { name: 'SecurityProfile' }, String(deliveredProfile(context)), 'Actual', { ignoreReadOnly: true });
  model.set({ name: 'OCPPCommCtrlr' }, { name: 'NetworkConfigurationPriority' }, '0', 'Actual', { ignoreReadOnly: true });
}

function invalidity(model: DeviceModel, context: StationContext, slot: number, data: Payload): { code: string; info: string } | undefined {
  // B09.FR.05: the slot must be one of the valuesList of NetworkConfigurationPriority.
  const slots = splitList(model.all().find((definition) => definition.variable.name === 'NetworkConfigurationPriority')?.valuesList ?? '');
  if (!slots.includes(String(slot))) return { code: 'InvalidValue', info: `configurationSlot ${slot} is not one of ${slots.join(',')}` };
  // B09.FR.04: never a lower security profile than the one in use.
  const securityProfile = Number(data['securityProfile']);
  // behaviour:accept-downgrade: takes it anyway (breaks B09.FR.04, A05).
  if (securityProfile < model.integer('SecurityCtrlr', 'SecurityProfile') && !context.hasFault('accept-downgrade')) return { code: 'InvalidValue', info: 'securityProfile lower than SecurityCtrlr.SecurityProfile' };
  // B09.FR.02: the rest of the content must make sense: a WebSocket URL, a known security profile.
  if (!/^wss?:\/\/[^\s/]+/.test(String(data['ocppCsmsUrl'] ?? ''))) return { code: 'InvalidURL', info: 'ocppCsmsUrl is not a ws:// or wss:// URL' };
  if (!Number.isInteger(securityProfile) || securityProfile < 0 || securityProfile > 3) return { code: 'InvalidValue', info: 'securityProfile is not 0 to 3' };
  return undefined;
}

/**
 * Why a NetworkConfigurationPriority may not be set (A05): it names a slot whose profile raises the
 * security profile to 2 or 3 without a valid CSMS root installed (A05.FR.02), or to 3 without a
 * station certificate (A05.FR.03). Undefined when the upgrade's prerequisites are met (A05.FR.04).
 */
export function upgradeProblem(model: DeviceModel, context: StationContext, priority: string, hasStationCertificate: boolean): string | undefined {
  const current = model.integer('SecurityCtrlr', 'SecurityProfile');
  const raised = splitList(priority).map((slot) => Number(networkProfile(context, Number(slot))?.['securityProfile'] ?? current)).filter((profile) => profile > current);
  if (raised.length === 0) return undefined;
  const validRoot = context.state.certificates.ofTypes(['CSMSRootCertificate']).some((root) => rootCertificateProblem(root.pem, context.now()) === undefined);
  if (raised.some((profile) => profile >= 2) && !validRoot && !context.hasFault('upgrade-without-csms-root')) return 'no valid CSMSRootCertificate installed for a higher security profile (A05.FR.02)';
  if (raised.includes(3) && !hasStationCertificate && !context.hasFault('upgrade-without-station-certificate')) return 'no valid ChargingStationCertificate installed for security profile 3 (A05.FR.03)';
  return undefined;
}
