import { EventEmitter } from 'node:events';
import type { TraceRecord, TraceSink } from '../../session/index.js';

/** A connector as the station last reported it. */
export interface ConnectorEntry {
  evseId: number;
  connectorId: number;
  status: string;
  /** The case during which the station reported it (absent between cases). */
  since?: string;
}

/** A transaction the station reported started and not yet ended. */
export interface TransactionEntry {
  /** As the station (2.x) or the CSMS's answer to StartTransaction (1.6) named it. */
  transactionId: string | number;
  evseId?: number;
  connectorId?: number;
  /** The highest TransactionEvent seqNo seen for it (2.x). */
  lastSeqNo?: number;
  /** The meter reading it started at (1.6), so that a stop can report one no lower. */
  meterStart?: number;
  since?: string;
}

/** A device-model variable (2.x) or configuration key (1.6) the CSMS side wrote and the station accepted. */
export interface WrittenVariable {
  key: string;
  /** 2.x: the SetVariableData that names it (attributeValue left out); 1.6: { key }. */
  target: Record<string, unknown>;
  since?: string;
}

/** An operational status the CSMS side set with ChangeAvailability. */
export interface AvailabilityEntry {
  key: string;
  /** 2.x: the evse object of the request, if any; 1.6: the connectorId (0: the whole station). */
  scope: { evse?: Record<string, unknown>; connectorId?: number };
  since?: string;
}

/** A reservation the station accepted (ReserveNow) and has not yet reported used or cancelled. */
export interface ReservationEntry {
  reservationId: number;
  /** 1.6: the connectorId reserved (0: any); 2.x: the EVSE id, if the request named one. */
  connectorId?: number;
  evseId?: number;
  since?: string;
}

/** Events of a ledger: `change` after every record that changed what it knows. */
export interface LedgerEvents {
  change: [];
}

/**
 * What the wire says about the station's state, across cases: its registration, each connector's
 * status, the transactions running, and what the CSMS side changed (variables, availability,
 * charging profiles). It reads the trace records of one link, whichever side the
 * harness plays, so the runner can verify an idle SUT before a case and undo a case after it.
 */
export class SutLedger extends EventEmitter<LedgerEvents> implements TraceSink {
  /** The status of the last BootNotificationResponse (Accepted, Pending, Rejected), Booting while a boot awaits its answer, undefined before any boot. */
  registration: string | undefined;
  /** The interval of that answer, seconds. */
  bootIntervalS: number | undefined;
  /** When the last BootNotificationRequest arrived (performance.now()). */
  lastBootAtMs: number | undefined;
  readonly connectors = new Map<string, ConnectorEntry>();
  readonly transactions = new Map<string, TransactionEntry>();
  readonly variables = new Map<string, WrittenVariable>();
  readonly unavailable = new Map<string, AvailabilityEntry>();
  readonly chargingProfiles = new Map<number, ChargingProfileEntry>();
  /** The case that last had a SendLocalList accepted (1.6 §5.15), undefined while the list is as before. */
  localListChangedBy: string | undefined;
  /** Reservations held by the station, by reservationId (1.6 §5.13, 2.x H01). */
  readonly reservations = new Map<number, ReservationEntry>();
  /** CALLs waiting for their answer, by message id (answers are read together with their request). */
  private readonly open = new Map<string, TraceRecord>();

  write(record: TraceRecord): void {
    if (record.messageType === 'CALL') return this.onCall(record);
    if (record.messageType !== 'CALLRESULT' || record.messageId === undefined) return;
    const call = this.open.get(record.messageId);
    this.open.delete(record.messageId);
    if (call) this.onResult(call, record);
  }

  /** Forgets what the CSMS side changed (after the runner set it back, or gave up on it). */
  forgetChanges(): void {
    this.variables.clear();
    this.unavailable.clear();
    this.chargingProfiles.clear();
    this.localListChangedBy = undefined;
    this.reservations.clear();
  }

  /** The connectors whose last status is not Available. */
  busyConnectors(): ConnectorEntry[] {
    return [...this.connectors.values()].filter((entry) => entry.status !== 'Available');
  }

  private onCall(record: TraceRecord): void {
    const payload = asObject(record.payload);
    if (record.messageId !== undefined && this.open.size < MAX_OPEN) this.open.set(record.messageId, record);
    if (record.direction !== 'cp-to-csms') return;
    const since = record.meta.testId;
    switch (record.action) {
      case 'BootNotification':
        // Until its answer, the station is neither accepted nor refused.
        this.registration = 'Booting';
        this.lastBootAtMs = performance.now();
        break;
      case 'StatusNotification':
        this.onStatus(payload, since);
        break;
      case 'NotifyEvent':
        for (const event of asArray(payload['eventData'])) this.onAvailabilityEvent(asObject(event), since);
        break;
      case 'TransactionEvent':
        this.onTransactionEvent(payload, since);
        break;
      case 'StopTransaction':
        this.transactions.delete(String(payload['transactionId']));
        break;
      case 'StartTransaction':
        // 1.6 §5.13: the transaction that uses a reservation ends it.
        if (typeof payload['reservationId'] === 'number') this.reservations.delete(payload['reservationId']);
        break;
      case 'ReservationStatusUpdate':
        // 2.x H04: the station reports a reservation Expired or Removed.
        if (typeof payload['reservationId'] === 'number') this.reservations.delete(payload['reservationId']);
        break;
      default:
        return;
    }
    this.emit('change');
  }

  private onResult(call: TraceRecord, result: TraceRecord): void {
    const request = asObject(call.payload);
    const answer = asObject(result.payload);
    const since = call.meta.testId;
    switch (call.action) {
      case 'BootNotification':
        this.registration = typeof answer['status'] === 'string' ? answer['status'] : undefined;
        this.bootIntervalS = typeof answer['interval'] === 'number' ? answer['interval'] : undefined;
        break;
      case 'StartTransaction':
        // 1.6 §4.8: the transaction exists once the Central System gave it an id, whatever the tag's status.
        if (typeof answer['transactionId'] === 'number') {
          const transactionId = answer['transactionId'];
          this.transactions.set(String(transactionId), { transactionId, connectorId: Number(request['connectorId']), meterStart: Number(request['meterStart'] ?? 0), ...(since ? { since } : {}) });
        }
        break;
      case 'SetVariables':
        this.onSetVariables(request, answer, since);
        break;
      case 'ChangeConfiguration':
        if (ACCEPTED_WRITE.has(String(answer['status']))) this.remember(String(request['key']), { key: request['key'] }, since);
        break;
      case 'ChangeAvailability':
        this.onChangeAvailability(request, answer, since);
        break;
      case 'SetChargingProfile':
        if (answer['status'] === 'Accepted') this.onChargingProfile(request, since);
        break;
      // The TxProfile a remote start carries (1.6 §5.16.2, F01.FR.08); the station should drop it with its transaction.
      case 'RemoteStartTransaction':
      case 'RequestStartTransaction':
        if (answer['status'] === 'Accepted' && request['chargingProfile'] !== undefined) this.onChargingProfile(request, since);
        break;
      case 'ClearChargingProfile':
        if (answer['status'] === 'Accepted') this.onClearChargingProfile(request);
        break;
      case 'SendLocalList':
        if (answer['status'] === 'Accepted') this.localListChangedBy = since ?? 'an earlier case';
        break;
      case 'ReserveNow':
        if (answer['status'] === 'Accepted') this.onReservation(request, since);
        break;
      case 'CancelReservation':
        if (answer['status'] === 'Accepted') this.reservations.delete(Number(request['reservationId']));
        break;
      default:
        return;
    }
    this.emit('change');
  }

  private onStatus(payload: Record<string, unknown>, since: string | undefined): void {
    // 1.6 names connectors station-wide (connectorId 0 is the station itself); 2.x per EVSE.
    const status = payload['connectorStatus'] ?? payload['status'];
    const evseId = payload['evseId'] === undefined ? 0 : Number(payload['evseId']);
    const connectorId = Number(payload['connectorId']);
    if (typeof status !== 'string' || (payload['evseId'] === undefined && connectorId === 0)) return;
    this.setConnector(evseId, connectorId, status, since);
  }

  // 2.x stations may report connector states as AvailabilityState events of the Connector component.
  private onAvailabilityEvent(event: Record<string, unknown>, since: string | undefined): void {
    const component = asObject(event['component']);
    const evse = asObject(component['evse']);
    if (component['name'] !== 'Connector' || asObject(event['variable'])['name'] !== 'AvailabilityState') return;
    if (evse['id'] === undefined || typeof event['actualValue'] !== 'string') return;
    this.setConnector(Number(evse['id']), Number(evse['connectorId'] ?? 1), event['actualValue'], since);
  }

  private setConnector(evseId: number, connectorId: number, status: string, since: string | undefined): void {
    this.connectors.set(`${evseId}/${connectorId}`, { evseId, connectorId, status, ...(since ? { since } : {}) });
  }

  private onTransactionEvent(payload: Record<string, unknown>, since: string | undefined): void {
    const transactionId = asObject(payload['transactionInfo'])['transactionId'];
    if (typeof transactionId !== 'string') return;
    if (payload['eventType'] === 'Ended') {
      this.transactions.delete(transactionId);
      return;
    }
    const evse = asObject(payload['evse']);
    const known = this.transactions.get(transactionId);
    const seqNo = typeof payload['seqNo'] === 'number' ? payload['seqNo'] : undefined;
    this.transactions.set(transactionId, {
      transactionId,
      ...(known ?? {}),
      ...(evse['id'] !== undefined ? { evseId: Number(evse['id']) } : {}),
      ...(evse['connectorId'] !== undefined ? { connectorId: Number(evse['connectorId']) } : {}),
      ...(seqNo !== undefined ? { lastSeqNo: Math.max(seqNo, known?.lastSeqNo ?? seqNo) } : {}),
      ...(known?.since ?? since ? { since: known?.since ?? since } : {}),
    });
  }

  private onSetVariables(request: Record<string, unknown>, answer: Record<string, unknown>, since: string | undefined): void {
    const results = asArray(answer['setVariableResult']).map(asObject);
    for (const data of asArray(request['setVariableData']).map(asObject)) {
      const key = variableKey(data);
      const result = results.find((candidate) => variableKey(candidate) === key);
      if (!result || !ACCEPTED_WRITE.has(String(result['attributeStatus']))) continue;
      const { attributeValue: _value, ...target } = data;
      this.remember(key, target, since);
    }
  }

  private remember(key: string, target: Record<string, unknown>, since: string | undefined): void {
    if (!this.variables.has(key)) this.variables.set(key, { key, target, ...(since ? { since } : {}) });
  }

  private onChangeAvailability(request: Record<string, unknown>, answer: Record<string, unknown>, since: string | undefined): void {
    if (answer['status'] !== 'Accepted' && answer['status'] !== 'Scheduled') return;
    // 2.x: operationalStatus and an optional evse; 1.6: type and a connectorId (0: the station).
    const status = request['operationalStatus'] ?? request['type'];
    const evse = request['evse'] === undefined ? undefined : asObject(request['evse']);
    const scope = request['connectorId'] !== undefined ? { connectorId: Number(request['connectorId']) } : evse ? { evse } : {};
    const key = JSON.stringify(scope);
    if (status === 'Operative') this.unavailable.delete(key);
    else this.unavailable.set(key, { key, scope, ...(since ? { since } : {}) });
  }

  // 1.6 names the profile csChargingProfiles, its id chargingProfileId and the connector connectorId; 2.x chargingProfile, id and evseId.
  private onChargingProfile(request: Record<string, unknown>, since: string | undefined): void {
    const profile = asObject(request['chargingProfile'] ?? request['csChargingProfiles']);
    const id = profile['id'] ?? profile['chargingProfileId'];
    if (typeof id !== 'number') return;
    this.chargingProfiles.set(id, {
      evseId: request['evseId'] ?? request['connectorId'], purpose: profile['chargingProfilePurpose'], stackLevel: profile['stackLevel'],
      ...(since ? { since } : {}),
    });
  }

  // 1.6 names the reservation reservationId and the connector connectorId; 2.x id and evseId.
  private onReservation(request: Record<string, unknown>, since: string | undefined): void {
    const id = request['reservationId'] ?? request['id'];
    if (typeof id !== 'number') return;
    this.reservations.set(id, {
      reservationId: id,
      ...(typeof request['connectorId'] === 'number' ? { connectorId: request['connectorId'] } : {}),
      ...(typeof request['evseId'] === 'number' ? { evseId: request['evseId'] } : {}),
      ...(since ? { since } : {}),
    });
  }

  /**
   * A clear by id forgets that profile; one by criteria (2.x chargingProfileCriteria, 1.6 the
   * request's own fields) those that meet all of them (K10.FR.04, 1.6 §5.5), and no other: a
   * profile the criteria left on the station is still the case's to undo.
   */
  private onClearChargingProfile(request: Record<string, unknown>): void {
    const id = request['chargingProfileId'] ?? request['id'];
    if (typeof id === 'number') {
      this.chargingProfiles.delete(id);
      return;
    }
    const criteria = asObject(request['chargingProfileCriteria'] ?? request);
    const given: Array<[keyof ChargingProfileEntry, unknown]> = [
      ['evseId', criteria['evseId'] ?? criteria['connectorId']], ['purpose', criteria['chargingProfilePurpose']], ['stackLevel', criteria['stackLevel']],
    ];
    for (const [held, entry] of this.chargingProfiles) {
      if (given.every(([field, value]) => value === undefined || entry[field] === value)) this.chargingProfiles.delete(held);
    }
  }
}

/** A charging profile the station accepted: where, of which purpose and stack level, and since which case. */
interface ChargingProfileEntry {
  evseId: unknown;
  purpose: unknown;
  stackLevel: unknown;
  since?: string;
}

/** Write answers after which the station holds the new value. */
const ACCEPTED_WRITE = new Set(['Accepted', 'RebootRequired']);

/** Bound on CALLs remembered without an answer, so an unanswering peer cannot grow memory. */
const MAX_OPEN = 1000;

/** The identity of a device-model variable: component (instance, evse), variable (instance), attribute type. */
export function variableKey(data: Record<string, unknown>): string {
  const component = asObject(data['component']);
  const variable = asObject(data['variable']);
  return JSON.stringify([component['name'], component['instance'] ?? null, component['evse'] ?? null, variable['name'], variable['instance'] ?? null, data['attributeType'] ?? 'Actual']);
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
