import { describe, expect, it } from 'vitest';
import { createRecord } from './trace-record.js';

const CONTEXT = { ocppVersion: '2.0.1' as const, chargePointId: 'CS1' };

function callRecord(action: string, payload: Record<string, unknown>) {
  const raw = JSON.stringify([2, 'm1', action, payload]);
  return createRecord(CONTEXT, 'csms-to-cp', 'CALL', { messageId: 'm1', action, payload, raw });
}

describe('a CALL that sets a password is traced without it (A01.FR.09/12)', () => {
  it('redacts BasicAuthPassword in SetVariables, in the payload and in raw, and keeps the other items', () => {
    const payload = { setVariableData: [
      { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: 'Sup3rSecretPassw0rd123' },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: '300' },
    ] };
    const record = callRecord('SetVariables', payload);
    expect(JSON.stringify(record)).not.toContain('Sup3rSecretPassw0rd123');
    expect(JSON.parse(record.raw!)).toEqual([2, 'm1', 'SetVariables', { setVariableData: [{ ...payload.setVariableData[0], attributeValue: '<redacted>' }, payload.setVariableData[1]] }]);
    // The message the session sends is not touched.
    expect(payload.setVariableData[0]!.attributeValue).toBe('Sup3rSecretPassw0rd123');
  });

  it('redacts the 1.6 AuthorizationKey of ChangeConfiguration', () => {
    const record = callRecord('ChangeConfiguration', { key: 'AuthorizationKey', value: '0123456789abcdef0123' });
    expect(record.raw).toBe(JSON.stringify([2, 'm1', 'ChangeConfiguration', { key: 'AuthorizationKey', value: '<redacted>' }]));
  });

  it('leaves every other CALL as it crossed the wire', () => {
    const raw = '[2, "m1", "SetVariables", {"setVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"OfflineThreshold"},"attributeValue":"300"}]}]';
    const payload = JSON.parse(raw)[3];
    expect(createRecord(CONTEXT, 'csms-to-cp', 'CALL', { messageId: 'm1', action: 'SetVariables', payload, raw }).raw).toBe(raw);
    expect(callRecord('ChangeConfiguration', { key: 'HeartbeatInterval', value: '60' }).raw).toContain('"value":"60"');
  });
});
