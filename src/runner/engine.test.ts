import { describe, expect, it } from 'vitest';
import type { CallReply } from '../session/index.js';
import { caseFile, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { reasonOf, failureOf } from './results.test-support.js';

const NOW = () => new Date().toISOString();

describe('step engine against a scripted station', () => {
  it('send: passes on a matching CALLRESULT and captures values', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_SEND_01_CS.yaml': caseFile('OH_SEND_01_CS', `
  - send: GetVariables
    payload: { getVariableData: [ { component: { name: OCPPCommCtrlr }, variable: { name: HeartbeatInterval } } ] }
    match: { getVariableResult: [ { attributeStatus: Accepted, attributeValue: { $regex: '^\\d+$' } } ] }
    capture: { interval: getVariableResult.0.attributeValue }
    checks: [R.1]
  - send: SetVariables
    payload: { setVariableData: [ { component: { name: OCPPCommCtrlr }, variable: { name: HeartbeatInterval }, attributeValue: '{{captured.interval}}' } ] }
    match: { setVariableResult: [ { attributeStatus: Accepted } ] }
`),
    });
    const seen: unknown[] = [];
    const result = await runAgainstScript(root, {
      onCall: (call) => {
        seen.push(call.payload);
        if (call.action === 'GetVariables') return { payload: { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '300', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] } };
        return { payload: { setVariableResult: [{ attributeStatus: 'Accepted', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] } };
      },
    });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(result.cases[0]).toMatchObject({ id: 'OH_SEND_01_CS', verdict: 'pass' });
    expect((seen[1] as { setVariableData: Array<{ attributeValue: string }> }).setVariableData[0]?.attributeValue).toBe('300');
  });

  it('capture: keeps the array element that matches a pattern, in any order, or fails the step when none does', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_CAPTURE_01_CS.yaml': caseFile('OH_CAPTURE_01_CS', `
  - send: GetInstalledCertificateIds
    payload: { certificateType: [ManufacturerRootCertificate] }
    capture:
      hashData: { in: certificateHashDataChain, where: { certificateHashData: { issuerNameHash: '{{config.stationId}}' } }, path: certificateHashData }
      entry: { in: certificateHashDataChain, where: { certificateHashData: { serialNumber: { $regex: '^b' } } } }
    checks: [R.1]
  - send: DeleteCertificate
    payload: { certificateHashData: '{{captured.hashData}}' }
    match: { status: Accepted }
  - send: DeleteCertificate
    payload: { certificateHashData: '{{captured.entry.certificateHashData}}' }
    match: { status: Accepted }
`),
      'ocpp2.0.1/core/OH_CAPTURE_02_CS.yaml': caseFile('OH_CAPTURE_02_CS', `
  - send: GetInstalledCertificateIds
    payload: {}
    capture: { hashData: { in: certificateHashDataChain, where: { certificateType: V2GRootCertificate }, path: certificateHashData } }
    checks: [R.1]
`),
    });
    const hash = (serialNumber: string, issuerNameHash = 'aa') => ({ hashAlgorithm: 'SHA256', issuerNameHash, issuerKeyHash: 'bb', serialNumber });
    const chain = [
      { certificateType: 'CSMSRootCertificate', certificateHashData: hash('a1') },
      { certificateType: 'ManufacturerRootCertificate', certificateHashData: hash('b2', 'CS-CERT') },
    ];
    const deleted: unknown[] = [];
    const result = await runAgainstScript(root, {
      onCall: (call) => {
        if (call.action === 'DeleteCertificate') return (deleted.push(call.payload['certificateHashData']), { payload: { status: 'Accepted' } });
        return { payload: { status: 'Accepted', certificateHashDataChain: chain } };
      },
    }, { config: { stationId: 'CS-CERT' } });
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_CAPTURE_01_CS', 'pass'], ['OH_CAPTURE_02_CS', 'fail']]);
    expect(deleted).toEqual([hash('b2', 'CS-CERT'), hash('b2', 'CS-CERT')]);
    expect(failureOf(result.cases[1])?.expected).toEqual(['GetInstalledCertificateIdsResponse with an element of certificateHashDataChain matching {"certificateType":"V2GRootCertificate"}, with a value at certificateHashData (to capture as hashData)']);
  });

  it('send: fails with expected and actual when the answer does not match, or is a CALLERROR', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_SEND_02_CS.yaml': caseFile('OH_SEND_02_CS', `
  - send: ClearCache
    payload: {}
    match: { status: Accepted }
    checks: [R.1]
`),
      'ocpp2.0.1/core/OH_SEND_03_CS.yaml': caseFile('OH_SEND_03_CS', `
  - send: ClearCache
    payload: {}
    error: NotSupported
    checks: [R.1]
`),
    });
    const result = await runAgainstScript(root, { onCall: () => ({ payload: { status: 'Rejected' } }) });
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_SEND_02_CS', 'fail'], ['OH_SEND_03_CS', 'fail']]);
    expect(failureOf(result.cases[0])).toMatchObject({ step: '1', expected: ['ClearCacheResponse matching {"status":"Accepted"}'], requirements: [{ id: 'R.1', text: 'the SUT does what the step says' }] });
    expect(failureOf(result.cases[0])?.actual).toContain('status: expected "Accepted", got "Rejected"');
    expect(failureOf(result.cases[1])?.expected).toEqual(['CALLERROR NotSupported']);
  });

  it('send: with match and error, takes a matching CALLRESULT or a CALLERROR of a listed code, and nothing else', async () => {
    const step = (id: string) => caseFile(id, `
  - send: ClearCache
    payload: {}
    match: { status: Accepted }
    error: NotSupported
    checks: [R.1]
`);
    const root = writeTree({ 'ocpp2.0.1/core/OH_SEND_04_CS.yaml': step('OH_SEND_04_CS') });
    const answers: CallReply[] = [{ payload: { status: 'Accepted' } }, { error: 'NotSupported' }, { payload: { status: 'Rejected' } }, { error: 'InternalError' }];
    const verdicts: unknown[] = [];
    for (const reply of answers) {
      const result = await runAgainstScript(root, { onCall: () => reply });
      verdicts.push(result.cases[0]?.verdict);
      if (reply === answers[2]) expect(failureOf(result.cases[0])?.expected).toEqual(['ClearCacheResponse matching {"status":"Accepted"}', 'CALLERROR NotSupported']);
    }
    expect(verdicts).toEqual(['pass', 'pass', 'fail', 'fail']);
  });

  it('expect: waits for the station, answers with the templated reply, captures, and checks per connector', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_EXPECT_01_CS.yaml': caseFile('OH_EXPECT_01_CS', `
  - action: reboot
  - expect: BootNotification
    match: { reason: RemoteReset, chargingStation: { vendorName: { $exists: true } } }
    capture: { vendor: chargingStation.vendorName }
    reply: { status: Accepted, interval: '{{config.timing.heartbeatIntervalS}}', currentTime: '{{now}}' }
    checks: [R.1]
  - expect: StatusNotification
    forEach: connector
    match: { connectorStatus: Available, evseId: '{{item.evseId}}', connectorId: '{{item.connectorId}}', timestamp: { $timeNear: '{{now}}' } }
`),
    });
    let bootReply: unknown;
    const result = await runAgainstScript(root, {
      onAction: (name, _params, station) => {
        void (async () => {
          const boot = await station.call('BootNotification', { reason: 'RemoteReset', chargingStation: { vendorName: 'Acme', model: 'X' } });
          bootReply = boot.kind === 'result' ? boot.payload : boot;
          // Connectors report in the opposite order; forEach matches in any order.
          for (const [evseId, connectorId] of [[2, 1], [1, 1]]) await station.call('StatusNotification', { timestamp: NOW(), connectorStatus: 'Available', evseId, connectorId });
        })();
        return { status: 'done', detail: name };
      },
    }, { config: { evses: [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }] } });
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(bootReply).toMatchObject({ status: 'Accepted', interval: 300 });
  });

  it('expect: fails on the expected action with the wrong content, naming the mismatch', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_EXPECT_02_CS.yaml': caseFile('OH_EXPECT_02_CS', `
  - action: reboot
  - expect: BootNotification
    match: { reason: RemoteReset }
    reply: { status: Accepted, interval: 300, currentTime: '{{now}}' }
    checks: [R.1]
`),
    });
    const result = await runAgainstScript(root, {
      onAction: (_name, _params, station) => {
        void station.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'X' } });
        return { status: 'done' };
      },
    });
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(failureOf(result.cases[0])?.actual).toContain('reason: expected "RemoteReset", got "PowerUp"');
  });

  it('expect: times out with "nothing within", and lists what arrived instead', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_EXPECT_03_CS.yaml': caseFile('OH_EXPECT_03_CS', `
  - action: nudge
  - expect: Authorize
    timeoutMs: 300
    checks: [R.1]
`),
    });
    const result = await runAgainstScript(root, {
      onAction: (_name, _params, station) => {
        void station.call('Heartbeat', {});
        return { status: 'done' };
      },
    });
    expect(failureOf(result.cases[0])?.actual).toMatch(/nothing matching within 300 ms; received instead: Heartbeat \(answered with the configured background reply\)|nothing within 300 ms/);
  });

  it('background: Heartbeat and StatusNotification are answered while a step waits, and do not fail it', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_BG_01_CS.yaml': caseFile('OH_BG_01_CS', `
  - action: start
  - expect: Authorize
    match: { idToken: { idToken: '{{config.idTokens.valid.idToken}}' } }
    reply: { idTokenInfo: { status: Accepted } }
    checks: [R.1]
`),
    });
    const answers: unknown[] = [];
    const result = await runAgainstScript(root, {
      onAction: (_name, _params, station) => {
        void (async () => {
          answers.push(await station.call('Heartbeat', {}));
          answers.push(await station.call('StatusNotification', { timestamp: NOW(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 }));
          answers.push(await station.call('Authorize', { idToken: { idToken: 'VALID-TOKEN-01', type: 'ISO14443' } }));
        })();
        return { status: 'done' };
      },
    });
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(answers.map((a) => (a as { kind: string }).kind)).toEqual(['result', 'result', 'result']);
    expect((answers[0] as { payload: { currentTime: string } }).payload.currentTime).toMatch(/^\d{4}-/);
  });
});
