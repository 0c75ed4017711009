import { describe, expect, it } from 'vitest';
import { csmsCaseFile, harnessFindings, runAgainstCsms, writeTree } from './engine-harness.test-support.js';
import { reasonOf, failureOf } from './results.test-support.js';

describe('step engine as a charging station against a scripted CSMS', () => {
  it('opens the connection, boots, and answers the CSMS-initiated request the case expects', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_CSMS_01_CSMS.yaml': csmsCaseFile('OH_CSMS_01_CSMS', `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted, interval: { $gte: 1 }, currentTime: { $timeNear: '{{now}}' } }
    checks: [R.1]
  - action: csmsSend
    params: { action: GetVariables }
  - expect: GetVariables
    match: { getVariableData: { $contains: { variable: { name: HeartbeatInterval } } } }
    reply: { getVariableResult: [ { attributeStatus: Accepted, attributeValue: '300', component: { name: OCPPCommCtrlr }, variable: { name: HeartbeatInterval } } ] }
`),
    });
    let answer: unknown;
    const result = await runAgainstCsms(root, {
      onCall: (call) => ({ payload: call.action === 'BootNotification' ? { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } : {} }),
      onAction: (_name, _params, csms) => {
        void csms?.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] }).then((outcome) => (answer = outcome));
        return { status: 'done' };
      },
    });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(answer).toMatchObject({ kind: 'result', payload: { getVariableResult: [{ attributeValue: '300' }] } });
    expect(harnessFindings(result)).toEqual([]);
  });

  it('fails when the CSMS answers the boot wrongly, and when it refuses the connection', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_CSMS_02_CSMS.yaml': csmsCaseFile('OH_CSMS_02_CSMS', `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
    checks: [R.1]
`),
      'ocpp2.0.1/core/OH_CSMS_03_CSMS.yaml': csmsCaseFile('OH_CSMS_03_CSMS', `
  - connection: open
    subprotocols: [ocpp1.2]
    checks: [R.1]
`),
    });
    const result = await runAgainstCsms(root, { onCall: () => ({ payload: { status: 'Rejected', interval: 10, currentTime: new Date().toISOString() } }) });
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_CSMS_02_CSMS', 'fail'], ['OH_CSMS_03_CSMS', 'fail']]);
    expect(failureOf(result.cases[0])?.actual).toContain('status: expected "Accepted", got "Rejected"');
    expect(failureOf(result.cases[1])?.actual).toMatch(/no subprotocol|no OCPP subprotocol/i);
  });
});
