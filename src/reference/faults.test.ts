import { describe, expect, it } from 'vitest';
import { MessageType, type Frame } from '../protocol/index.js';
import { FaultSyntaxError, behaviours, faultInterceptor, parseFault } from './index.js';

const call = (action: string, payload: Record<string, unknown>, messageId = 'm1'): Frame => ({ type: MessageType.Call, messageId, action, payload });
const result = (payload: Record<string, unknown>, messageId = 'm9'): Frame => ({ type: MessageType.CallResult, messageId, payload });

describe('fault grammar', () => {
  it('parses every kind', () => {
    expect(parseFault('skip:StatusNotification')).toMatchObject({ kind: 'skip', action: 'StatusNotification' });
    expect(parseFault('omit:BootNotification.chargingStation.vendorName')).toMatchObject({ kind: 'omit', action: 'BootNotification', path: ['chargingStation', 'vendorName'] });
    expect(parseFault('set:GetVariables.getVariableResult.0.attributeValue="299"')).toMatchObject({ kind: 'set', path: ['getVariableResult', '0', 'attributeValue'], value: '299' });
    expect(parseFault('set:Reset.status=Rejected')).toMatchObject({ kind: 'set', value: 'Rejected' });
    expect(parseFault('replace:StatusNotification.status=Charging>SuspendedEV')).toMatchObject({ kind: 'replace', path: ['status'], from: 'Charging', value: 'SuspendedEV' });
    expect(parseFault('replace:MeterValues.connectorId=1>2')).toMatchObject({ kind: 'replace', from: 1, value: 2 });
    expect(parseFault('error:Authorize=InternalError')).toMatchObject({ kind: 'error', code: 'InternalError' });
    expect(parseFault('delay:Heartbeat=500')).toMatchObject({ kind: 'delay', ms: 500 });
    expect(parseFault('behaviour:no-reconnect')).toMatchObject({ kind: 'behaviour', name: 'no-reconnect' });
    expect(behaviours([parseFault('behaviour:a'), parseFault('skip:B')])).toEqual(new Set(['a']));
  });

  it('rejects malformed faults with the grammar in the message', () => {
    for (const text of ['skip', 'omit:Boot', 'set:Boot.x', 'delay:Heartbeat=soon', 'frobnicate:X', 'set:A.b={nope', 'replace:A.b=Charging', 'replace:A=x>y']) {
      expect(() => parseFault(text), text).toThrow(FaultSyntaxError);
    }
    expect(() => parseFault('omit:Boot')).toThrow(/omit needs a field path.*faults look like skip:Action/);
  });
});

describe('fault interceptor', () => {
  it('drops our CALLs for skip and our answers for noreply, leaving the rest', () => {
    const intercept = faultInterceptor([parseFault('skip:StatusNotification'), parseFault('noreply:GetVariables')])!;
    expect(intercept(call('StatusNotification', {}), 'StatusNotification')).toEqual({ drop: true });
    expect(intercept(result({}), 'GetVariables')).toEqual({ drop: true });
    expect(intercept(call('Heartbeat', {}), 'Heartbeat')).toEqual({ send: call('Heartbeat', {}) });
  });

  it('edits payloads without touching the original', () => {
    const intercept = faultInterceptor([parseFault('omit:BootNotification.chargingStation.vendorName'), parseFault('set:BootNotification.reason=Triggered')])!;
    const original = call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
    const verdict = intercept(original, 'BootNotification');
    expect(verdict).toEqual({ send: call('BootNotification', { reason: 'Triggered', chargingStation: { model: 'M' } }) });
    expect(JSON.stringify(original)).toContain("\"vendorName\":\"V\"");
  });

  it('a * segment edits every element: every attribute of every report part loses its type', () => {
    const intercept = faultInterceptor([parseFault('omit:NotifyReport.reportData.*.variableAttribute.*.type')])!;
    const part = (types: string[]) => ({ variableAttribute: types.map((type) => ({ type, value: '1' })) });
    const report = call('NotifyReport', { requestId: 1, reportData: [part(['Actual', 'Target']), part(['Actual'])] });
    const bare = { variableAttribute: [{ value: '1' }, { value: '1' }] };
    expect(intercept(report, 'NotifyReport')).toEqual({ send: call('NotifyReport', { requestId: 1, reportData: [bare, { variableAttribute: [{ value: '1' }] }] }) });
    expect(intercept(call('NotifyReport', { requestId: 2 }), 'NotifyReport')).toEqual({ send: call('NotifyReport', { requestId: 2 }) });
  });

  it('replaces a field only where it has the given value', () => {
    const intercept = faultInterceptor([parseFault('replace:StatusNotification.status=Charging>SuspendedEV')])!;
    const status = (value: string) => call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: value });
    expect(intercept(status('Preparing'), 'StatusNotification')).toEqual({ send: status('Preparing') });
    expect(intercept(status('Charging'), 'StatusNotification')).toEqual({ send: status('SuspendedEV') });
    expect(intercept(call('StatusNotification', { connectorId: 1 }), 'StatusNotification')).toEqual({ send: call('StatusNotification', { connectorId: 1 }) });
  });

  it('answers with a CALLERROR, late, with a wrong or reused id, or drops the connection', () => {
    const intercept = faultInterceptor([
      parseFault('error:Authorize=InternalError'), parseFault('delay:Heartbeat=20'), parseFault('wrong-id:ClearCache'), parseFault('dup-id:MeterValues'), parseFault('drop:Reset'),
    ])!;
    expect(intercept(result({ idTokenInfo: {} }, 'a1'), 'Authorize')).toEqual({ send: { type: MessageType.CallError, messageId: 'a1', errorCode: 'InternalError', errorDescription: 'injected fault', errorDetails: {} } });
    expect(intercept(call('Heartbeat', {}, 'h1'), 'Heartbeat')).toMatchObject({ delayMs: 20 });
    expect(intercept(result({}, 'c1'), 'ClearCache')).toMatchObject({ send: { messageId: 'c1-wrong' } });
    expect(intercept(call('MeterValues', {}, 'm2'), 'MeterValues')).toMatchObject({ send: { messageId: 'h1' } });
    expect(intercept(result({}, 'r1'), 'Reset')).toEqual({ close: true });
  });

  it('is absent when only behaviour faults are given', () => {
    expect(faultInterceptor([parseFault('behaviour:no-reconnect')])).toBeUndefined();
  });
});
