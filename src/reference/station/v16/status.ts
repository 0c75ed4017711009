import type { ChargePointStatus16 } from '../../../domain/index.js';
import type { StationContext } from '../context.js';
import type { ConnectorState } from '../station-state.js';
import { statusNotification16 } from './messages.js';
import type { TransactionEngine16 } from './transactions.js';

/** ChargePointStatus of a connector (§4.9, §7.7). */
export function connectorStatus16(context: StationContext, engine: TransactionEngine16, connector: ConnectorState): ChargePointStatus16 {
  // Asked first: a reservation whose connector is Faulted or Unavailable ends (§5.13).
  const reserved = engine.reservations.isReserved(connector);
  if (connector.faulted) return 'Faulted';
  const evse = context.state.evse(connector.evseId)!;
  const session = engine.session(connector);
  if (session.tx) {
    if (session.tx.invalid || !context.state.isOperative(connector)) return 'SuspendedEVSE';
    return evse.evSuspended || !connector.plugged ? 'SuspendedEV' : 'Charging';
  }
  if (!context.state.isOperative(connector)) return 'Unavailable';
  if (session.finishing) return 'Finishing';
  // §4.9 A7/G2: Reserved until the reservation's idTag is presented.
  if (!session.authorization && reserved) return 'Reserved';
  return connector.plugged || session.authorization ? 'Preparing' : 'Available';
}

/**
 * Reports the status of the Charge Point (connectorId 0, §3.8) and its connectors: all after an
 * accepted boot, otherwise only what changed since the Central System last heard.
 */
export class StatusReporter16 {
  constructor(private readonly context: StationContext, private readonly engine: TransactionEngine16) {}

  /** Reports connector 0 and every connector. */
  reportAll(): void {
    this.reportStation(true);
    for (const connector of this.context.state.connectors()) this.report(connector, true);
  }

  /** Reports what changed. */
  reportChanges(): void {
    this.reportStation(false);
    for (const connector of this.context.state.connectors()) this.report(connector, false);
  }

  /** Takes the current states as reported without sending (behaviour:no-status-after-boot). */
  pretendReported(): void {
    this.context.state.reportedStatus = this.stationStatus();
    for (const connector of this.context.state.connectors()) connector.reportedStatus = connectorStatus16(this.context, this.engine, connector);
  }

  /** Reports connector 0 (the Charge Point itself). */
  reportStation(force: boolean, requested = false): void {
    const status = this.stationStatus();
    if (!force && status === this.context.state.reportedStatus) return;
    if (!this.canSend(requested)) return;
    const { state } = this.context;
    state.reportedStatus = status;
    void this.context.send('StatusNotification', statusNotification16(0, status, this.context.now()), { requested }).then((outcome) => {
      if (outcome.kind === 'closed' && state.reportedStatus === status) state.reportedStatus = undefined;
    });
  }

  /** Reports one connector. */
  report(connector: ConnectorState, force: boolean, requested = false): void {
    const status = connectorStatus16(this.context, this.engine, connector);
    if (!force && status === connector.reportedStatus) return;
    if (!this.canSend(requested)) return;
    connector.reportedStatus = status;
    const faultCode = connector.lockFailed ? 'ConnectorLockFailure' : undefined;
    void this.context.send('StatusNotification', statusNotification16(connector.id, status, this.context.now(), faultCode), { requested }).then((outcome) => {
      // Lost with the connection: report it again after the reconnect.
      if (outcome.kind === 'closed' && connector.reportedStatus === status) connector.reportedStatus = undefined;
    });
  }

  private stationStatus(): ChargePointStatus16 {
    return this.context.state.operative ? 'Available' : 'Unavailable';
  }

  private canSend(requested: boolean): boolean {
    return this.context.isOnline() && (this.context.registration() === 'Accepted' || requested);
  }
}
