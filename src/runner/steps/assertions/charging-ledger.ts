import { installedFromSetChargingProfile, profileFromWire, wirePurposeName, type InstalledProfile, type OngoingTransaction } from '../../../domain/index.js';
import type { OcppVersion } from '../../../protocol/index.js';
import type { TraceRecord } from '../../../session/index.js';

/** What a station holds at one point of a case, read off the wire: its charging profiles and transactions. */
export interface ChargingLedger {
  profiles: InstalledProfile[];
  transactions: OngoingTransaction[];
}

type Payload = Record<string, unknown>;

const payloadOf = (record: TraceRecord | undefined): Payload => (record?.payload ?? {}) as Payload;

/**
 * The profiles and transactions a station holds just before the record at `until`: profiles from the
 * requests it answered Accepted (SetChargingProfile, and the TxProfile of a RequestStartTransaction /
 * RemoteStartTransaction), less those ClearChargingProfile removed; transactions it reported started
 * and not yet ended.
 */
export function ledgerBefore(records: readonly TraceRecord[], until: number, version: OcppVersion): ChargingLedger {
  const answers = new Map<string, TraceRecord>();
  for (const record of records) {
    if ((record.messageType === 'CALLRESULT' || record.messageType === 'CALLERROR') && record.messageId !== undefined) answers.set(`${record.direction}:${record.messageId}`, record);
  }
  const answerTo = (call: TraceRecord) => answers.get(`${call.direction === 'csms-to-cp' ? 'cp-to-csms' : 'csms-to-cp'}:${call.messageId}`);
  const accepted = (call: TraceRecord) => answerTo(call)?.messageType === 'CALLRESULT' && payloadOf(answerTo(call))['status'] === 'Accepted';
  const ledger: ChargingLedger = { profiles: [], transactions: [] };
  for (const call of records.slice(0, until)) {
    if (call.messageType !== 'CALL') continue;
    const payload = payloadOf(call);
    if (call.direction === 'csms-to-cp' && accepted(call)) applyCsmsRequest(ledger, version, call.action, payload);
    if (call.direction === 'cp-to-csms') applyStationReport(ledger, version, call, payload, answerTo(call));
  }
  return ledger;
}

function install(ledger: ChargingLedger, version: OcppVersion, added: InstalledProfile): void {
  const { profile } = added;
  // K01.FR.05: the same id replaces; 1.6 §5.16.3: so does the same stackLevel and purpose (on the same connector).
  const replaced = (held: InstalledProfile) => held.profile.id === profile.id
    || (version === '1.6' && held.evseId === added.evseId && held.profile.stackLevel === profile.stackLevel && held.profile.purpose === profile.purpose);
  ledger.profiles = [...ledger.profiles.filter((held) => !replaced(held)), added];
}

function applyCsmsRequest(ledger: ChargingLedger, version: OcppVersion, action: string | undefined, payload: Payload): void {
  if (action === 'SetChargingProfile') install(ledger, version, installedFromSetChargingProfile(version, payload));
  const startProfile = payload['chargingProfile'];
  if ((action === 'RequestStartTransaction' || action === 'RemoteStartTransaction') && startProfile !== undefined) {
    const evseId = Number(payload[version === '1.6' ? 'connectorId' : 'evseId'] ?? 1);
    install(ledger, version, { evseId, profile: profileFromWire(version, startProfile) });
  }
  if (action === 'ClearChargingProfile') {
    const criteria = (version === '1.6' ? payload : payload['chargingProfileCriteria'] ?? {}) as Payload;
    const id = payload[version === '1.6' ? 'id' : 'chargingProfileId'];
    const evseId = criteria[version === '1.6' ? 'connectorId' : 'evseId'];
    const purpose = criteria['chargingProfilePurpose'];
    const stackLevel = criteria['stackLevel'];
    // K10.FR.03/04: by id, or every profile matching all given criteria; never external constraints (K10.FR.08).
    const cleared = (held: InstalledProfile) => held.profile.purpose !== 'ExternalConstraints' && (id !== undefined
      ? held.profile.id === id
      : (evseId === undefined || held.evseId === evseId) && (stackLevel === undefined || held.profile.stackLevel === stackLevel)
        && (purpose === undefined || wirePurposeName(version, held.profile.purpose) === purpose));
    ledger.profiles = ledger.profiles.filter((held) => !cleared(held));
  }
}

function applyStationReport(ledger: ChargingLedger, version: OcppVersion, call: TraceRecord, payload: Payload, answer: TraceRecord | undefined): void {
  const at = Date.parse(String(payload['timestamp'] ?? call.timestamp));
  if (version === '1.6') {
    if (call.action === 'StartTransaction') {
      const transactionId = payloadOf(answer)['transactionId'];
      ledger.transactions.push({ evseId: Number(payload['connectorId']), transactionId: transactionId === undefined ? undefined : String(transactionId), chargingStart: at });
    }
    if (call.action === 'StopTransaction') ledger.transactions = ledger.transactions.filter((ongoing) => ongoing.transactionId !== String(payload['transactionId']));
    return;
  }
  if (call.action !== 'TransactionEvent') return;
  const transactionId = String(((payload['transactionInfo'] ?? {}) as Payload)['transactionId']);
  const evseId = ((payload['evse'] ?? {}) as Payload)['id'];
  const known = ledger.transactions.find((ongoing) => ongoing.transactionId === transactionId);
  if (payload['eventType'] === 'Ended') ledger.transactions = ledger.transactions.filter((ongoing) => ongoing !== known);
  else if (!known && typeof evseId === 'number') ledger.transactions.push({ evseId, transactionId, chargingStart: at });
}
