import { describe, expect, it } from 'vitest';
import { checkDatatypes, decimalPlaces, schemasOf, type DatatypeSubject } from './index.js';

const v201 = schemasOf('2.0.1');
const codes = (subject: DatatypeSubject, registry = v201) => checkDatatypes(registry, subject).map((f) => [f.code, f.message]);

describe('Part 2 §2.1.4 dateTime', () => {
  const heartbeatReply = (currentTime: string): DatatypeSubject => ({ action: 'Heartbeat', kind: 'response', direction: 'csms-to-cp', payload: { currentTime } });

  it('accepts up to 3 decimal places of seconds, with or without an offset', () => {
    for (const time of ['2026-11-21T19:21:47Z', '2026-11-21T19:21:47.6Z', '2026-11-21T19:21:47.607+00:00']) expect(codes(heartbeatReply(time))).toEqual([]);
  });

  it('flags more than 3, naming the value and the field', () => {
    expect(codes(heartbeatReply('2026-11-21T19:21:47.607873+00:00'))).toEqual([
      ['datetime-precision', 'Heartbeat response /currentTime: dateTime "2026-11-21T19:21:47.607873+00:00" has 6 decimal places of seconds, at most 3 are allowed'],
    ]);
  });

  it('finds dateTimes nested in definitions and arrays', () => {
    const payload = { eventType: 'Updated', timestamp: '2026-11-21T19:21:47Z', triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId: 'T1' },
      meterValue: [{ timestamp: '2026-11-21T19:21:47.1234Z', sampledValue: [{ value: 1 }] }] };
    expect(codes({ action: 'TransactionEvent', kind: 'request', direction: 'cp-to-csms', payload }).map(([code, message]) => [code, message?.split(':')[0]])).toEqual([
      ['datetime-precision', 'TransactionEvent request /meterValue/0/timestamp'],
    ]);
  });

  it('is not a rule of OCPP 1.6', () => {
    expect(codes({ action: 'Heartbeat', kind: 'response', direction: 'csms-to-cp', payload: { currentTime: '2026-11-21T19:21:47.607873Z' } }, schemasOf('1.6'))).toEqual([]);
  });
});

describe('Part 2 §2.1.4 decimal, identifierString and integer', () => {
  const limitFrame = (limit: string) => `[2,"m1","SetChargingProfile",{"evseId":1,"chargingProfile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":${limit}}]}]}}]`;
  const setProfile = (limit: string, direction: 'csms-to-cp' | 'cp-to-csms' = 'csms-to-cp'): DatatypeSubject => {
    const raw = limitFrame(limit);
    return { action: 'SetChargingProfile', kind: 'request', direction, payload: (JSON.parse(raw) as unknown[])[3], raw };
  };

  it('allows 6 decimal places towards the station, flags 7 as written in the frame', () => {
    expect(codes(setProfile('16.123456'))).toEqual([]);
    expect(codes(setProfile('16.1000000'))).toEqual([
      ['decimal-precision', 'SetChargingProfile request /chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/limit: decimal 16.1000000 has 7 decimal places, at most 6 are allowed towards the Charging Station'],
    ]);
    expect(decimalPlaces('1.5e-7')).toBe(8);
  });

  it('leaves decimals reported by the station at full resolution', () => {
    expect(codes(setProfile('16.1234567', 'cp-to-csms'))).toEqual([]);
  });

  it('flags an integer written with a fraction or an exponent', () => {
    const raw = '[2,"m1","Heartbeat",{}]';
    expect(codes({ action: 'Heartbeat', kind: 'request', direction: 'cp-to-csms', payload: {}, raw })).toEqual([]);
    const statusRaw = '[2,"m2","StatusNotification",{"timestamp":"2026-01-01T00:00:00Z","connectorStatus":"Available","evseId":1.0,"connectorId":1}]';
    const payload = (JSON.parse(statusRaw) as unknown[])[3];
    expect(codes({ action: 'StatusNotification', kind: 'request', direction: 'cp-to-csms', payload, raw: statusRaw })).toEqual([
      ['integer-form', 'StatusNotification request /evseId: integer written as 1.0: digits only, without fraction, exponent, leading zero or plus sign'],
    ]);
  });

  it('checks the identifierString fields of Part 2, not other strings', () => {
    const authorize = (idToken: string) => ({ action: 'Authorize', kind: 'request' as const, direction: 'cp-to-csms' as const, payload: { idToken: { idToken, type: 'eMAID' } } });
    expect(codes(authorize('NL*TNM-C12345678_X=1:2+3|4@5.6'))).toEqual([]);
    expect(codes(authorize('token with spaces'))).toEqual([
      ['identifier-charset', 'Authorize request /idToken/idToken: identifierString "token with spaces" has characters outside a-z A-Z 0-9 * - _ = : + | @ .'],
    ]);
    // vendorName is a plain string: spaces are fine.
    expect(codes({ action: 'BootNotification', kind: 'request', direction: 'cp-to-csms', payload: { reason: 'PowerUp', chargingStation: { model: 'M 1', vendorName: 'A B' } } })).toEqual([]);
  });
});

describe('passwordString (Part 2 §2.1.4, errata 2025-09 §2.1: no character set)', () => {
  // Symbols outside the old set (* - _ = : + | @ .), a space and non-ASCII letters: UTF-8 text is all the errata asks for.
  const password = 'Pä$$ wörd#%^&(){}[]~!?/\\<>€0123';

  it('checks no character set on a BasicAuthPassword written with SetVariables', () => {
    const payload = { setVariableData: [{ attributeValue: password, component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] };
    expect(codes({ action: 'SetVariables', kind: 'request', direction: 'csms-to-cp', payload })).toEqual([]);
  });

  it('checks no character set on an APN password in a network profile', () => {
    const payload = { configurationSlot: 1, connectionData: { ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: 'wss://csms.example.com/ocpp', messageTimeout: 30, securityProfile: 2, ocppInterface: 'Wireless0', apn: { apn: 'internet', apnPassword: password.slice(0, 20), apnAuthentication: 'AUTO' } } };
    expect(codes({ action: 'SetNetworkProfile', kind: 'request', direction: 'csms-to-cp', payload })).toEqual([]);
  });

  it('still checks the identifierString beside it (the rule runs on the same frame)', () => {
    const payload = { setVariableData: [{ attributeValue: password, component: { name: 'Security Ctrlr' }, variable: { name: 'BasicAuthPassword' } }] };
    expect(codes({ action: 'SetVariables', kind: 'request', direction: 'csms-to-cp', payload }).map(([code]) => code)).toEqual(['identifier-charset']);
  });
});
