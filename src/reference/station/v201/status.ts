import type { ConnectorStatus } from '../../../domain/index.js';
import type { StationContext } from '../context.js';
import type { ConnectorState, EvseState } from '../station-state.js';
import { availabilityEvent, statusNotification } from './messages.js';

/** ConnectorStatusEnumType of a connector, from what is true of it now. */
export function connectorStatus(context: StationContext, connector: ConnectorState): ConnectorStatus {
  if (connector.faulted) return 'Faulted';
  if (!context.state.isOperative(connector)) return 'Unavailable';
  return connector.plugged ? 'Occupied' : 'Available';
}

/** The AvailabilityState of an EVSE for the device model (Part 2 appendix: EVSE.AvailabilityState). */
export function evseAvailability(context: StationContext, evse: EvseState): string {
  const statuses = evse.connectors.map((connector) => connectorStatus(context, connector));
  if (statuses.length > 0 && statuses.every((status) => status === 'Faulted')) return 'Faulted';
  if (!context.state.operative || !evse.operative) return 'Unavailable';
  return statuses.includes('Occupied') ? 'Occupied' : 'Available';
}

/**
 * Reports connector states to the CSMS: all of them after an accepted boot (B01.FR.05) or a long
 * offline period (B04.FR.01), otherwise only those that changed since they were last reported
 * (E02.FR.05, G03.FR.04, B04.FR.02).
 */
export class StatusReporter {
  /** NotifyEvent eventIds of this station's connector reports (behaviour:status-by-notify-event). */
  private nextEventId = 1;

  constructor(private readonly context: StationContext) {}

  /** Reports every connector. */
  reportAll(): void {
    for (const connector of this.context.state.connectors()) this.report(connector, true);
  }

  /** Reports the connectors whose state differs from what the CSMS last heard. */
  reportChanges(): void {
    for (const connector of this.context.state.connectors()) this.report(connector, false);
  }

  /** Takes the current states as reported without sending (behaviour:no-status-after-boot). */
  pretendReported(): void {
    for (const connector of this.context.state.connectors()) connector.reportedStatus = connectorStatus(this.context, connector);
  }

  /** Reports the first connector alone and takes the others as reported (behaviour:first-connector-status-only). */
  reportFirstOnly(): void {
    this.pretendReported();
    const [first] = this.context.state.connectors();
    if (first) this.report(first, true);
  }

  /** Sends one connector's state; `requested` for TriggerMessage (F06), which may come before acceptance. */
  report(connector: ConnectorState, force: boolean, requested = false): void {
    const { context } = this;
    const status = connectorStatus(context, connector);
    if (!force && status === connector.reportedStatus) return;
    if (!context.isOnline() || (context.registration() !== 'Accepted' && !requested)) return;
    connector.reportedStatus = status;
    // A TriggerMessage asks for a StatusNotification by name (F06): that one is sent as asked.
    const byEvent = context.hasFault('status-by-notify-event') && !requested;
    const [action, payload] = byEvent
      ? ['NotifyEvent', availabilityEvent(this.nextEventId++, connector.evseId, connector.id, status, context.now())]
      : ['StatusNotification', statusNotification(connector.evseId, connector.id, status, context.now())];
    void context.send(action, payload, { requested }).then((outcome) => {
      // Lost with the connection: report it again after the reconnect.
      if (outcome.kind === 'closed' && connector.reportedStatus === status) connector.reportedStatus = undefined;
    });
  }
}
