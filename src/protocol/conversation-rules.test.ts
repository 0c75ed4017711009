import { describe, expect, it } from 'vitest';
import { ConversationRules, Correlator, schemasOf, type ObservedFrame, type OcppVersion } from './index.js';

/** Feeds frames with their times (seconds) and returns the codes found, per frame index. */
function run(version: OcppVersion, frames: Array<[number, ObservedFrame]>): Array<[number, string]> {
  const rules = new ConversationRules(schemasOf(version));
  return frames.flatMap(([seconds, frame], index) => rules.check(frame, seconds * 1000).map((f): [number, string] => [index, f.code]));
}

const call = (direction: ObservedFrame['direction'], messageId: string, action: string, payload: unknown): ObservedFrame => ({ direction, messageType: 'CALL', messageId, action, payload });
const result = (direction: ObservedFrame['direction'], messageId: string, action: string, payload: unknown): ObservedFrame => ({ direction, messageType: 'CALLRESULT', messageId, action, payload });
const error = (direction: ObservedFrame['direction'], messageId: string, errorCode: string): ObservedFrame => ({ direction, messageType: 'CALLERROR', messageId, errorCode });

describe('CALLERROR semantics (OCPP-J §4.3, §4.4)', () => {
  it('wants NotImplemented for an unknown action, in both versions', () => {
    for (const [version, wrong] of [['2.0.1', 'NotSupported'], ['1.6', 'ProtocolError']] as const) {
      expect(run(version, [[0, call('csms-to-cp', 'a', 'NoSuchAction', {})], [0, error('cp-to-csms', 'a', 'NotImplemented')]])).toEqual([]);
      expect(run(version, [[0, call('csms-to-cp', 'a', 'NoSuchAction', {})], [0, error('cp-to-csms', 'a', wrong)]])).toEqual([[1, 'callerror-code-unexpected']]);
      expect(run(version, [[0, call('csms-to-cp', 'a', 'NoSuchAction', {})], [0, result('cp-to-csms', 'a', 'NoSuchAction', {})]])).toEqual([[1, 'callerror-code-unexpected']]);
    }
  });

  it('accepts ProtocolError for a missing field in 1.6, and wants a payload code in 2.0.1', () => {
    expect(run('1.6', [[0, call('cp-to-csms', 'b', 'Authorize', {})], [0, error('csms-to-cp', 'b', 'ProtocolError')]])).toEqual([]);
    expect(run('2.0.1', [[0, call('cp-to-csms', 'b', 'Authorize', {})], [0, error('csms-to-cp', 'b', 'OccurrenceConstraintViolation')]])).toEqual([]);
    expect(run('2.0.1', [[0, call('cp-to-csms', 'b', 'Authorize', {})], [0, error('csms-to-cp', 'b', 'NotImplemented')]])).toEqual([[1, 'callerror-code-unexpected']]);
  });

  it('wants MessageTypeNotSupported for an unknown message type in 2.0.1, a framing code for a broken frame', () => {
    const broken = (raw: string): ObservedFrame => ({ direction: 'csms-to-cp', messageType: 'INVALID', raw });
    expect(run('2.0.1', [[0, broken('[7,"c",{}]')], [0, error('cp-to-csms', 'c', 'MessageTypeNotSupported')]])).toEqual([]);
    expect(run('2.0.1', [[0, broken('[7,"c",{}]')], [0, error('cp-to-csms', 'c', 'NotSupported')]])).toEqual([[1, 'callerror-code-unexpected']]);
    expect(run('2.0.1', [[0, broken('[2,"d","Heartbeat"]')], [0, error('cp-to-csms', 'd', 'RpcFrameworkError')]])).toEqual([]);
    expect(run('1.6', [[0, broken('[2,"d","Heartbeat"]')], [0, error('cp-to-csms', 'd', 'FormationViolation')]])).toEqual([]);
    expect(run('1.6', [[0, broken('[2,"d","Heartbeat"]')], [0, error('cp-to-csms', 'd', 'NotImplemented')]])).toEqual([[1, 'callerror-code-unexpected']]);
  });
});

describe('stream rules', () => {
  const tx = (messageId: string, seqNo: number, extra: Record<string, unknown> = {}) => call('cp-to-csms', messageId, 'TransactionEvent', {
    eventType: seqNo === 0 ? 'Started' : 'Updated', timestamp: '2026-01-01T00:00:00Z', triggerReason: 'Authorized', seqNo, transactionInfo: { transactionId: 'T1' }, ...extra,
  });
  const txDone = (messageId: string, payload: Record<string, unknown> = {}) => result('csms-to-cp', messageId, 'TransactionEvent', payload);

  it('flags a seqNo that skips a number of its transaction (E01.FR.07)', () => {
    expect(run('2.0.1', [[0, tx('1', 0)], [0, txDone('1')], [1, tx('2', 1)], [1, txDone('2')], [2, tx('3', 2)], [2, txDone('3')]])).toEqual([]);
    expect(run('2.0.1', [[0, tx('1', 0)], [0, txDone('1')], [1, tx('2', 2)], [1, txDone('2')], [2, tx('3', 3)], [2, txDone('3')]])).toEqual([[2, 'seqno-gap']]);
  });

  it('takes a retry of a refused TransactionEvent, with its old seqNo, for no gap', () => {
    expect(run('2.0.1', [[0, tx('1', 0)], [0, txDone('1')], [1, tx('2', 1)], [1, error('csms-to-cp', '2', 'InternalError')], [2, tx('3', 1)], [2, txDone('3')], [3, tx('4', 2)], [3, txDone('4')]])).toEqual([]);
  });

  it('wants idTokenInfo in the answer to a request with an idToken (E01.FR.12)', () => {
    const withToken = tx('1', 0, { idToken: { idToken: 'A1', type: 'ISO14443' } });
    expect(run('2.0.1', [[0, withToken], [0, txDone('1', { idTokenInfo: { status: 'Accepted' } })]])).toEqual([]);
    expect(run('2.0.1', [[0, withToken], [0, txDone('1')]])).toEqual([[1, 'idtokeninfo-missing']]);
    expect(run('2.0.1', [[0, tx('1', 0)], [0, txDone('1')]])).toEqual([]);
  });

  const boot = (interval: number): Array<[number, ObservedFrame]> => [
    [0, call('cp-to-csms', 'b', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } })],
    [0, result('csms-to-cp', 'b', 'BootNotification', { status: 'Accepted', currentTime: '2026-01-01T00:00:00Z', interval })],
  ];
  const heartbeat = (seconds: number, id: string): Array<[number, ObservedFrame]> => [
    [seconds, call('cp-to-csms', id, 'Heartbeat', {})], [seconds, result('csms-to-cp', id, 'Heartbeat', { currentTime: '2026-01-01T00:00:00Z' })],
  ];

  it('flags a station that ignores the heartbeat interval the CSMS set (B01.FR.04)', () => {
    expect(run('2.0.1', [...boot(60), ...heartbeat(60, 'h1'), ...heartbeat(121, 'h2')])).toEqual([]);
    // Too rarely: silent for 200 s with a 60 s interval.
    expect(run('2.0.1', [...boot(60), ...heartbeat(200, 'h1')])).toEqual([[2, 'heartbeat-interval']]);
    // Too often: every 10 s with a 300 s interval (the station kept its own default).
    expect(run('2.0.1', [...boot(300), ...heartbeat(10, 'h1'), ...heartbeat(20, 'h2')])).toEqual([[4, 'heartbeat-interval']]);
  });

  it('holds 1.6 to the interval too, as a warning (1.6 §4.2 "will adjust"), also when set by ChangeConfiguration', () => {
    const rules = new ConversationRules(schemasOf('1.6'));
    const frames: Array<[number, ObservedFrame]> = [
      [0, call('csms-to-cp', 'c', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '30' })],
      [0, result('cp-to-csms', 'c', 'ChangeConfiguration', { status: 'Accepted' })],
      [100, call('cp-to-csms', 'h', 'Heartbeat', {})],
    ];
    const findings = frames.flatMap(([seconds, frame]) => rules.check(frame, seconds * 1000));
    expect(findings.map((f) => [f.code, f.severity, f.rule])).toEqual([['heartbeat-interval', 'warning', 'OCPP 1.6 §4.2, §4.6, §9.1.10']]);
  });

  it('accepts a heartbeat the CSMS triggered, and an interval changed by SetVariables', () => {
    const trigger: Array<[number, ObservedFrame]> = [[15, call('csms-to-cp', 't', 'TriggerMessage', { requestedMessage: 'Heartbeat' })], [15, result('cp-to-csms', 't', 'TriggerMessage', { status: 'Accepted' })]];
    expect(run('2.0.1', [...boot(300), ...heartbeat(10, 'h1'), ...trigger, ...heartbeat(16, 'h2')])).toEqual([]);
    const variable = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
    const setTo10: Array<[number, ObservedFrame]> = [
      [1, call('csms-to-cp', 's', 'SetVariables', { setVariableData: [{ ...variable, attributeValue: '10' }] })],
      [1, result('cp-to-csms', 's', 'SetVariables', { setVariableResult: [{ ...variable, attributeStatus: 'Accepted' }] })],
    ];
    expect(run('2.0.1', [...boot(300), ...setTo10, ...heartbeat(11, 'h1'), ...heartbeat(21, 'h2')])).toEqual([]);
    expect(run('2.0.1', [...boot(300), ...setTo10, ...heartbeat(60, 'h1')])).toEqual([[4, 'heartbeat-interval']]);
  });
});

describe('concurrent CALLs judged on arrival order', () => {
  it('flags a CALL that arrived before the previous CALL was answered, even when processed after the answer', () => {
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 30_000 });
    expect(correlator.onCall('csms-to-cp', 'a', 'GetVariables', 0, 100)).toEqual([]);
    correlator.onResponse('cp-to-csms', 'a', 'CALLRESULT', 117);
    // Arrived at 100.2 ms, processed after the answer left at 117 ms.
    expect(correlator.onCall('csms-to-cp', 'b', 'GetVariables', 2, 100.2).map((f) => f.code)).toEqual(['concurrent-call']);
    correlator.onResponse('cp-to-csms', 'b', 'CALLRESULT', 118);
    expect(correlator.onCall('csms-to-cp', 'c', 'GetVariables', 3, 119)).toEqual([]);
  });
});
