import type { Payload } from '../../../protocol/index.js';
import type { StationContext } from '../context.js';
import { sampleMeasurands } from '../meter-sample.js';
import type { ConnectorState, EvseState } from '../station-state.js';
import type { TimerSlot } from '../timers.js';
import type { Authorizer16 } from './authorizer.js';
import type { Configuration } from './configuration.js';
import { meterValue16 } from './messages.js';

/** One OCPP 1.6 transaction; `transactionId` arrives with StartTransaction.conf. */
export interface Transaction16 {
  transactionId?: number;
  readonly idTag: string;
  /** Epoch ms of the start: where Relative charging profiles begin (1.6 §7.9). */
  readonly startedAt: number;
  /** The Central System did not accept the idTag and StopTransactionOnInvalidId is false (C5 of §4.9). */
  invalid: boolean;
  readonly meterTimer: TimerSlot;
}

/** Who may charge at a connector, and its transaction. */
export interface ConnectorSession16 {
  authorization?: string;
  /** An idTag being authorized right now (a second tap of it is ignored). */
  authorizing?: string;
  tx?: Transaction16;
  /** A transaction ended and the cable is still in (Finishing). */
  finishing: boolean;
  readonly preparingTimer: TimerSlot;
  /** The TxProfile of the RemoteStartTransaction that authorized the connector, installed at the start (§5.16.2). */
  remoteTxProfile?: () => void;
}

/** What the engine asks of reservations (1.6 §5.13); a Charge Point without the Reservation profile has none. */
export interface ReservationPort16 {
  /** The connector shows Reserved while nobody is authorized at it. */
  isReserved(connector: ConnectorState): boolean;
  /** Worth authorizing the idTag at the connector: it may charge there, or a parentIdTag may let it. */
  mayAuthorize(connector: ConnectorState, idTag: string): boolean;
  /** The idTag may charge at the connector despite the reservations. */
  admits(connector: ConnectorState, idTag: string): boolean;
  /** Ends the reservation a transaction of the idTag at the connector uses, and gives its id. */
  claim(connector: ConnectorState, idTag: string): number | undefined;
}

const NO_RESERVATIONS: ReservationPort16 = { isReserved: () => false, mayAuthorize: () => true, admits: () => true, claim: () => undefined };

/**
 * OCPP 1.6 transactions (§4.8, §4.10): a transaction starts once a connector is both plugged and
 * authorized, its messages go through the transaction queue, MeterValues every
 * MeterValueSampleInterval, and StopTransaction carries the id the Central System gave.
 */
export class TransactionEngine16 {
  private readonly sessions = new Map<number, ConnectorSession16>();
  /** Called after every change a StatusNotification may have to report. */
  onChange: () => void = () => undefined;
  /** Called after a transaction ended. */
  onEnded: (connector: ConnectorState) => void = () => undefined;
  /** The reservations the Charge Point holds (§5.13). */
  reservations: ReservationPort16 = NO_RESERVATIONS;

  constructor(private readonly context: StationContext, private readonly configuration: Configuration, private readonly authorizer: Authorizer16) {}

  /** The session of a connector. */
  session(connector: ConnectorState): ConnectorSession16 {
    let session = this.sessions.get(connector.id);
    if (!session) {
      session = { finishing: false, preparingTimer: this.context.timers.slot() };
      this.sessions.set(connector.id, session);
    }
    return session;
  }

  /** The running transactions. */
  running(): Array<{ evse: EvseState; connector: ConnectorState; tx: Transaction16 }> {
    return this.context.state.evses.flatMap((evse) => evse.connectors.flatMap((connector) => {
      const tx = this.sessions.get(connector.id)?.tx;
      return tx ? [{ evse, connector, tx }] : [];
    }));
  }

  /** Energy flows at the connector. */
  isFlowing(evse: EvseState, connector: ConnectorState): boolean {
    const tx = this.sessions.get(connector.id)?.tx;
    return tx !== undefined && !tx.invalid && connector.plugged && !connector.faulted && !evse.evSuspended && this.context.state.isOperative(connector);
  }

  /** An authorized idTag at the connector: starts the transaction when the cable is in. */
  authorize(evse: EvseState, connector: ConnectorState, idTag: string): void {
    // §5.13: a reserved connector refuses every idTag but the reservation's (or its parent's).
    if (!this.reservations.admits(connector, idTag)) return;
    this.session(connector).authorization = idTag;
    this.advance(evse, connector);
  }

  /** Re-evaluates the connector after an event: start when plugged and authorized, else wait in Preparing. */
  advance(evse: EvseState, connector: ConnectorState): void {
    const session = this.session(connector);
    const usable = !connector.faulted || this.context.hasFault('charge-while-faulted');
    if (!session.tx && session.authorization && connector.plugged && usable && this.context.state.isOperative(connector)) this.start(evse, connector, session);
    else if (!session.tx && (session.authorization || connector.plugged) && !session.finishing) this.armPreparingTimeout(evse, connector, session);
    if (!connector.plugged) session.finishing = false;
    evse.meter.setFlowing(evse.connectors.some((candidate) => this.isFlowing(evse, candidate)), this.context.now());
    this.onChange();
  }

  /** Ends the transaction with a Reason (§7.32); `idTag` when a driver stopped it. */
  stop(evse: EvseState, connector: ConnectorState, reason: string, idTag?: string): void {
    const session = this.session(connector);
    const tx = session.tx;
    if (!tx) return;
    const now = this.context.now();
    const meterStop = evse.meter.readWh(now);
    const measurands = this.context.hasFault('no-meter-values') ? [] : this.configuration.list('StopTxnSampledData');
    const samples = sampleMeasurands(measurands, evse, this.isFlowing(evse, connector), now);
    const fixed: Payload = { meterStop, timestamp: now.toISOString(), reason, ...(idTag ? { idTag } : {}) };
    if (samples.length > 0) fixed['transactionData'] = [meterValue16(samples, 'Transaction.End', now)];
    tx.meterTimer.clear();
    session.tx = undefined;
    session.authorization = undefined;
    session.finishing = connector.plugged;
    this.context.enqueueTx({
      action: 'StopTransaction',
      // The id the Central System gave at the start; a start it never confirmed has none (0).
      build: () => ({ ...fixed, transactionId: this.reportedId(tx) ?? 0 }),
      onResult: (answer) => idTag && answer['idTagInfo'] !== undefined && this.authorizer.remember(idTag, answer['idTagInfo']),
    });
    this.advance(evse, connector);
    this.onEnded(connector);
  }

  /** The id to report; behaviour:transaction-id-changes reports another one than the Central System gave. */
  private reportedId(tx: Transaction16): number | undefined {
    if (tx.transactionId === undefined) return undefined;
    return this.context.hasFault('transaction-id-changes') ? tx.transactionId + 1 : tx.transactionId;
  }

  private start(evse: EvseState, connector: ConnectorState, session: ConnectorSession16): void {
    const now = this.context.now();
    const tx: Transaction16 = { idTag: session.authorization!, startedAt: now.getTime(), invalid: false, meterTimer: this.context.timers.slot() };
    session.tx = tx;
    session.remoteTxProfile?.();
    session.remoteTxProfile = undefined;
    session.finishing = false;
    session.preparingTimer.clear();
    const reservationId = this.reservations.claim(connector, tx.idTag);
    const payload = { connectorId: connector.id, idTag: tx.idTag, meterStart: evse.meter.readWh(now), ...(reservationId === undefined ? {} : { reservationId }), timestamp: now.toISOString() };
    this.context.enqueueTx({ action: 'StartTransaction', build: () => payload, onResult: (answer) => this.onStarted(evse, connector, tx, answer) });
    this.schedulePeriodic(evse, connector, tx);
  }

  private onStarted(evse: EvseState, connector: ConnectorState, tx: Transaction16, answer: Payload): void {
    tx.transactionId = Number(answer['transactionId']);
    const status = this.authorizer.remember(tx.idTag, answer['idTagInfo']);
    // behaviour:ignore-invalid-start-status charges on whatever status the Central System gave (§3.5.4).
    if (status === 'Accepted' || this.session(connector).tx !== tx || this.context.hasFault('ignore-invalid-start-status')) return;
    // §9.1.24: stop, or keep the transaction without energy (SuspendedEVSE).
    if (this.configuration.flag('StopTransactionOnInvalidId')) this.stop(evse, connector, 'DeAuthorized');
    else {
      tx.invalid = true;
      this.advance(evse, connector);
    }
  }

  private schedulePeriodic(evse: EvseState, connector: ConnectorState, tx: Transaction16): void {
    const intervalS = this.configuration.integer('MeterValueSampleInterval');
    if (intervalS <= 0 || this.context.hasFault('no-meter-values')) return;
    // behaviour:sample-interval-ignored samples at twice the configured interval (breaks §9.1.19).
    tx.meterTimer.set(intervalS * (this.context.hasFault('sample-interval-ignored') ? 2000 : 1000), () => {
      if (this.session(connector).tx !== tx) return;
      const now = this.context.now();
      const samples = sampleMeasurands(this.configuration.list('MeterValuesSampledData'), evse, this.isFlowing(evse, connector), now);
      const value = meterValue16(samples, 'Sample.Periodic', now);
      if (samples.length > 0) {
        this.context.enqueueTx({ action: 'MeterValues', build: () => ({ connectorId: connector.id, ...(tx.transactionId !== undefined ? { transactionId: this.reportedId(tx) } : {}), meterValue: [value] }) });
      }
      this.schedulePeriodic(evse, connector, tx);
    });
  }

  // §9.1.6 ConnectionTimeOut: a usage that does not complete in time falls back to Available.
  private armPreparingTimeout(evse: EvseState, connector: ConnectorState, session: ConnectorSession16): void {
    if (session.preparingTimer.isSet || this.context.hasFault('ignore-connection-timeout')) return;
    const timeoutMs = this.configuration.integer('ConnectionTimeOut') * 1000;
    session.preparingTimer.set(this.context.hasFault('connection-timeout-too-early') ? timeoutMs / 5 : timeoutMs, () => {
      if (session.tx) return;
      session.authorization = undefined;
      // A remote start's TxProfile lapses with the authorization that came with it.
      session.remoteTxProfile = undefined;
      // A cable left in without a token stays Preparing until unplugged; only the authorization expires.
      this.advance(evse, connector);
    });
  }
}
