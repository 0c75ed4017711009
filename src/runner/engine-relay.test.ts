import { describe, expect, it } from 'vitest';
import type { Payload } from '../protocol/index.js';
import { csmsCaseFile, runAgainstCsms, writeTree } from './engine-harness.test-support.js';

const BOOT = `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
`;

describe('relayed passes: what a CSMS pass proved', () => {
  it('marks a pass relayed when every value the case checked was in the csmsSend params, and not when the CSMS chose one', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_RELAY_01_CSMS.yaml': csmsCaseFile('OH_RELAY_01_CSMS', `${BOOT}
  - action: csmsSend
    params: { action: Reset, payload: { type: OnIdle } }
  - expect: Reset
    match: { type: OnIdle, evseId: { $exists: false } }
    reply: { status: Accepted }
    checks: [R.1]
`),
      // The CSMS is handed the token only; the remoteStartId the case checks is the CSMS's own.
      'ocpp2.0.1/core/OH_RELAY_02_CSMS.yaml': csmsCaseFile('OH_RELAY_02_CSMS', `${BOOT}
  - action: csmsSend
    params: { action: RequestStartTransaction, payload: { idToken: { idToken: TAG1, type: ISO14443 } } }
  - expect: RequestStartTransaction
    match: { idToken: { idToken: TAG1 }, remoteStartId: { $exists: true } }
    reply: { status: Accepted }
    checks: [R.1]
`),
      // No device action at all: the CSMS only answers the station.
      'ocpp2.0.1/core/OH_RELAY_03_CSMS.yaml': csmsCaseFile('OH_RELAY_03_CSMS', BOOT),
    });
    const result = await runAgainstCsms(root, {
      onCall: (call) => ({ payload: call.action === 'BootNotification' ? { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } : {} }),
      onAction: (_name, params, csms) => {
        const { action, payload } = params as { action: string; payload: Payload };
        // A CSMS that builds on what it was given: a remote start gets an id of its own.
        void csms?.call(action, action === 'RequestStartTransaction' ? { ...payload, remoteStartId: 77 } : payload);
        return { status: 'done' };
      },
    });
    expect(result.cases.map((c) => [c.id, c.verdict, c.relayed])).toEqual([
      ['OH_RELAY_01_CSMS', 'pass', true],
      ['OH_RELAY_02_CSMS', 'pass', undefined],
      ['OH_RELAY_03_CSMS', 'pass', undefined],
    ]);
    const expectStep = (i: number) => result.cases[i]!.steps.find((step) => step.kind === 'expect');
    expect(expectStep(0)?.relay).toEqual({ supplied: ['type', 'evseId'], notSupplied: [] });
    expect(expectStep(1)?.relay).toEqual({ supplied: ['idToken.idToken'], notSupplied: ['remoteStartId'] });
    expect(result.cases[2]!.steps.some((step) => step.relay)).toBe(false);
  });

  it('does not call a pass relayed when the CSMS sent a request on its own initiative', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_RELAY_04_CSMS.yaml': csmsCaseFile('OH_RELAY_04_CSMS', `${BOOT}
  - action: csmsSend
    params: { action: ClearCache, payload: {} }
  - expect: ClearCache
    reply: { status: Accepted }
  - expect: GetVariables
    match: { getVariableData: { $contains: { variable: { name: HeartbeatInterval } } } }
    reply: { getVariableResult: [] }
    checks: [R.1]
`),
    });
    const handed: unknown[] = [];
    const result = await runAgainstCsms(root, {
      onCall: (call) => ({ payload: call.action === 'BootNotification' ? { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } : {} }),
      onAction: (_name, params, csms) => {
        handed.push(params);
        // Once the cache is cleared, this CSMS reads the heartbeat interval back by itself.
        void csms?.call('ClearCache', {}).then(() => csms.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] }));
        return { status: 'done' };
      },
    });
    expect(handed).toEqual([{ action: 'ClearCache', payload: {} }]);
    const [only] = result.cases;
    expect([only?.verdict, only?.relayed]).toEqual(['pass', undefined]);
    expect(only?.steps.filter((step) => step.kind === 'expect').map((step) => step.relay)).toEqual([{ supplied: [], notSupplied: [] }, undefined]);
  });
});
