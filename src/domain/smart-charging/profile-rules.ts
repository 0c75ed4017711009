import type { OcppVersion } from '../../protocol/index.js';
import { installedFromSetChargingProfile, profileFromWire, ProfileFormatError, type ChargingProfile, type InstalledProfile } from './profile.js';

/** The requests in which a CSMS sends a charging profile. */
export type ProfileCarryingAction = 'SetChargingProfile' | 'RequestStartTransaction' | 'RemoteStartTransaction';

/** A charging profile a CSMS sent, with where it goes: what the rules below judge. */
interface SentProfile {
  version: OcppVersion;
  action: ProfileCarryingAction;
  /** The EVSE (1.6: connector) the request names; undefined when a start request names none. */
  evseId: number | undefined;
  wire: Record<string, unknown>;
  profile: ChargingProfile;
}

/** What the station held when the request came, and when it came (epoch ms). */
export interface StationAtRequest {
  held?: readonly InstalledProfile[];
  /** Absent validFrom means "from when the station received it" (ChargingProfileType); default: the earliest time. */
  at?: number;
}

type Rule = (sent: SentProfile, station: Required<StationAtRequest>) => string | undefined;
type Json = Record<string, unknown>;

const list = (value: unknown): Json[] => (Array.isArray(value) ? value as Json[] : value === undefined ? [] : [value as Json]);
const schedulesOf = (sent: SentProfile): Json[] => list(sent.wire['chargingSchedule']);
const periodsOf = (schedule: Json): Json[] => list(schedule['chargingSchedulePeriod']);
const purposeText = (sent: SentProfile): string => String(sent.wire['chargingProfilePurpose']);
const startsTransaction = (sent: SentProfile): boolean => sent.action !== 'SetChargingProfile';
// Both valid at some moment from the request on (K01.FR.36/37; what lies before it never clashes).
const overlaps = (held: ChargingProfile, sent: ChargingProfile, at: number): boolean =>
  Math.max(at, held.validFrom ?? -Infinity, sent.validFrom ?? -Infinity) < Math.min(held.validTo ?? Infinity, sent.validTo ?? Infinity);

/**
 * What Part 2 asks of a charging profile the CSMS sends (2.0.1 ids; 1.6 §3.13, §5.11, §5.16 and
 * §7.8 say the same where the rule exists there). Each rule names the requirement it checks.
 */
const RULES: readonly Rule[] = [
  // K01.FR.34: outside an ISO 15118 negotiation, one schedule.
  (sent) => (sent.version !== '1.6' && schedulesOf(sent).length !== 1 ? `K01.FR.34: ${schedulesOf(sent).length} chargingSchedules, not one` : undefined),
  (sent) => {
    const first = schedulesOf(sent).map((schedule) => periodsOf(schedule)[0]?.['startPeriod']).find((start) => start !== 0);
    return first === undefined ? undefined : `K01.FR.31: the first chargingSchedulePeriod starts at ${JSON.stringify(first)} s, not 0`;
  },
  (sent) => {
    const unordered = schedulesOf(sent).some((schedule) => periodsOf(schedule).some((period, index, periods) => index > 0 && Number(period['startPeriod']) <= Number(periods[index - 1]?.['startPeriod'])));
    return unordered ? 'K01.FR.35: the chargingSchedulePeriods are not in increasing order of startPeriod' : undefined;
  },
  (sent) => (sent.profile.kind !== 'Relative' && schedulesOf(sent).some((schedule) => schedule['startSchedule'] === undefined)
    ? `K01.FR.40: a ${sent.profile.kind} profile without startSchedule` : undefined),
  (sent) => (sent.profile.kind === 'Relative' && schedulesOf(sent).some((schedule) => schedule['startSchedule'] !== undefined)
    ? 'K01.FR.41: a Relative profile with a startSchedule' : undefined),
  // ChargingProfileType: recurrencyKind gives the recurrence of a Recurring profile, and only of one (Part 6 errata 2025-04, TC_K_04/70_CSMS).
  (sent) => ((sent.profile.kind === 'Recurring') !== (sent.profile.recurrency !== undefined)
    ? (sent.profile.kind === 'Recurring' ? 'ChargingProfileType: a Recurring profile without recurrencyKind' : `ChargingProfileType: a ${sent.profile.kind} profile with recurrencyKind`) : undefined),
  (sent) => (sent.profile.validFrom !== undefined && sent.profile.validTo !== undefined && sent.profile.validTo <= sent.profile.validFrom
    ? 'K01.FR.36/37: validTo is not after validFrom, so the profile is never valid' : undefined),
  (sent) => (sent.profile.purpose === 'ExternalConstraints' ? 'K01.FR.22: the CSMS sent a ChargingStationExternalConstraints profile' : undefined),
  (sent) => (sent.profile.purpose === 'StationMax' && sent.profile.kind === 'Relative' ? `K01.FR.38: a ${purposeText(sent)} of kind Relative` : undefined),
  // SetChargingProfileRequest.evseId: the station-wide limit lives on EVSE 0 (1.6 §7.8: connector 0).
  (sent) => (sent.profile.purpose === 'StationMax' && sent.evseId !== 0 ? `SetChargingProfileRequest: a ${purposeText(sent)} on EVSE ${String(sent.evseId)}, not 0` : undefined),
  (sent) => (sent.profile.purpose === 'Tx' && sent.evseId === 0 ? 'K01.FR.16: a TxProfile on EVSE 0' : undefined),
  (sent) => (startsTransaction(sent) && sent.profile.purpose !== 'Tx' ? `K05.FR.02, F01.FR.09: the profile of ${sent.action} is a ${purposeText(sent)}, not a TxProfile` : undefined),
  (sent) => (startsTransaction(sent) && sent.profile.transactionId !== undefined ? `F01.FR.11: the profile of ${sent.action} names transaction ${sent.profile.transactionId}` : undefined),
  (sent) => (!startsTransaction(sent) && sent.profile.purpose === 'Tx' && sent.profile.transactionId === undefined ? 'K01.FR.03: a TxProfile without transactionId' : undefined),
  (sent) => (sent.profile.purpose !== 'Tx' && sent.profile.transactionId !== undefined ? `ChargingProfileType: a ${purposeText(sent)} with a transactionId (only a TxProfile names one)` : undefined),
  (sent) => {
    const phased = schedulesOf(sent).flatMap(periodsOf).find((period) => period['phaseToUse'] !== undefined && period['numberPhases'] !== 1);
    return phased ? `K01.FR.19: phaseToUse ${String(phased['phaseToUse'])} with numberPhases ${JSON.stringify(phased['numberPhases'] ?? 3)}` : undefined;
  },
  (sent, { held, at }) => {
    if (sent.profile.purpose === 'Tx' || sent.action !== 'SetChargingProfile') return undefined;
    const clash = held.find(({ evseId, profile }) => evseId === sent.evseId && profile.id !== sent.profile.id && profile.purpose === sent.profile.purpose
      && profile.stackLevel === sent.profile.stackLevel && overlaps(profile, sent.profile, at));
    return clash ? `K01.FR.06: profile ${clash.profile.id} on EVSE ${clash.evseId} already has stackLevel ${sent.profile.stackLevel} and purpose ${purposeText(sent)} in an overlapping validity period` : undefined;
  },
  (sent, { held }) => {
    if (sent.profile.purpose !== 'Tx' || sent.profile.transactionId === undefined) return undefined;
    const clash = held.find(({ profile }) => profile.purpose === 'Tx' && profile.id !== sent.profile.id
      && profile.stackLevel === sent.profile.stackLevel && profile.transactionId === sent.profile.transactionId);
    return clash ? `K01.FR.39: TxProfile ${clash.profile.id} already has stackLevel ${sent.profile.stackLevel} for transaction ${sent.profile.transactionId}` : undefined;
  },
];

/** The profile a request carries and where it goes; throws ProfileFormatError when there is none to read. */
function sentProfile(version: OcppVersion, action: ProfileCarryingAction, request: Json): SentProfile {
  if (action === 'SetChargingProfile') {
    const { evseId, profile } = installedFromSetChargingProfile(version, request);
    return { version, action, evseId, profile, wire: (version === '1.6' ? request['csChargingProfiles'] : request['chargingProfile']) as Json };
  }
  const wire = request['chargingProfile'];
  if (wire === undefined) throw new ProfileFormatError(`${action} carries no chargingProfile`);
  const evseId = request[version === '1.6' ? 'connectorId' : 'evseId'];
  return { version, action, evseId: typeof evseId === 'number' ? evseId : undefined, profile: profileFromWire(version, wire), wire: wire as Json };
}

/**
 * What is wrong with the charging profile a CSMS sends in `request` (a SetChargingProfile, or a
 * start request carrying one), given the profiles the station held when it came: one sentence per
 * broken rule, each starting with its requirement id; empty when the profile is right. A profile
 * the oracle cannot read at all is one problem.
 */
export function profileRuleProblems(version: OcppVersion, action: ProfileCarryingAction, request: unknown, station: StationAtRequest = {}): string[] {
  let sent: SentProfile;
  try {
    sent = sentProfile(version, action, (request ?? {}) as Json);
  } catch (error) {
    if (error instanceof ProfileFormatError) return [`the profile cannot be read: ${error.message}`];
    throw error;
  }
  const context = { held: station.held ?? [], at: station.at ?? -Infinity };
  return RULES.map((rule) => rule(sent, context)).filter((problem): problem is string => problem !== undefined);
}
