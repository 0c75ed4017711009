import { randomUUID } from 'node:crypto';
import type { Payload } from '../../../protocol/index.js';
import type { StationContext } from '../context.js';
import { sampleMeasurands } from '../meter-sample.js';
import type { EvseState } from '../station-state.js';
import type { TimerSlot } from '../timers.js';
import type { Authorizer, IdToken } from './authorizer.js';
import type { DeviceModel } from './device-model.js';
import { meterValue } from './messages.js';
import { chargingStateOf, pointsHolding, startPointReached, stopPointReached, type ChargingState, type EvseFacts } from './tx-points.js';

/** One running transaction (E01-E03). */
export interface Transaction {
  readonly id: string;
  /** Epoch ms of the Started event: where Relative charging profiles begin (K01.FR.42). */
  readonly startedAt: number;
  seqNo: number;
  /** TxStopPoint members that held during the transaction (E06). */
  readonly seen: Set<string>;
  chargingState?: ChargingState;
  connectorReported: boolean;
  tokenReported?: string;
  remoteStartReported: boolean;
  readonly meterTimer: TimerSlot;
  /** Samples kept for the Ended event (SampledDataCtrlr / AlignedDataCtrlr TxEndedInterval, E06.FR.11). */
  readonly endValues: Payload[];
  readonly endTimer: TimerSlot;
}

/** Who may charge at an EVSE, and its transaction. */
export interface EvseSession {
  authorization?: { token: IdToken; groupId?: string };
  /** A token being authorized right now (a second tap of it is ignored). */
  authorizing?: string;
  remoteStartId?: number;
  /** The TxProfile of the RequestStartTransaction that authorized the EVSE, installed for its transaction (F01.FR.10, K05.FR.03). */
  remoteTxProfile?: (transactionId: string) => void;
  /** F02.FR.21: the next event reports RemoteStart, even when the cable connection starts it. */
  nextTrigger?: string;
  tx?: Transaction;
  /** A start point still holds from the last transaction: wait until none does (no restart on the same plug). */
  spent: boolean;
  readonly connectionTimer: TimerSlot;
}

type EventType = 'Started' | 'Updated' | 'Ended';

// E06.FR.08, E07.FR.05/06: the stoppedReason that goes with what ended the transaction.
const STOPPED_REASON: Record<string, string> = {
  StopAuthorized: 'Local', EVCommunicationLost: 'EVDisconnected', RemoteStop: 'Remote', Deauthorized: 'DeAuthorized',
  EVDeparted: 'Other', EVConnectTimeout: 'Timeout', AbnormalCondition: 'Other', ResetCommand: 'ImmediateReset', ChargingStateChanged: 'StoppedByEV',
};

/**
 * The OCPP 2.0.1 transaction engine: after every event at an EVSE it starts, updates or ends the
 * transaction as TxStartPoint and TxStopPoint say (E01-E09) and queues the TransactionEvents,
 * numbered with seqNo from 0 (E01.FR.07), under one transactionId (E01.FR.08).
 */
export class TransactionEngine {
  private readonly sessions = new Map<number, EvseSession>();
  /** Called after a transaction ended (scheduled availability changes and resets wait for it). */
  onEnded: (evse: EvseState) => void = () => undefined;

  constructor(private readonly context: StationContext, private readonly model: DeviceModel, private readonly authorizer: Authorizer) {}

  /** The session of an EVSE. */
  session(evse: EvseState): EvseSession {
    let session = this.sessions.get(evse.id);
    if (!session) {
      session = { spent: false, connectionTimer: this.context.timers.slot() };
      this.sessions.set(evse.id, session);
    }
    return session;
  }

  /** The running transactions with their EVSEs. */
  running(): Array<{ evse: EvseState; tx: Transaction }> {
    return this.context.state.evses.flatMap((evse) => {
      const tx = this.sessions.get(evse.id)?.tx;
      return tx ? [{ evse, tx }] : [];
    });
  }

  /** Lets a token charge at the EVSE (E02.FR.01, E03.FR.01, F01.FR.19 with trigger RemoteStart). */
  authorize(evse: EvseState, token: IdToken, groupId: string | undefined, trigger: string): void {
    const session = this.session(evse);
    session.authorization = groupId ? { token, groupId } : { token };
    if (!evse.connectors.some((connector) => connector.plugged)) this.startConnectionTimer(evse, session);
    this.update(evse, trigger);
  }

  /** Ends the authorization (StopAuthorized, RemoteStop, Deauthorized); `stopToken` is who stopped (E07.FR.02). */
  deauthorize(evse: EvseState, trigger: string, stopToken?: IdToken): void {
    const session = this.session(evse);
    session.authorization = undefined;
    session.connectionTimer.clear();
    this.update(evse, trigger, undefined, stopToken);
  }

  /** Re-evaluates the EVSE after an event; `forcedReason` ends the transaction whatever the stop points say. */
  update(evse: EvseState, trigger: string, forcedReason?: string, stopToken?: IdToken): void {
    const session = this.session(evse);
    const facts = this.factsOf(evse, session);
    evse.meter.setFlowing(facts.flowing, this.context.now());
    const startPoints = this.model.members('TxCtrlr', 'TxStartPoint');
    const tx = session.tx;
    if (!tx) {
      session.spent &&= startPointReached(startPoints, facts);
      if (!forcedReason && !session.spent && startPointReached(startPoints, facts)) this.start(evse, session, facts, trigger);
      return;
    }
    if (forcedReason || stopPointReached(this.model.members('TxCtrlr', 'TxStopPoint'), tx.seen, facts)) {
      this.end(evse, session, facts, trigger, forcedReason ?? STOPPED_REASON[trigger] ?? 'Other', stopToken);
      return;
    }
    for (const point of pointsHolding(facts)) tx.seen.add(point);
    this.emit(evse, session, 'Updated', trigger, facts);
  }

  /** F06.FR.07: a TransactionEvent for a running transaction because the CSMS asked. */
  triggered(evse: EvseState): void {
    const session = this.session(evse);
    if (session.tx) this.emit(evse, session, 'Updated', 'Trigger', this.factsOf(evse, session), { context: 'Trigger', forceState: true });
  }

  private start(evse: EvseState, session: EvseSession, facts: EvseFacts, trigger: string): void {
    const { timers } = this.context;
    const tx: Transaction = {
      id: randomUUID(), startedAt: this.context.now().getTime(), seqNo: 0, seen: new Set(pointsHolding(facts)), connectorReported: false, remoteStartReported: false,
      meterTimer: timers.slot(), endValues: [], endTimer: timers.slot(),
    };
    session.tx = tx;
    session.remoteTxProfile?.(tx.id);
    session.remoteTxProfile = undefined;
    this.emit(evse, session, 'Started', trigger, facts, { context: 'Transaction.Begin' });
    this.schedulePeriodic(evse, session, tx);
    this.scheduleEndSampling(evse, session, tx);
  }

  /** J01.FR.22: a clock-aligned reading of a running transaction goes in an Updated event, triggerReason MeterValueClock. */
  clockAligned(evse: EvseState, at: Date): void {
    const session = this.session(evse);
    if (session.tx) this.emit(evse, session, 'Updated', 'MeterValueClock', this.factsOf(evse, session), { context: 'Sample.Clock', at });
  }

  /** Keeps a reading of the running transaction for its Ended event (E06.FR.11). */
  keepForEnd(evse: EvseState, value: Payload): void {
    this.session(evse).tx?.endValues.push(value);
  }

  /** Whether energy flows at the EVSE now. */
  isFlowing(evse: EvseState): boolean {
    return this.factsOf(evse, this.session(evse)).flowing;
  }

  private end(evse: EvseState, session: EvseSession, facts: EvseFacts, trigger: string, stoppedReason: string, stopToken?: IdToken): void {
    this.emit(evse, session, 'Ended', trigger, facts, { context: 'Transaction.End', stoppedReason, ...(stopToken ? { stopToken } : {}) });
    session.tx?.meterTimer.clear();
    session.tx?.endTimer.clear();
    session.tx = undefined;
    session.authorization = undefined;
    session.remoteStartId = undefined;
    session.remoteTxProfile = undefined;
    session.nextTrigger = undefined;
    session.connectionTimer.clear();
    session.spent = startPointReached(this.model.members('TxCtrlr', 'TxStartPoint'), { ...facts, authorized: false, flowing: false });
    evse.meter.setFlowing(false, this.context.now());
    this.onEnded(evse);
  }

  private emit(evse: EvseState, session: EvseSession, eventType: EventType, trigger: string, facts: EvseFacts, extra: EmitExtra = {}): void {
    const tx = session.tx!;
    const { context } = this;
    const now = context.now();
    const state = chargingStateOf(facts, evse.evSuspended);
    const changesId = eventType !== 'Started' && context.hasFault('transaction-id-changes');
    const info: Payload = { transactionId: changesId ? randomUUID() : tx.id };
    if (eventType === 'Started' || extra.forceState || state !== tx.chargingState) info['chargingState'] = state;
    tx.chargingState = state;
    if (session.remoteStartId !== undefined && !tx.remoteStartReported) {
      info['remoteStartId'] = session.remoteStartId;
      tx.remoteStartReported = true;
    }
    if (extra.stoppedReason) info['stoppedReason'] = extra.stoppedReason;
    const triggerReason = session.nextTrigger ?? trigger;
    session.nextTrigger = undefined;
    const payload: Payload = {
      eventType, timestamp: now.toISOString(), triggerReason,
      seqNo: context.hasFault('seqno-not-increasing') ? 0 : tx.seqNo++,
      transactionInfo: info,
    };
    const markOffline = () => {
      if (!context.hasFault('offline-flag-missing')) payload['offline'] = true;
    };
    if (!context.isOnline()) markOffline();
    Object.assign(payload, this.optionalParts(evse, session, tx, eventType, extra, facts, now));
    const token = session.authorization?.token ?? extra.stopToken;
    // E11.FR.07: still queued when the connection is lost, it goes out with offline true.
    context.enqueueTx({ action: 'TransactionEvent', build: () => payload, onResult: (answer) => this.onAnswer(evse, tx, token, answer), onOffline: markOffline });
  }

  private optionalParts(evse: EvseState, session: EvseSession, tx: Transaction, eventType: EventType, extra: EmitExtra, facts: EvseFacts, now: Date): Payload {
    const parts: Payload = {};
    const plugged = evse.connectors.find((connector) => connector.plugged);
    // E01.FR.16: once the EV is connected, the next event names the EVSE and connector.
    if (plugged && !tx.connectorReported) {
      parts['evse'] = { id: evse.id, connectorId: plugged.id };
      tx.connectorReported = true;
    } else if (eventType === 'Started') parts['evse'] = { id: evse.id };
    // E02.FR.01, E03.FR.01: the token goes into the first event after it is known; E07.FR.02 the stopper's.
    const token = extra.stopToken ?? session.authorization?.token;
    if (token && tx.tokenReported !== token.idToken) {
      parts['idToken'] = { idToken: token.idToken, type: token.type };
      tx.tokenReported = token.idToken;
    }
    if (extra.context && !this.context.hasFault('no-meter-values')) {
      // J01.FR.22: clock-aligned readings take AlignedDataCtrlr.Measurands; the others their SampledDataCtrlr list.
      const measurands = extra.context === 'Sample.Clock'
        ? this.model.members('AlignedDataCtrlr', 'Measurands')
        : this.model.members('SampledDataCtrlr', MEASURANDS_OF[extra.context] ?? 'TxUpdatedMeasurands');
      const at = extra.at ?? now;
      const samples = sampleMeasurands(measurands, evse, facts.flowing, at);
      // E06.FR.11: the Ended event carries the readings kept at every TxEndedInterval before its own.
      const kept = eventType === 'Ended' ? tx.endValues : [];
      const values = [...kept, ...(samples.length > 0 ? [meterValue(samples, extra.context, at)] : [])];
      if (values.length > 0) parts['meterValue'] = values;
    }
    return parts;
  }

  private onAnswer(evse: EvseState, tx: Transaction, token: IdToken | undefined, answer: Payload): void {
    if (!token || answer['idTokenInfo'] === undefined) return;
    const result = this.authorizer.remember(token, answer['idTokenInfo']);
    const session = this.session(evse);
    // E05.FR.09/10: a token the CSMS does not accept is deauthorized when StopTxOnInvalidId is set.
    if (result.status !== 'Accepted' && session.tx === tx && session.authorization?.token.idToken === token.idToken && this.model.flag('TxCtrlr', 'StopTxOnInvalidId')) {
      this.deauthorize(evse, 'Deauthorized');
    }
  }

  // J02.FR.02: a reading every SampledDataCtrlr.TxUpdatedInterval, on the same fixed grid as the end samples.
  private schedulePeriodic(evse: EvseState, session: EvseSession, tx: Transaction, due?: Date): void {
    const intervalS = this.model.integer('SampledDataCtrlr', 'TxUpdatedInterval');
    if (intervalS <= 0 || this.context.hasFault('no-meter-values')) return;
    const next = new Date((due ?? this.context.now()).getTime() + intervalS * 1000);
    tx.meterTimer.set(Math.max(0, next.getTime() - this.context.now().getTime()), () => {
      if (session.tx !== tx) return;
      this.emit(evse, session, 'Updated', 'MeterValuePeriodic', this.factsOf(evse, session), { context: 'Sample.Periodic', at: next });
      this.schedulePeriodic(evse, session, tx, next);
    });
  }

  // E06.FR.11: every SampledDataCtrlr.TxEndedInterval the TxEndedMeasurands are read and kept for the
  // Ended event. The readings keep a fixed grid from the first due instant, as a meter with its own
  // clock would: a late timer (a busy host) shifts when a reading is taken, never the interval between them.
  private scheduleEndSampling(evse: EvseState, session: EvseSession, tx: Transaction, due?: Date): void {
    const intervalS = this.model.integer('SampledDataCtrlr', 'TxEndedInterval');
    if (intervalS <= 0 || this.context.hasFault('no-meter-values')) return;
    const next = new Date((due ?? this.context.now()).getTime() + intervalS * 1000);
    tx.endTimer.set(Math.max(0, next.getTime() - this.context.now().getTime()), () => {
      if (session.tx !== tx) return;
      const samples = sampleMeasurands(this.model.members('SampledDataCtrlr', 'TxEndedMeasurands'), evse, this.factsOf(evse, session).flowing, next);
      if (samples.length > 0) tx.endValues.push(meterValue(samples, 'Sample.Periodic', next));
      this.scheduleEndSampling(evse, session, tx, next);
    });
  }

  // E03.FR.05: no cable within EVConnectionTimeOut ends the authorization (and its transaction).
  private startConnectionTimer(evse: EvseState, session: EvseSession): void {
    session.connectionTimer.set(this.model.integer('TxCtrlr', 'EVConnectionTimeOut') * 1000, () => {
      if (evse.connectors.some((connector) => connector.plugged) || !session.authorization) return;
      session.authorization = undefined;
      session.remoteStartId = undefined;
      session.nextTrigger = undefined;
      if (session.tx) this.update(evse, 'EVConnectTimeout', 'Timeout');
    });
  }

  private factsOf(evse: EvseState, session: EvseSession): EvseFacts {
    const plugged = evse.connectors.find((connector) => connector.plugged);
    const authorized = session.authorization !== undefined;
    const usable = plugged !== undefined && !plugged.faulted && this.context.state.isOperative(plugged);
    return { bayOccupied: evse.bayOccupied, plugged: plugged !== undefined, authorized, flowing: usable && authorized && !evse.evSuspended };
  }
}

interface EmitExtra {
  context?: string;
  stoppedReason?: string;
  stopToken?: IdToken;
  forceState?: boolean;
  /** The moment the reading belongs to (a clock-aligned boundary); now when absent. */
  at?: Date;
}

const MEASURANDS_OF: Record<string, string> = {
  'Transaction.Begin': 'TxStartedMeasurands', 'Transaction.End': 'TxEndedMeasurands', 'Sample.Periodic': 'TxUpdatedMeasurands', Trigger: 'TxUpdatedMeasurands',
};
