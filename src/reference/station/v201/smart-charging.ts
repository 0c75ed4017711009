import { compositeAnswer, ProfileFormatError, type ProfilePurpose, type RateUnit } from '../../../domain/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { ProfileCriteria, StoredProfile } from '../charging-profiles.js';
import { localLimit } from '../meter-sample.js';
import type { V201Parts } from './parts.js';

/**
 * The Part 5 feature ids of the reference station under 2.x, which `run --builtin` declares for it
 * (a 2.x station does not tell them): both charging rate units of SC-2 (ChargingScheduleChargingRateUnit).
 */
export const REFERENCE_STATION_FEATURES_201: readonly string[] = ['SC-2.1', 'SC-2.2'];

const PURPOSES: Record<string, ProfilePurpose> = {
  ChargingStationMaxProfile: 'StationMax', TxDefaultProfile: 'TxDefault', TxProfile: 'Tx', ChargingStationExternalConstraints: 'ExternalConstraints',
};

function rejected(additionalInfo: string): CallReply {
  return { payload: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile', additionalInfo } } };
}

/** SetChargingProfile (K01): validated as Part 2 says, then stored; the composite follows at once (K01.FR.07). */
export function setChargingProfile(parts: V201Parts, payload: Payload): CallReply {
  const evseId = Number(payload['evseId']);
  let entry: StoredProfile;
  try {
    entry = parts.profiles.read(evseId, payload['chargingProfile'] as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ProfileFormatError) return rejected(error.message);
    throw error;
  }
  const problem = whyRejected(parts, entry);
  if (problem) return rejected(problem);
  parts.profiles.install(entry);
  // behaviour:sc-tx-default-deferred breaks K01.FR.32: a running transaction keeps the limits it started with.
  if (entry.installed.profile.purpose === 'TxDefault' && transactionsOf(parts).length > 0 && parts.context.hasFault('sc-tx-default-deferred')) parts.profiles.defer(entry);
  return { payload: { status: 'Accepted' } };
}

/** The requirement a profile breaks, or undefined when the station takes it. */
function whyRejected(parts: V201Parts, { evseId, installed: { profile } }: StoredProfile): string | undefined {
  const { state } = parts.context;
  if (evseId !== 0 && !state.evse(evseId)) return `K01.FR.28: no EVSE ${evseId}`;
  if (!takesUnit(parts, profile.schedule.chargingRateUnit)) return `K01.FR.26: SmartChargingCtrlr.RateUnit does not list ${profile.schedule.chargingRateUnit}`;
  if (profile.stackLevel > parts.model.integer('SmartChargingCtrlr', 'ProfileStackLevel')) return `stackLevel ${profile.stackLevel} is above SmartChargingCtrlr.ProfileStackLevel`;
  if (profile.schedule.periods.length > parts.model.integer('SmartChargingCtrlr', 'PeriodsPerSchedule')) return `more periods than SmartChargingCtrlr.PeriodsPerSchedule`;
  if (profile.purpose === 'ExternalConstraints') return 'K01.FR.22: ChargingStationExternalConstraints is not for the CSMS to set';
  if (profile.purpose === 'StationMax' && evseId !== 0) return 'ChargingStationMaxProfile applies to EVSE 0 only';
  if (profile.purpose === 'StationMax' && profile.kind === 'Relative') return 'K01.FR.38: a ChargingStationMaxProfile is not Relative';
  if (profile.schedule.periods[0]?.startPeriod !== 0) return 'K01.FR.31: the first period starts at 0';
  if (profile.purpose === 'Tx') return whyTxProfileRejected(parts, evseId, profile.transactionId);
  if (profile.purpose === 'TxDefault') {
    // K01.FR.52/53: a TxDefaultProfile of that stack level on EVSE 0 and on an EVSE would compete.
    const rival = parts.profiles.all().find(({ evseId: heldOn, installed: { profile: held } }) => held.purpose === 'TxDefault' && held.stackLevel === profile.stackLevel
      && held.id !== profile.id && (evseId === 0 ? heldOn !== 0 : heldOn === 0));
    if (rival) return `K01.FR.52/53: TxDefaultProfile ${rival.installed.profile.id} has stack level ${profile.stackLevel} on EVSE ${rival.evseId}`;
  }
  return undefined;
}

/** A unit the station takes (SmartChargingCtrlr.RateUnit); behaviour:sc-rate-unit-unchecked takes any (breaks K01.FR.26, K08.FR.07). */
function takesUnit(parts: V201Parts, unit: RateUnit): boolean {
  return parts.model.members('SmartChargingCtrlr', 'RateUnit').includes(unit) || parts.context.hasFault('sc-rate-unit-unchecked');
}

function whyTxProfileRejected(parts: V201Parts, evseId: number, transactionId: string | undefined): string | undefined {
  if (evseId === 0) return 'K01.FR.16: a TxProfile needs an EVSE';
  const evse = parts.context.state.evse(evseId)!;
  const tx = parts.engine.session(evse).tx;
  // behaviour:sc-accept-tx-profile-without-transaction breaks K01.FR.09.
  if (!tx && !parts.context.hasFault('sc-accept-tx-profile-without-transaction')) return `K01.FR.09: no transaction on EVSE ${evseId}`;
  // behaviour:sc-tx-id-unchecked breaks K01.FR.33.
  if (transactionId !== undefined && tx && transactionId !== tx.id && !parts.context.hasFault('sc-tx-id-unchecked')) return `K01.FR.33: transaction ${transactionId} is not known on EVSE ${evseId}`;
  return undefined;
}

/**
 * The TxProfile of a RequestStartTransaction (F01.FR.08-11, K05): a `problem` when it is not one the
 * station may take, else `install`, which puts it in place for the transaction it starts (absent: none came).
 */
export function remoteStartProfile(parts: V201Parts, evseId: number, wire: unknown): { problem: string } | { install?: (transactionId: string) => void } {
  // behaviour:sc-start-profile-ignored acts as a station without smart charging would (F01.FR.12).
  if (wire === undefined || parts.context.hasFault('sc-start-profile-ignored')) return {};
  let entry: StoredProfile;
  try {
    entry = parts.profiles.read(evseId, wire as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ProfileFormatError) return { problem: error.message };
    throw error;
  }
  const { profile } = entry.installed;
  if (profile.purpose !== 'Tx') return { problem: 'F01.FR.09, K05.FR.02: the profile of a start request is a TxProfile' };
  if (profile.transactionId !== undefined) return { problem: 'F01.FR.11: the transaction has no id yet' };
  if (profile.schedule.periods[0]?.startPeriod !== 0) return { problem: 'K01.FR.31: the first period starts at 0' };
  // F01.FR.10: it names the transaction once there is one, as a SetChargingProfile would.
  return { install: (transactionId) => parts.profiles.install(parts.profiles.read(evseId, { ...entry.wire, transactionId })) };
}

/** The criteria of a 2.0.1 ChargingProfileCriterionType, or of ClearChargingProfile's criteria. */
function criteriaOf(fields: Record<string, unknown> | undefined, evseId: unknown): ProfileCriteria {
  const purposeName = fields?.['chargingProfilePurpose'];
  const ids = fields?.['chargingProfileId'];
  return {
    ...(Array.isArray(ids) ? { ids: ids.map(Number) } : {}),
    ...(typeof evseId === 'number' ? { evseId } : {}),
    ...(typeof purposeName === 'string' ? { purpose: PURPOSES[purposeName] } : {}),
    ...(typeof fields?.['stackLevel'] === 'number' ? { stackLevel: fields['stackLevel'] } : {}),
  };
}

/** ClearChargingProfile (K10): by id, or by the criteria's AND; external constraints stay (K10.FR.04/08/09). */
export function clearChargingProfile(parts: V201Parts, payload: Payload): CallReply {
  const id = payload['chargingProfileId'];
  const criteria = payload['chargingProfileCriteria'] as Record<string, unknown> | undefined;
  const wanted: ProfileCriteria = typeof id === 'number' ? { ids: [id] } : criteriaOf(criteria, criteria?.['evseId']);
  const targets = new Set(parts.context.hasFault('sc-clear-criteria-any') ? anyCriterion(parts, wanted) : parts.profiles.matching(wanted));
  const clearable = (held: StoredProfile) => targets.has(held) && held.installed.profile.purpose !== 'ExternalConstraints';
  // behaviour:sc-clear-ignored breaks K10.FR.03/04/07: the answer says cleared, the profiles stay.
  const cleared = parts.context.hasFault('sc-clear-ignored') ? parts.profiles.all().filter(clearable).length : parts.profiles.remove(clearable);
  // K10.FR.01: Unknown when nothing matched.
  return { payload: { status: cleared > 0 ? 'Accepted' : 'Unknown' } };
}

/** behaviour:sc-clear-criteria-any (breaks K10.FR.04): the profiles that meet any one criterion. */
function anyCriterion(parts: V201Parts, wanted: ProfileCriteria): StoredProfile[] {
  const given = Object.entries(wanted);
  if (given.length === 0) return [...parts.profiles.all()];
  return [...new Set(given.flatMap(([key, value]) => parts.profiles.matching({ [key]: value })))];
}

/** GetChargingProfiles (K09): Accepted, then one ReportChargingProfiles per EVSE, tbc on all but the last (K09.FR.01/02). */
export function getChargingProfiles(parts: V201Parts, payload: Payload): CallReply {
  const fields = payload['chargingProfile'] as Record<string, unknown> | undefined;
  // behaviour:sc-report-evse-ignored breaks K09.FR.04/05: the profiles of every EVSE.
  const wanted = criteriaOf(fields, parts.context.hasFault('sc-report-evse-ignored') ? undefined : payload['evseId']);
  // The CSMS set every profile the reference holds: their chargingLimitSource is CSO.
  const sources = fields?.['chargingLimitSource'];
  const fromCso = !Array.isArray(sources) || sources.includes('CSO');
  // behaviour:sc-report-filter-loose breaks K09.FR.04/05/06: any one criterion selects a profile.
  const found = parts.context.hasFault('sc-report-filter-loose') ? anyCriterion(parts, wanted) : fromCso ? parts.profiles.matching(wanted) : [];
  if (found.length === 0) return { payload: { status: 'NoProfiles' } };
  const evseIds = [...new Set(found.map((entry) => entry.evseId))];
  parts.context.timers.soon(async () => {
    for (const [index, evseId] of evseIds.entries()) {
      await parts.context.send('ReportChargingProfiles', {
        requestId: payload['requestId'],
        chargingLimitSource: 'CSO',
        evseId,
        chargingProfile: found.filter((entry) => entry.evseId === evseId).map((entry) => entry.wire),
        // behaviour:sc-report-tbc-always breaks K09.FR.02: the last report says more follow.
        ...(index < evseIds.length - 1 || parts.context.hasFault('sc-report-tbc-always') ? { tbc: true } : {}),
      });
    }
  });
  return { payload: { status: 'Accepted' } };
}

/** GetCompositeSchedule (K08): the oracle's composite from the moment of receipt (K08.FR.02). */
export function getCompositeSchedule(parts: V201Parts, payload: Payload): CallReply {
  const { state } = parts.context;
  const evseId = Number(payload['evseId']);
  // K08.FR.05: an unknown EVSE.
  if (evseId !== 0 && !state.evse(evseId)) return { payload: { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } } };
  const unit = payload['chargingRateUnit'] as RateUnit | undefined;
  // K08.FR.07: a unit SmartChargingCtrlr.RateUnit does not list.
  if (unit && !takesUnit(parts, unit)) return { payload: { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRateUnit' } } };
  const composite = parts.profiles.composite({
    evseId,
    start: parts.context.now().getTime(),
    duration: Number(payload['duration']),
    ...(unit ? { chargingRateUnit: unit } : {}),
    transactions: transactionsOf(parts),
    evseIds: state.evses.map((evse) => evse.id),
  });
  const evseCount = evseId === 0 ? state.evses.length : 1;
  return { payload: compositeAnswer(parts.context.version, composite, localLimit(composite.chargingRateUnit) * evseCount) };
}

/**
 * K08.FR.02: the station charges at the composite limit in force, so each EVSE's simulated energy
 * transfer (and its meter values) follows it.
 */
export function followProfileLimits(parts: V201Parts): void {
  const evseIds = parts.context.state.evses.map((evse) => evse.id);
  for (const evse of parts.context.state.evses) {
    evse.profileLimit = (at) => parts.profiles.limitAt({ evseId: evse.id, transactions: transactionsOf(parts), evseIds }, at.getTime());
  }
}

/** The running transactions as the oracle reads them. */
export function transactionsOf(parts: V201Parts): Array<{ evseId: number; transactionId: string; chargingStart: number }> {
  return parts.engine.running().map(({ evse, tx }) => ({ evseId: evse.id, transactionId: tx.id, chargingStart: tx.startedAt }));
}
