import type { ChargePointStatus16 } from '../../../domain/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { Sample } from '../meter-sample.js';
import type { ResolvedStationOptions } from '../options.js';

/** BootNotification.req (§4.2, §6.3): vendor and model, at most 20 characters each; the firmware running now. */
export function bootNotification16(options: ResolvedStationOptions, firmwareVersion: string | undefined): Payload {
  const { identity } = options;
  const payload: Payload = { chargePointVendor: identity.vendor.slice(0, 20), chargePointModel: identity.model.slice(0, 20) };
  if (identity.serialNumber) payload['chargePointSerialNumber'] = identity.serialNumber.slice(0, 25);
  if (firmwareVersion) payload['firmwareVersion'] = firmwareVersion.slice(0, 50);
  return payload;
}

/** StatusNotification.req (§4.9); a Faulted one names its error (ChargePointErrorCode, §7.6), by default OtherError. */
export function statusNotification16(connectorId: number, status: ChargePointStatus16, now: Date, faultCode = 'OtherError'): Payload {
  return { connectorId, errorCode: status === 'Faulted' ? faultCode : 'NoError', status, timestamp: now.toISOString() };
}

// 1.6 UnitOfMeasure has no Hz: frequency goes without a unit.
const UNITS_16 = new Set(['Wh', 'W', 'A', 'V', 'Percent']);

/** One 1.6 MeterValue: sampled values are strings (§7.43). */
export function meterValue16(samples: readonly Sample[], context: string, now: Date): Payload {
  return {
    timestamp: now.toISOString(),
    sampledValue: samples.map((sample) => ({ value: String(sample.value), context, measurand: sample.measurand, ...(UNITS_16.has(sample.unit) ? { unit: sample.unit } : {}) })),
  };
}
