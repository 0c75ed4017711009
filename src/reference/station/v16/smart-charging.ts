import { compositeAnswer, ProfileFormatError, type OngoingTransaction, type ProfilePurpose, type RateUnit } from '../../../domain/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { ProfileCriteria, StoredProfile } from '../charging-profiles.js';
import { localLimit } from '../meter-sample.js';
import type { ConnectorState } from '../station-state.js';
import type { V16Parts } from './parts.js';

const PURPOSES: Record<string, ProfilePurpose> = { ChargePointMaxProfile: 'StationMax', TxDefaultProfile: 'TxDefault', TxProfile: 'Tx' };
// §9.4.2 (errata 3.88): the configuration names the units Current and Power.
const UNIT_NAMES: Record<RateUnit, string> = { A: 'Current', W: 'Power' };

const REJECTED: CallReply = { payload: { status: 'Rejected' } };

/** Reads a csChargingProfiles (§7.8) for a connector; undefined when it is malformed. */
function readProfile(parts: V16Parts, connectorId: number, wire: unknown): StoredProfile | undefined {
  try {
    return parts.profiles.read(connectorId, wire as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ProfileFormatError) return undefined;
    throw error;
  }
}

/** Whether the Charge Point can hold the profile: its limits of §9.4 and the purposes' rules of §3.13.1. */
function acceptable(parts: V16Parts, { evseId: connectorId, installed: { profile } }: StoredProfile): boolean {
  const { configuration } = parts;
  if (connectorId !== 0 && !parts.context.state.connector16(connectorId)) return false;
  if (profile.stackLevel > configuration.integer('ChargeProfileMaxStackLevel')) return false;
  if (profile.schedule.periods.length > configuration.integer('ChargingScheduleMaxPeriods')) return false;
  if (!configuration.list('ChargingScheduleAllowedChargingRateUnit').includes(UNIT_NAMES[profile.schedule.chargingRateUnit])) return false;
  // §3.13.1: ChargePointMaxProfile only on connector 0, TxProfile only on a connector.
  if (profile.purpose === 'StationMax') return connectorId === 0;
  if (profile.purpose === 'Tx') return connectorId !== 0;
  return true;
}

/** SetChargingProfile (§5.16): a TxProfile needs the connector's transaction (§3.13.1, §5.16.4). */
function setChargingProfile(parts: V16Parts, payload: Payload): CallReply {
  const entry = readProfile(parts, Number(payload['connectorId']), payload['csChargingProfiles']);
  if (!entry || !acceptable(parts, entry)) return REJECTED;
  const { profile } = entry.installed;
  if (profile.purpose === 'Tx') {
    const tx = parts.engine.session(parts.context.state.connector16(entry.evseId)!.connector).tx;
    // behaviour:sc-accept-tx-profile-without-transaction takes it anyway.
    if (!tx && !parts.context.hasFault('sc-accept-tx-profile-without-transaction')) return REJECTED;
    // §3.13.1, §5.16.3: a TxProfile is for the connector's transaction; behaviour:sc-accept-wrong-transaction-id takes one for another.
    if (tx && profile.transactionId !== undefined && profile.transactionId !== String(tx.transactionId) && !parts.context.hasFault('sc-accept-wrong-transaction-id')) return REJECTED;
  }
  const replacing = parts.profiles.matching({ ids: [profile.id] }).length;
  if (!replacing && parts.profiles.all().length >= parts.configuration.integer('MaxChargingProfilesInstalled')) return REJECTED;
  parts.profiles.install(entry);
  return { payload: { status: 'Accepted' } };
}

/** ClearChargingProfile (§5.5, §6.9): by id, or by the given fields together; Unknown when none matched. */
function clearChargingProfile(parts: V16Parts, payload: Payload): CallReply {
  const purposeName = payload['chargingProfilePurpose'];
  const criteria: ProfileCriteria = typeof payload['id'] === 'number' ? { ids: [payload['id']] } : {
    ...(typeof payload['connectorId'] === 'number' ? { evseId: payload['connectorId'] } : {}),
    ...(typeof purposeName === 'string' ? { purpose: PURPOSES[purposeName] } : {}),
    ...(typeof payload['stackLevel'] === 'number' ? { stackLevel: payload['stackLevel'] } : {}),
  };
  // Errata 3.25: the given fields select together (logical AND); behaviour:sc-clear-any-criterion clears what meets any one of them.
  const targets = new Set(parts.context.hasFault('sc-clear-any-criterion') ? parts.profiles.matchingAny(criteria) : parts.profiles.matching(criteria));
  return { payload: { status: parts.profiles.remove((held) => targets.has(held)) > 0 ? 'Accepted' : 'Unknown' } };
}

/** GetCompositeSchedule (§5.7): the oracle's composite from the moment of receipt; Rejected for an unknown connector. */
function getCompositeSchedule(parts: V16Parts, payload: Payload): CallReply {
  const { state } = parts.context;
  const connectorId = Number(payload['connectorId']);
  if (connectorId !== 0 && !state.connector16(connectorId)) return REJECTED;
  const unit = payload['chargingRateUnit'] as RateUnit | undefined;
  const query = compositeQuery16(parts, connectorId);
  const composite = parts.profiles.composite({
    ...query,
    start: parts.context.now().getTime(),
    duration: Number(payload['duration']),
    ...(unit ? { chargingRateUnit: unit } : {}),
  });
  const connectorCount = connectorId === 0 ? query.evseIds.length : 1;
  return { payload: compositeAnswer('1.6', composite, localLimit(composite.chargingRateUnit) * connectorCount) };
}

/** What the oracle needs besides the profiles for a connector (0: the Charge Point): the running transactions and every connector. */
function compositeQuery16(parts: V16Parts, connectorId: number): { evseId: number; transactions: OngoingTransaction[]; evseIds: number[] } {
  return {
    evseId: connectorId,
    transactions: parts.engine.running().map(({ connector, tx }) => ({
      evseId: connector.id, chargingStart: tx.startedAt, ...(tx.transactionId !== undefined ? { transactionId: String(tx.transactionId) } : {}),
    })),
    evseIds: parts.context.state.evses.flatMap((evse) => evse.connectors.map((connector) => connector.id)),
  };
}

/**
 * §3.13.1: the Charge Point charges at the composite limit in force, so each EVSE's simulated energy
 * transfer (and its meter values) follows the profiles of its connector that runs a transaction, else of its first.
 */
export function followProfileLimits16(parts: V16Parts): void {
  for (const evse of parts.context.state.evses) {
    evse.profileLimit = (at) => {
      const connector = evse.connectors.find((candidate) => parts.engine.session(candidate).tx) ?? evse.connectors[0];
      return connector ? parts.profiles.limitAt(compositeQuery16(parts, connector.id), at.getTime()) : undefined;
    };
  }
}

/** The Smart Charging profile's operations (§3.13, §5.5, §5.7, §5.16). */
export const SMART_CHARGING_HANDLERS_16: Record<string, (parts: V16Parts, payload: Payload) => CallReply> = {
  SetChargingProfile: setChargingProfile,
  ClearChargingProfile: clearChargingProfile,
  GetCompositeSchedule: getCompositeSchedule,
};

/**
 * §5.16.2: the TxProfile of a RemoteStartTransaction, checked before the start is accepted;
 * `install` puts it in place when the transaction starts (absent: the request carries none).
 */
export function remoteStartProfile(parts: V16Parts, connectorId: number, wire: unknown): { valid: boolean; install?: () => void } {
  if (wire === undefined) return { valid: true };
  const entry = readProfile(parts, connectorId, wire);
  if (!entry) return { valid: false };
  // behaviour:sc-remote-start-any-purpose takes a profile of any purpose, and installs it as it came.
  if (parts.context.hasFault('sc-remote-start-any-purpose') && acceptable(parts, entry)) return { valid: true, install: () => parts.profiles.install(entry) };
  // §5.16.2: its purpose is TxProfile and it names no transaction yet.
  if (entry.installed.profile.purpose !== 'Tx' || entry.installed.profile.transactionId !== undefined || !acceptable(parts, entry)) return { valid: false };
  // behaviour:sc-start-profile-ignored starts the transaction without the profile.
  if (parts.context.hasFault('sc-start-profile-ignored')) return { valid: true };
  return { valid: true, install: () => parts.profiles.install(entry) };
}

/** A transaction ended on the connector: its TxProfiles go (§3.13.1). */
export function transactionEnded16(parts: V16Parts, connector: ConnectorState): void {
  parts.profiles.transactionEnded(connector.id);
}
