import { describe, expect, it } from 'vitest';
import { OCPP_VERSIONS, defaultReply, describeViolations, schemasOf } from './index.js';

const context = { now: new Date('2026-12-03T10:00:00.000Z'), heartbeatIntervalS: 300 };

describe('default replies', () => {
  // Issue 11: the harness never sends an invalid reply, whatever the SUT sends it.
  it.each(OCPP_VERSIONS)('OCPP %s: the default reply to every action validates against its response schema', (version) => {
    const registry = schemasOf(version);
    const invalid: string[] = [];
    for (const action of registry.actions()) {
      if (!registry.schemaOf(action, 'response')) continue; // a SEND (2.1 NotifyPeriodicEventStream) is never answered
      const reply = defaultReply(version, action, context);
      const violations = registry.validate(action, 'response', reply);
      if (violations) invalid.push(`${action}: ${describeViolations(violations)} in ${JSON.stringify(reply)}`);
    }
    expect(invalid).toEqual([]);
    expect(registry.actions().length).toBeGreaterThan(30);
  });

  it('accepts a boot with the configured interval and the given time, and authorizes', () => {
    expect(defaultReply('2.0.1', 'BootNotification', context)).toEqual({ status: 'Accepted', interval: 300, currentTime: '2026-12-03T10:00:00.000Z' });
    expect(defaultReply('1.6', 'BootNotification', { ...context, heartbeatIntervalS: 60 })).toMatchObject({ status: 'Accepted', interval: 60 });
    expect(defaultReply('2.1', 'Authorize', context)).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(defaultReply('1.6', 'StartTransaction', { ...context, transactionId: 42 })).toEqual({ transactionId: 42, idTagInfo: { status: 'Accepted' } });
    expect(defaultReply('2.0.1', 'TransactionEvent', context)).toEqual({});
    // E01.FR.12: a request that carries an idToken is owed its idTokenInfo.
    expect(defaultReply('2.0.1', 'TransactionEvent', { ...context, request: { idToken: { idToken: 'T', type: 'Local' } } })).toEqual({ idTokenInfo: { status: 'Accepted' } });
  });

  it('declines what a CSMS asks of the station, naming each asked variable', () => {
    expect(defaultReply('2.0.1', 'RequestStartTransaction', context)).toEqual({ status: 'Rejected' });
    expect(defaultReply('2.0.1', 'GetBaseReport', context)).toEqual({ status: 'NotSupported' });
    expect(defaultReply('2.0.1', 'GetChargingProfiles', context)).toEqual({ status: 'NoProfiles' });
    expect(defaultReply('1.6', 'ChangeConfiguration', context)).toEqual({ status: 'NotSupported' });
    const request = { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] };
    expect(defaultReply('2.0.1', 'GetVariables', { ...context, request })).toEqual({
      getVariableResult: [{ attributeStatus: 'UnknownComponent', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    });
  });

  it('falls back to the schema when a curated reply would echo a malformed request, and has none for an unknown action', () => {
    const reply = defaultReply('2.0.1', 'GetVariables', { ...context, request: { getVariableData: [{ component: 'not an object' }] } });
    expect(schemasOf('2.0.1').validate('GetVariables', 'response', reply)).toBeUndefined();
    expect(defaultReply('2.0.1', 'NoSuchAction', context)).toBeUndefined();
  });
});
