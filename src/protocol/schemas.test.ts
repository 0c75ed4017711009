import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SchemaRegistry, checkPayload, schemaFileOf, schemasOf, type OcppVersion } from './index.js';

describe('OCA schema sets from ocpp-rpc', () => {
  // A dependency bump that changes any schema must change this test, not silently a verdict.
  it.each(['1.6', '2.0.1', '2.1'] as const)('OCPP %s schema file has the pinned checksum', (version) => {
    const digest = createHash('sha256').update(readFileSync(schemaFileOf(version))).digest('hex');
    expect(digest).toBe(PINNED_SHA256[version]);
  });

  it.each([
    ['1.6', 39],
    ['2.0.1', 64],
    ['2.1', 91],
  ] as const)('OCPP %s defines %i actions', (version, count) => {
    expect(schemasOf(version).actions()).toHaveLength(count);
  });

  it('rejects a 21-character 1.6 chargePointVendor (limit 20)', () => {
    const problem = checkPayload('1.6', 'BootNotification', 'request', { chargePointVendor: 'V'.repeat(21), chargePointModel: 'M' });
    expect(problem?.errorCode).toBe('FormatViolation');
    expect(problem?.description).toContain('/chargePointVendor');
    expect(checkPayload('1.6', 'BootNotification', 'request', { chargePointVendor: 'V'.repeat(20), chargePointModel: 'M' })).toBeUndefined();
  });

  it('accepts a 1.6 MeterValues in Celsius (errata v4 content, not the 2015 original)', () => {
    const payload = {
      connectorId: 1,
      meterValue: [{ timestamp: '2026-11-21T10:00:00Z', sampledValue: [{ value: '21.5', measurand: 'Temperature', unit: 'Celsius' }] }],
    };
    expect(checkPayload('1.6', 'MeterValues', 'request', payload)).toBeUndefined();
  });

  it('rejects a 2.0.1 BootNotification without vendorName as an occurrence violation', () => {
    const problem = checkPayload('2.0.1', 'BootNotification', 'request', { reason: 'PowerUp', chargingStation: { model: 'M' } });
    expect(problem?.errorCode).toBe('OccurrenceConstraintViolation');
    expect(problem?.finding.code).toBe('schema-violation');
  });

  it('accepts every one-decimal 1.6 charging limit from 0.0 to 40.0 (multipleOf 0.1)', () => {
    const rejected: number[] = [];
    for (let tenth = 0; tenth <= 400; tenth++) {
      const limit = Number((tenth / 10).toFixed(1));
      const payload = chargingProfileWithLimit(limit);
      if (checkPayload('1.6', 'SetChargingProfile', 'request', payload)) rejected.push(limit);
    }
    expect(rejected).toEqual([]);
    expect(checkPayload('1.6', 'SetChargingProfile', 'request', chargingProfileWithLimit(6.25))?.errorCode).toBe('PropertyConstraintViolation');
  });

  it('maps keywords to OCPP-J error codes', () => {
    expect(checkPayload('2.0.1', 'Heartbeat', 'request', { extra: 1 })?.errorCode).toBe('PropertyConstraintViolation');
    expect(checkPayload('2.0.1', 'Heartbeat', 'response', { currentTime: 5 })?.errorCode).toBe('TypeConstraintViolation');
    expect(checkPayload('2.0.1', 'Heartbeat', 'response', { currentTime: 'yesterday' })?.errorCode).toBe('FormatViolation');
    expect(checkPayload('2.0.1', 'BootNotification', 'response', { currentTime: '2026-11-21T10:00:00Z', interval: 5, status: 'Maybe' })?.errorCode).toBe('PropertyConstraintViolation');
  });

  it('answers an unknown action with NotImplemented', () => {
    const problem = checkPayload('2.0.1', 'StartTransaction', 'request', {});
    expect(problem?.errorCode).toBe('NotImplemented');
    expect(problem?.finding.code).toBe('action-unknown');
  });

  it('compiles a schema on first use only, not the whole set up front', () => {
    const schemas = JSON.parse(readFileSync(schemaFileOf('2.1'), 'utf8')) as Array<{ $id: string }>;
    const registry = new SchemaRegistry('2.1', schemas);
    expect(registry.compiledCount).toBe(0);
    registry.validate('Heartbeat', 'request', {});
    registry.validate('Heartbeat', 'request', {});
    registry.validate('Heartbeat', 'response', { currentTime: '2026-11-21T10:00:00Z' });
    expect(registry.compiledCount).toBe(2);
  });

  it('knows the 2.1 SEND message NotifyPeriodicEventStream', () => {
    const registry = schemasOf('2.1' as OcppVersion);
    expect(registry.hasAction('NotifyPeriodicEventStream')).toBe(true);
  });
});

function chargingProfileWithLimit(limit: number) {
  return {
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    },
  };
}

const PINNED_SHA256: Record<OcppVersion, string> = {
  '1.6': 'bcef6a1779d7e729d88f604b18a27084b25e3f1d94e95c5c744f1b4a23c47ae5',
  '2.0.1': 'bb3c94678892a15bea969666bda599cc342eb3c34b7b351ddcfa974da9765a60',
  '2.1': '05ca95379552acf5de73d70566a063f44f6a1d4427072646605c5b352a05adb5',
};
