import { describe, expect, it } from 'vitest';
import type { Session } from '../session/index.js';
import { BOOT_REPLY, caseFile, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { reasonOf, failureOf } from './results.test-support.js';

const NOW = () => new Date().toISOString();

describe('step engine: flow and verdicts', () => {
  it('anyOf: takes the branch whose first message arrives', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_ANY_01_CS.yaml': caseFile('OH_ANY_01_CS', `
  - action: plugIn
  - anyOf:
      - - expect: TransactionEvent
          match: { eventType: Started }
          reply: {}
      - - expect: NotifyEvent
          reply: {}
        - expect: TransactionEvent
          reply: {}
    checks: [R.1]
`),
    });
    const result = await runAgainstScript(root, {
      onAction: (_name, _params, station) => {
        void (async () => {
          await station.call('NotifyEvent', { generatedAt: NOW(), seqNo: 0, eventData: [{ eventId: 1, timestamp: NOW(), trigger: 'Delta', actualValue: 'Occupied', eventNotificationType: 'HardWiredNotification', component: { name: 'Connector' }, variable: { name: 'AvailabilityState' } }] });
          await station.call('TransactionEvent', { eventType: 'Started', timestamp: NOW(), triggerReason: 'CablePluggedIn', seqNo: 0, transactionInfo: { transactionId: 't1' } });
        })();
        return { status: 'done' };
      },
    });
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.steps[1]?.detail).toBe('branch 2 (NotifyEvent)');
  });


  it('assert: none/count/increasing over the history, since a named step', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_ASSERT_01_CS.yaml': caseFile('OH_ASSERT_01_CS', `
  - id: go
    action: charge
  - expect: TransactionEvent
    match: { eventType: Started }
    reply: {}
  - expect: TransactionEvent
    match: { eventType: Updated }
    reply: {}
  - assert:
      none: { action: TransactionEvent, match: { eventType: Ended } }
      since: go
    checks: [R.1]
  - assert:
      count: { action: TransactionEvent, min: 2, max: 2 }
  - assert:
      increasing: { action: TransactionEvent, path: seqNo }
`),
    });
    const send = (station: import('../session/index.js').Session, seqNo: number, eventType: string) =>
      station.call('TransactionEvent', { eventType, timestamp: NOW(), triggerReason: 'Authorized', seqNo, transactionInfo: { transactionId: 't1' } });
    const good = await runAgainstScript(root, {
      onAction: (_n, _p, station) => {
        void send(station, 0, 'Started').then(() => send(station, 1, 'Updated'));
        return { status: 'done' };
      },
    });
    expect(good.cases[0]?.verdict).toBe('pass');
    const bad = await runAgainstScript(root, {
      onAction: (_n, _p, station) => {
        void send(station, 5, 'Started').then(() => send(station, 5, 'Updated'));
        return { status: 'done' };
      },
    });
    expect(failureOf(bad.cases[0])).toMatchObject({ step: '6', expected: ['seqNo increasing across TransactionEventRequest'], actual: '5 after 5' });
  });

  it('assert increasing: ISO 8601 date-times must come in chronological order', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_ASSERT_03_CS.yaml': caseFile('OH_ASSERT_03_CS', `
  - action: charge
  - expect: TransactionEvent
    match: { eventType: Started }
    reply: {}
  - expect: TransactionEvent
    match: { eventType: Updated }
    reply: {}
  - assert:
      increasing: { action: TransactionEvent, path: timestamp }
    checks: [R.1]
`),
    });
    const send = (station: Session, timestamp: string, seqNo: number, eventType: string) =>
      station.call('TransactionEvent', { eventType, timestamp, triggerReason: 'Authorized', seqNo, transactionInfo: { transactionId: 't1' } });
    const inOrder = await runAgainstScript(root, {
      onAction: (_n, _p, station) => {
        void send(station, '2026-01-01T00:00:01.000Z', 0, 'Started').then(() => send(station, '2026-01-01T00:00:02Z', 1, 'Updated'));
        return { status: 'done' };
      },
    });
    expect(inOrder.cases[0]?.verdict).toBe('pass');
    const reversed = await runAgainstScript(root, {
      onAction: (_n, _p, station) => {
        void send(station, '2026-01-01T00:00:02.000Z', 0, 'Started').then(() => send(station, '2026-01-01T00:00:01.000Z', 1, 'Updated'));
        return { status: 'done' };
      },
    });
    expect(failureOf(reversed.cases[0])).toMatchObject({ expected: ['timestamp increasing across TransactionEventRequest'], actual: '2026-01-01T00:00:01.000Z after 2026-01-01T00:00:02.000Z' });
  });

  it('assert anyOf: counts the CALLs of several actions together, each by its own pattern', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_ASSERT_02_CS.yaml': caseFile('OH_ASSERT_02_CS', `
  - action: report
  - title: two connectors report Unavailable, each in its own way
    timeoutMs: 1500
    assert:
      count:
        min: 2
        max: 2
        anyOf:
          - action: StatusNotification
            match: { connectorStatus: Unavailable }
          - action: NotifyEvent
            match: { eventData: { $contains: { actualValue: Unavailable, variable: { name: AvailabilityState } } } }
    checks: [R.1]
`),
    });
    const status = (station: Session, connectorStatus: string) => station.call('StatusNotification', { timestamp: NOW(), connectorStatus, evseId: 1, connectorId: 1 });
    const event = (station: Session, variable: string) => station.call('NotifyEvent', { generatedAt: NOW(), seqNo: 0, eventData: [{ eventId: 1, timestamp: NOW(), trigger: 'Delta', actualValue: 'Unavailable', eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse: { id: 2, connectorId: 1 } }, variable: { name: variable } }] });
    const good = await runAgainstScript(root, {
      onAction: (_n, _p, station) => {
        void status(station, 'Unavailable').then(() => event(station, 'AvailabilityState'));
        return { status: 'done' };
      },
    });
    expect(good.cases[0]?.verdict).toBe('pass');
    expect(good.cases[0]?.steps[1]?.detail).toMatch(/^2 × StatusNotificationRequest matching .* or NotifyEventRequest matching /);
    // Each action is held to its own pattern: a StatusNotification does not count by NotifyEvent's, nor the other way round.
    const bad = await runAgainstScript(root, {
      onAction: (_n, _p, station) => {
        void status(station, 'Available').then(() => event(station, 'Problem'));
        return { status: 'done' };
      },
    });
    expect(failureOf(bad.cases[0])).toMatchObject({ step: '2', actual: '0' });
    expect(failureOf(bad.cases[0])?.expected[0]).toMatch(/^2 to 2 × StatusNotificationRequest matching .*Unavailable.* or NotifyEventRequest matching .*AvailabilityState/);
  });

  it('forbid: a forbidden message during a step fails the case at once', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_FORBID_01_CS.yaml': caseFile('OH_FORBID_01_CS', `
  - action: stop
  - wait: { durationMs: 2000 }
    forbid: [ { action: TransactionEvent, match: { eventType: Ended } } ]
    checks: [R.1]
`),
    });
    const started = Date.now();
    const result = await runAgainstScript(root, {
      onAction: (_n, _p, station) => {
        void station.call('TransactionEvent', { eventType: 'Ended', timestamp: NOW(), triggerReason: 'StopAuthorized', seqNo: 3, transactionInfo: { transactionId: 't1' } });
        return { status: 'done' };
      },
    });
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(failureOf(result.cases[0])?.expected).toEqual(['no TransactionEvent while this step runs']);
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('connection: drop, then the station comes back; wait until connected', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_CONN_01_CS.yaml': caseFile('OH_CONN_01_CS', `
  - connection: drop
  - wait: { until: disconnected }
  - action: reconnect
  - connection: restore
    checks: [R.1]
  - send: ClearCache
    payload: {}
    match: { status: Accepted }
`),
    });
    const result = await runAgainstScript(root, { onCall: () => ({ payload: { status: 'Accepted' } }) });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(result.cases[0]?.verdict).toBe('pass');
  });

  it('connection: refuse turns attempts away and minDelayS judges when each came (OCPP-J §5.3 back-off)', async () => {
    const backOff = (refuseMin: number, restoreMin: number | string) => `
  - connection: drop
  - action: reconnectLater
    params: { afterMs: 300, retryAfterMs: 600 }
  - connection: refuse
    minDelayS: ${refuseMin}
    checks: [R.1]
  - connection: restore
    minDelayS: ${restoreMin}
  - send: ClearCache
    payload: {}
    match: { status: Accepted }
`;
    const root = writeTree({
      'ocpp2.0.1/core/OH_BACKOFF_1_CS.yaml': caseFile('OH_BACKOFF_1_CS', backOff(0.25, 0.55)),
      'ocpp2.0.1/core/OH_BACKOFF_2_CS.yaml': caseFile('OH_BACKOFF_2_CS', backOff(0.5, 0.55)),
      'ocpp2.0.1/core/OH_BACKOFF_3_CS.yaml': caseFile('OH_BACKOFF_3_CS', backOff(0.25, '"{{add 0.5 0.5}}"')),
    });
    const result = await runAgainstScript(root, { onCall: () => ({ payload: { status: 'Accepted' } }) });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    // Times as measured (a loaded host makes them later, never earlier than the script's waits).
    expect(result.cases[0]?.steps[2]?.detail).toMatch(/^refused 1 attempt after (0\.[3-9]|[1-9]\.\d)\d s \(at least 0\.25 s\)$/);
    expect(result.cases[0]?.steps[3]?.detail).toMatch(/^the station is connected after (0\.[6-9]|[1-9]\.\d)\d s \(at least 0\.55 s\)$/);
    expect(result.cases[1]?.verdict).toBe('fail');
    expect(failureOf(result.cases[1])?.expected).toEqual(['attempt 1 comes at least 0.5 s after the connection was lost or the previous attempt refused']);
    expect(result.cases[2]?.verdict).toBe('fail');
    expect(failureOf(result.cases[2])?.actual).toMatch(/^it came after (0\.[6-9]|[1-9]\.\d)\d s$/);
  });

  it('csms.* names the endpoint the station is on and the other; restore with a path requires the station to come back there', async () => {
    const moveTo = (expected: string) => `
  - send: SetNetworkProfile
    payload: { configurationSlot: 1, connectionData: { ocppVersion: OCPP20, ocppTransport: JSON, ocppCsmsUrl: '{{csms.otherUrl}}', messageTimeout: 30, securityProfile: 0, ocppInterface: Wired0 } }
    match: { status: Accepted }
  - connection: drop
  - action: reconnectLater
    params: { path: '{{csms.otherPath}}' }
  - connection: restore
    path: '${expected}'
    checks: [R.1]
`;
    const root = writeTree({
      'ocpp2.0.1/core/OH_PATH_1_CS.yaml': caseFile('OH_PATH_1_CS', moveTo('{{csms.otherPath}}')),
      'ocpp2.0.1/core/OH_PATH_2_CS.yaml': caseFile('OH_PATH_2_CS', moveTo('{{csms.path}}')),
    });
    const urls: unknown[] = [];
    const result = await runAgainstScript(root, {
      onCall: (call) => {
        urls.push((call.payload['connectionData'] as Record<string, unknown>)['ocppCsmsUrl']);
        return { payload: { status: 'Accepted' } };
      },
    });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(urls[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ocpp-harness-2$/);
    expect(failureOf(result.cases[1])).toMatchObject({ expected: ['the station connects at endpoint path ""'], actual: 'it connected at "/ocpp-harness-2"' });
  });

  it('verdicts: inconclusive when the operator aborts, error when the adapter fails, not-applicable without the feature', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_VERDICT_01_CS.yaml': caseFile('OH_VERDICT_01_CS', `
  - action: presentIdToken
    checks: [R.1]
`),
      'ocpp2.0.1/core/OH_VERDICT_02_CS.yaml': caseFile('OH_VERDICT_02_CS', `
  - action: reboot
    checks: [R.1]
`),
      'ocpp2.0.1/core/OH_VERDICT_03_CS.yaml': caseFile('OH_VERDICT_03_CS', `
  - action: reboot
    checks: [R.1]
`, 'features: [C-09.1]\n'),
    });
    const result = await runAgainstScript(root, {
      onAction: (name) => (name === 'presentIdToken' ? { status: 'aborted', reason: 'operator typed a' } : { status: 'failed', reason: 'exit code 3' }),
    });
    expect(result.cases.map((c) => [c.id, c.verdict, reasonOf(c)])).toEqual([
      ['OH_VERDICT_01_CS', 'inconclusive', 'step 1 (device action presentIdToken): expected device action presentIdToken performed; actual: presentIdToken aborted: operator typed a'],
      ['OH_VERDICT_02_CS', 'error', 'step 1 (device action reboot): expected device action reboot performed; actual: reboot failed: exit code 3'],
      ['OH_VERDICT_03_CS', 'not-applicable', 'needs feature C-09.1, not declared in the configuration'],
    ]);
  });

  it('bad SUT behaviour: a schema-violating request, garbage, a closed socket, silence — each a clear verdict, and the run goes on', async () => {
    const steps = `
  - action: misbehave
  - expect: BootNotification
    reply: ${BOOT_REPLY}
    timeoutMs: 500
    checks: [R.1]
`;
    const root = writeTree({
      'ocpp2.0.1/core/OH_BAD_1_CS.yaml': caseFile('OH_BAD_1_CS', steps),
      'ocpp2.0.1/core/OH_BAD_2_CS.yaml': caseFile('OH_BAD_2_CS', steps),
      'ocpp2.0.1/core/OH_BAD_3_CS.yaml': caseFile('OH_BAD_3_CS', steps),
      'ocpp2.0.1/core/OH_BAD_4_CS.yaml': caseFile('OH_BAD_4_CS', steps),
      'ocpp2.0.1/core/OH_GOOD_5_CS.yaml': caseFile('OH_GOOD_5_CS', `
  - action: reconnect
  - connection: restore${steps}`),
    });
    let round = 0;
    const result = await runAgainstScript(root, {
      onAction: async (_n, _p, station) => {
        round++;
        if (round === 1) void station.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'no vendor' } });
        if (round === 2) station.sendRaw('{{{ garbage');
        if (round === 3) await station.close(1011, 'crashed');
        if (round === 5) void station.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
        return { status: 'done' };
      },
    }, { config: { timeouts: { messageMs: 500, connectMs: 500, longOperationMs: 500 } } });
    const verdicts = result.cases.map((c) => [c.id, c.verdict]);
    expect(verdicts).toEqual([['OH_BAD_1_CS', 'fail'], ['OH_BAD_2_CS', 'fail'], ['OH_BAD_3_CS', 'fail'], ['OH_BAD_4_CS', 'fail'], ['OH_GOOD_5_CS', 'pass']]);
    // Issue 13: a violation on a SUT frame is the reason, named by its finding.
    expect(failureOf(result.cases[0])?.actual).toMatch(/vendorName.*\[schema-violation, OCPP 2.0.1 Part 3 JSON schemas\]/);
    expect(reasonOf(result.cases[1])).toMatch(/^protocol violation by the SUT during step \d \([^)]*\): message is not valid JSON \[frame-invalid, OCPP-J 2.0.1 §4.2\]/);
    expect(result.cases[1]!.findings.map((finding) => finding.code)).toEqual(['frame-invalid']);
    expect(reasonOf(result.cases[2])).toMatch(/nothing within 500 ms/);
    expect(reasonOf(result.cases[3])).toMatch(/nothing within 500 ms/);
    expect(result.cases.every((c) => c.trace)).toBe(true);
  });
});
