import type { Payload } from '../../protocol/index.js';
import type { CallOutcome } from '../../session/index.js';
import type { SecurityProfile } from '../../transport/index.js';
import type { CsmsContext } from './context.js';
import type { StationRecord } from './csms-state.js';

/**
 * A05, the CSMS's part of a security profile upgrade. A station that accepts a higher profile,
 * 2.0.1 as a network connection profile (SetNetworkProfile, A05.FR.04 on its side), 1.6 as the
 * SecurityProfile key (ChangeConfiguration, whitepaper A05.FR.05), is expected at that profile.
 * Once it has connected with it, the CSMS admits it at no lower profile (2.0.1 A05.FR.07,
 * whitepaper A05.FR.09): every endpoint of the CSMS shares the admission book that says so.
 * `behaviour:accepts-lower-profile-after-upgrade` never raises the bar.
 */
export function expectUpgradeIfAccepted(station: StationRecord, action: string, payload: Payload, outcome: CallOutcome): void {
  if (outcome.kind !== 'result' || outcome.payload['status'] !== 'Accepted') return;
  const profile = requestedProfile(action, payload);
  if (profile === undefined || !SECURITY_PROFILES.includes(profile) || profile <= (station.connectedProfile ?? 0)) return;
  station.upgradeTo = Math.max(profile, station.upgradeTo ?? 0) as SecurityProfile;
}

/** A station connected at an endpoint of `profile`: an upgrade it was to make is now complete. */
export function noteConnectionProfile(context: CsmsContext, station: StationRecord, profile: SecurityProfile): void {
  station.connectedProfile = profile;
  if (station.upgradeTo === undefined || profile < station.upgradeTo) return;
  station.upgradeTo = undefined;
  if (!context.behaviours.has('accepts-lower-profile-after-upgrade')) context.admission.raiseProfileFloor(station.stationId, profile);
}

const SECURITY_PROFILES: readonly number[] = [1, 2, 3];

/** The security profile a request asks the station to move to, if it asks one. */
function requestedProfile(action: string, payload: Payload): number | undefined {
  if (action === 'ChangeConfiguration') {
    return payload['key'] === 'SecurityProfile' && typeof payload['value'] === 'string' ? Number.parseInt(payload['value'], 10) : undefined;
  }
  if (action !== 'SetNetworkProfile') return undefined;
  const profile = (payload['connectionData'] as { securityProfile?: unknown } | undefined)?.securityProfile;
  return typeof profile === 'number' ? profile : undefined;
}
