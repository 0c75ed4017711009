import { directionFrom, type OcppVersion } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import type { Sut } from '../testcase/index.js';
import type { SutIdentity } from './results.js';

/** The SUT's identity from the first BootNotification it sent (sut cs), if any. */
export function identityFrom(records: readonly TraceRecord[], ocpp: OcppVersion, sut: Sut): SutIdentity | undefined {
  if (sut !== 'cs') return undefined;
  const direction = directionFrom('cs');
  const boot = records.find((record) => record.messageType === 'CALL' && record.action === 'BootNotification' && record.direction === direction);
  const payload = boot?.payload as Record<string, unknown> | undefined;
  if (!payload) return undefined;
  const pick = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const station = (ocpp === '1.6' ? payload : (payload['chargingStation'] ?? {})) as Record<string, unknown>;
  const identity: SutIdentity = {};
  const vendor = pick(ocpp === '1.6' ? station['chargePointVendor'] : station['vendorName']);
  const model = pick(ocpp === '1.6' ? station['chargePointModel'] : station['model']);
  const firmware = pick(station['firmwareVersion']);
  const serial = pick(ocpp === '1.6' ? station['chargePointSerialNumber'] : station['serialNumber']);
  if (vendor) identity.vendor = vendor;
  if (model) identity.model = model;
  if (firmware) identity.firmwareVersion = firmware;
  if (serial) identity.serialNumber = serial;
  return identity;
}
