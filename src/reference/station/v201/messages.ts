import type { ConnectorStatus } from '../../../domain/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { BootReason } from '../context.js';
import type { Sample } from '../meter-sample.js';
import type { ResolvedStationOptions } from '../options.js';

/** BootNotificationRequest (B01.FR.01, B01.FR.09: with the reason of the boot) naming the running firmware. */
export function bootNotification(options: ResolvedStationOptions, reason: BootReason, firmwareVersion: string | undefined): Payload {
  const { identity } = options;
  const chargingStation: Record<string, unknown> = { model: identity.model, vendorName: identity.vendor };
  if (identity.serialNumber) chargingStation['serialNumber'] = identity.serialNumber;
  if (firmwareVersion) chargingStation['firmwareVersion'] = firmwareVersion;
  return { reason, chargingStation };
}

/** StatusNotificationRequest of one connector (B01.FR.05, G03.FR.04). */
export function statusNotification(evseId: number, connectorId: number, status: ConnectorStatus, now: Date): Payload {
  return { timestamp: now.toISOString(), connectorStatus: status, evseId, connectorId };
}

/**
 * NotifyEventRequest reporting one connector's state through the device model: a Delta of its
 * Connector.AvailabilityState, as a station that reports status by events sends it (Part 6 accepts
 * it wherever a StatusNotification is expected).
 */
export function availabilityEvent(eventId: number, evseId: number, connectorId: number, status: ConnectorStatus, now: Date): Payload {
  const timestamp = now.toISOString();
  return {
    generatedAt: timestamp, seqNo: 0,
    eventData: [{
      eventId, timestamp, trigger: 'Delta', actualValue: status, eventNotificationType: 'HardWiredNotification',
      component: { name: 'Connector', evse: { id: evseId, connectorId } }, variable: { name: 'AvailabilityState' },
    }],
  };
}

export { securityEvent } from '../security-event.js';

/** One MeterValueType with the samples, in the given reading context. */
export function meterValue(samples: readonly Sample[], context: string, now: Date): Payload {
  return {
    timestamp: now.toISOString(),
    sampledValue: samples.map((sample) => ({ value: sample.value, context, measurand: sample.measurand, unitOfMeasure: { unit: sample.unit } })),
  };
}
