import type { Session } from '../../session/index.js';
import type { SecurityProfile } from '../../transport/index.js';
import type { KnownCertificates } from './operator-input.js';
import type { OutgoingWatch } from './outgoing-watch.js';
import type {
  BootStatus, ConnectorSnapshot, CsmsSnapshot, MeterValueSnapshot, NotificationSnapshot, RefusedConnection, StationSnapshot, TransactionSnapshot,
} from './types.js';

/** Messages a not-yet-accepted station may send because the CSMS asked for them (see boot-gate.ts). */
export type Solicitations = Map<string, { remaining: number }>;

/** The CSMS's live record of one station: its snapshot plus what only the CSMS needs. */
export interface StationRecord {
  stationId: string;
  session: Session | undefined;
  /** The interceptor of the current session, which reports when our CALLs leave. */
  outgoing: OutgoingWatch | undefined;
  bootStatus?: BootStatus;
  lastBootAt?: string;
  bootRequest?: unknown;
  lastHeartbeatAt?: string;
  connectors: Map<string, ConnectorSnapshot>;
  solicited: Solicitations;
  /** The id of the last ReserveNow the CSMS sent, for a default CancelReservation. */
  lastReservationId?: number;
  /** The certificates it installed on the station and the ones the station reported (DeleteCertificate checks against them). */
  certificates: KnownCertificates;
  /** The security profile of the endpoint the station is connected at (A05). */
  connectedProfile?: SecurityProfile;
  /** A05: the higher security profile the station accepted to move to, until it connects with it. */
  upgradeTo?: SecurityProfile;
}

// A long `simulate` run must not grow without bound; the newest entries are the useful ones.
const MAX_LOG_ENTRIES = 2000;

/** Everything the reference CSMS remembers, across connections: stations, transactions, reports. */
export class CsmsState {
  private readonly stations = new Map<string, StationRecord>();
  private readonly transactions = new Map<string, TransactionSnapshot>();
  private readonly meterValues: MeterValueSnapshot[] = [];
  private readonly notifications: NotificationSnapshot[] = [];
  private readonly refused: RefusedConnection[] = [];
  /** The station that connected last, the target of control actions that name none. */
  lastConnectedId: string | undefined;

  /** The record of a station, created on first sight. */
  station(stationId: string): StationRecord {
    let record = this.stations.get(stationId);
    if (!record) {
      record = { stationId, session: undefined, outgoing: undefined, connectors: new Map(), solicited: new Map(), certificates: { installed: [], reported: [] } };
      this.stations.set(stationId, record);
    }
    return record;
  }

  /** The station a control action means: the one named, else the last connected one still connected. */
  target(stationId: string | undefined): StationRecord | undefined {
    if (stationId !== undefined) return this.stations.get(stationId);
    const last = this.lastConnectedId === undefined ? undefined : this.stations.get(this.lastConnectedId);
    if (last?.session?.isOpen) return last;
    return [...this.stations.values()].reverse().find((record) => record.session?.isOpen) ?? last;
  }

  /** A transaction by station and id. */
  transaction(stationId: string, transactionId: string): TransactionSnapshot | undefined {
    return this.transactions.get(transactionKey(stationId, transactionId));
  }

  /** Stores a new transaction (replacing one with the same id). */
  addTransaction(transaction: TransactionSnapshot): void {
    this.transactions.set(transactionKey(transaction.stationId, transaction.transactionId), transaction);
  }

  /** The station's most recently started transaction that has not ended. */
  activeTransactionOf(stationId: string): TransactionSnapshot | undefined {
    let found: TransactionSnapshot | undefined;
    for (const transaction of this.transactions.values()) if (transaction.stationId === stationId && transaction.active) found = transaction;
    return found;
  }

  /** Records a batch of meter values. */
  addMeterValues(entry: MeterValueSnapshot): void {
    pushCapped(this.meterValues, entry);
  }

  /** Records a notification that was only acknowledged. */
  addNotification(entry: NotificationSnapshot): void {
    pushCapped(this.notifications, entry);
  }

  /** Records a refused connection attempt. */
  addRefused(entry: RefusedConnection): void {
    pushCapped(this.refused, entry);
  }

  /** A deep copy of everything, safe to keep and to change. */
  snapshot(): CsmsSnapshot {
    return structuredClone({
      stations: [...this.stations.values()].map(stationSnapshotOf),
      transactions: [...this.transactions.values()],
      meterValues: this.meterValues,
      notifications: this.notifications,
      refusedConnections: this.refused,
    });
  }
}

function stationSnapshotOf(record: StationRecord): StationSnapshot {
  const snapshot: StationSnapshot = { stationId: record.stationId, connected: record.session?.isOpen ?? false, connectors: [...record.connectors.values()] };
  if (record.bootStatus !== undefined) snapshot.bootStatus = record.bootStatus;
  if (record.lastBootAt !== undefined) snapshot.lastBootAt = record.lastBootAt;
  if (record.bootRequest !== undefined) snapshot.bootRequest = record.bootRequest;
  if (record.lastHeartbeatAt !== undefined) snapshot.lastHeartbeatAt = record.lastHeartbeatAt;
  return snapshot;
}

function transactionKey(stationId: string, transactionId: string): string {
  return `${stationId}\u0000${transactionId}`;
}

function pushCapped<T>(list: T[], entry: T): void {
  list.push(entry);
  if (list.length > MAX_LOG_ENTRIES) list.splice(0, list.length - MAX_LOG_ENTRIES);
}
