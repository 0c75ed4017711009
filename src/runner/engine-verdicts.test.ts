import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session, TraceRecord } from '../session/index.js';
import { caseFile, harnessFindings, outDirOf, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { failureOf, reasonOf } from './results.test-support.js';

// Issue 13: findings feed verdicts. Each behaviour has a conforming station that passes and a
// violating one that fails, over loopback sockets.

const BOOT_REPLY = `{ status: Accepted, interval: 300, currentTime: '{{now}}' }`;
const FAST = { config: { timeouts: { messageMs: 500, connectMs: 1000, longOperationMs: 1000 } } };

/** Resolves with the first record of `session` that `wanted` takes. */
function nextRecord(session: Session, wanted: (record: TraceRecord) => boolean): Promise<TraceRecord> {
  return new Promise((resolve) => {
    const listener = (record: TraceRecord) => {
      if (!wanted(record)) return;
      session.off('record', listener);
      resolve(record);
    };
    session.on('record', listener);
  });
}

describe('a response the SUT sends to an unknown message id', () => {
  const root = () => writeTree({ 'ocpp2.0.1/core/OH_ORPHAN_CS.yaml': caseFile('OH_ORPHAN_CS', `
  - send: ClearCache
    match: { status: Accepted }
    checks: [R.1]
`) });

  it('passes when the station answers with the CALL\'s id', async () => {
    const result = await runAgainstScript(root(), { onCall: () => ({ payload: { status: 'Accepted' } }) }, FAST);
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.findings).toEqual([]);
  });

  it('fails, with the orphan response as the reason and in findings, when the station answers under another id', async () => {
    let station: Session | undefined;
    const result = await runAgainstScript(root(), {
      onConnect: (session) => void (station = session),
      onCall: () => {
        station!.sendRaw('[3,"not-the-harness-id",{"status":"Accepted"}]');
        return { noReply: true };
      },
    }, FAST);
    const [orphan] = result.cases;
    expect(orphan?.verdict).toBe('fail');
    expect(reasonOf(orphan)).toMatch(/^protocol violation by the SUT during step 1 \(send ClearCacheRequest\): .*not-the-harness-id.*\[orphan-response, OCPP-J 2.0.1 §4.1.4\]$/);
    expect(orphan?.findings.map((finding) => finding.code)).toEqual(['orphan-response']);
    expect(failureOf(orphan)?.requirements.map((requirement) => requirement.id)).toEqual(['R.1']);
  });
});

describe('a CALL whose message id is over 36 characters', () => {
  const root = (ocpp: '2.0.1' | '1.6') => writeTree({ [`ocpp${ocpp}/core/OH_LONG_ID_CS.yaml`]: caseFile('OH_LONG_ID_CS', `
  - action: bootWithId
  - expect: ${ocpp === '1.6' ? 'Heartbeat' : 'BootNotification'}
    reply: ${ocpp === '1.6' ? `{ currentTime: '{{now}}' }` : BOOT_REPLY}
    timeoutMs: 60000
    checks: [R.1]
`).replace('ocpp: 2.0.1', `ocpp: ${ocpp}`) });

  /** A station that sends its CALL with `messageId`; resolves `answered` with the harness's answer. */
  function station(messageId: string, ocpp: '2.0.1' | '1.6') {
    let answer: Promise<TraceRecord> | undefined;
    const call = ocpp === '1.6' ? `"Heartbeat",{}` : `"BootNotification",{"reason":"PowerUp","chargingStation":{"vendorName":"V","model":"M"}}`;
    const script = {
      onAction: (_name: string, _params: Record<string, unknown>, session: Session) => {
        answer = nextRecord(session, (record) => record.direction === 'csms-to-cp');
        session.sendRaw(`[2,"${messageId}",${call}]`);
        return { status: 'done' as const };
      },
    };
    return { script, answered: () => answer! };
  }

  it('passes with a 36-character id', async () => {
    const scripted = station('x'.repeat(36), '2.0.1');
    const result = await runAgainstScript(root('2.0.1'), scripted.script, FAST);
    expect(result.cases[0]?.verdict).toBe('pass');
    expect((await scripted.answered()).messageType).toBe('CALLRESULT');
  });

  for (const [ocpp, code] of [['2.0.1', 'RpcFrameworkError'], ['1.6', 'FormationViolation']] as const) {
    it(`OCPP ${ocpp}: fails at once naming the id, and is answered with a valid CALLERROR ${code} carrying "-1"`, async () => {
      const longId = 'y'.repeat(40);
      const scripted = station(longId, ocpp);
      const result = await runAgainstScript(root(ocpp), scripted.script, { ...FAST, ocpp });
      const [failed] = result.cases;
      expect(failed?.verdict).toBe('fail');
      expect(reasonOf(failed)).toContain(`message id "${longId}" must have 1 to 36 characters, has 40 [message-id-invalid, OCPP-J ${ocpp} §4.1.4]`);
      // The step's 60 s timeout did not run out: the violation stopped the case.
      expect(failed!.durationMs).toBeLessThan(20_000);
      const answer = await scripted.answered();
      expect([answer.messageType, answer.messageId, answer.error?.code]).toEqual(['CALLERROR', '-1', code]);
      expect(harnessFindings(result)).toEqual([]);
    });
  }
});

describe('expectedFindings: a violation the case provokes on purpose', () => {
  const root = (extra: string) => writeTree({ 'ocpp2.0.1/core/OH_GARBAGE_CS.yaml': caseFile('OH_GARBAGE_CS', `
  - action: sendGarbage
  - expect: BootNotification
    reply: ${BOOT_REPLY}
    checks: [R.1]
`, extra) });
  const script = {
    onAction: (_name: string, _params: Record<string, unknown>, session: Session) => {
      session.sendRaw('{{{ garbage');
      void session.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } });
      return { status: 'done' as const };
    },
  };

  it('passes when the case lists the finding code; the finding stays in findings', async () => {
    const result = await runAgainstScript(root('expectedFindings: [frame-invalid]\n'), script, FAST);
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.findings.map((finding) => finding.code)).toEqual(['frame-invalid']);
  });

  it('fails when it does not', async () => {
    const result = await runAgainstScript(root(''), script, FAST);
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(reasonOf(result.cases[0])).toMatch(/message is not valid JSON \[frame-invalid/);
  });
});

describe('findings between cases', () => {
  const root = () => writeTree({ 'ocpp2.0.1/core/OH_QUIET_CS.yaml': caseFile('OH_QUIET_CS', `
  - send: ClearCache
    checks: [R.1]
`) });

  it('are the run\'s findings in results.json, not a case\'s', async () => {
    const result = await runAgainstScript(root(), {
      onCall: () => ({ payload: { status: 'Accepted' } }),
      // Before the first case: garbage, and wait for the harness's answer so it is recorded outside the case.
      onConnect: async (session) => {
        const answered = nextRecord(session, (record) => record.direction === 'csms-to-cp' && record.messageType === 'CALLERROR');
        session.sendRaw('{{{ garbage');
        await answered;
      },
    }, FAST);
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.findings).toEqual([]);
    const stationId = result.cases[0]!.stationId!;
    expect(result.findings?.map(({ code, stationId: station, trace }) => ({ code, station, trace }))).toEqual([{ code: 'frame-invalid', station: stationId, trace: `traces/_outside-cases-${stationId}.jsonl` }]);
    const written = JSON.parse(readFileSync(join(outDirOf(result), 'results.json'), 'utf8')) as { findings: unknown[] };
    expect(written.findings).toHaveLength(1);
  });

  it('are none for a station that sends only valid frames', async () => {
    const result = await runAgainstScript(root(), { onCall: () => ({ payload: { status: 'Accepted' } }) }, FAST);
    expect(result.findings).toEqual([]);
  });
});

describe('requirement ids of a failing step inside a state (issue 13 item 5)', () => {
  const tree = (useChecks: string) => writeTree({
    'ocpp2.0.1/states/cs/Cleared.yaml': `state: Cleared
ocpp: 2.0.1
sut: cs
description: the station clears its cache
steps:
  - send: ClearCache
    match: { status: Accepted }
`,
    'ocpp2.0.1/core/OH_STATE_REQ_CS.yaml': caseFile('OH_STATE_REQ_CS', `
  - use: Cleared
${useChecks}`).replace('  R.1: the SUT does what the step says', '  R.1: the SUT does what the step says\n  R.2: the SUT clears its cache'),
  });
  const rejecting = { onCall: () => ({ payload: { status: 'Rejected', statusInfo: { reasonCode: 'x'.repeat(20), additionalInfo: 'y'.repeat(300) } } }) };

  it('a conforming station passes', async () => {
    const result = await runAgainstScript(tree('    checks: [R.2]\n'), { onCall: () => ({ payload: { status: 'Accepted' } }) }, FAST);
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.steps.map((step) => [step.index, step.requirementIds])).toEqual([['1', ['R.2']], ['1.1', ['R.2']]]);
  });

  it('names the ids of the enclosing use step, and keeps the whole actual payload', async () => {
    const result = await runAgainstScript(tree('    checks: [R.2]\n'), rejecting, FAST);
    const failure = failureOf(result.cases[0]);
    expect([failure?.step, failure?.requirements]).toEqual(['1.1', [{ id: 'R.2', text: 'the SUT clears its cache' }]]);
    // Over 300 characters of JSON, uncut.
    expect(failure?.actual).toContain(`"additionalInfo":"${'y'.repeat(300)}"}}`);
  });

  it('names the case\'s ids when no enclosing step cites any', async () => {
    const result = await runAgainstScript(tree(''), rejecting, FAST);
    expect(failureOf(result.cases[0])?.requirements.map((requirement) => requirement.id)).toEqual(['R.1', 'R.2']);
  });
});

describe('checks by where the checked value came from (issue 13 item 7)', () => {
  const root = () => writeTree({ 'ocpp2.0.1/core/OH_ORIGINS_CS.yaml': caseFile('OH_ORIGINS_CS', `
  - send: DataTransfer
    payload: { vendorId: ACME, messageId: echo, data: ping }
    match: { status: Accepted }
  - expect: DataTransfer
    match: { vendorId: ACME, data: pong }
    reply: { status: Accepted }
    checks: [R.1]
`) });
  it('sorts the checks of a passing case: the echoed vendorId is the harness\'s, the rest the SUT\'s', async () => {
    let session: Session | undefined;
    const result = await runAgainstScript(root(), {
      onConnect: (s) => void (session = s),
      onCall: () => {
        setImmediate(() => void session!.call('DataTransfer', { vendorId: 'ACME', data: 'pong' }));
        return { payload: { status: 'Accepted' } };
      },
    }, FAST);
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.checks).toEqual({ sut: ['1 DataTransferResponse status', '2 DataTransferRequest data'], harness: ['2 DataTransferRequest vendorId'], adapter: [] });
  });

  it('fails a station that sends back another vendorId', async () => {
    let session: Session | undefined;
    const result = await runAgainstScript(root(), {
      onConnect: (s) => void (session = s),
      onCall: () => {
        setImmediate(() => void session!.call('DataTransfer', { vendorId: 'OTHER', data: 'pong' }));
        return { payload: { status: 'Accepted' } };
      },
    }, FAST);
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(result.cases[0]?.checks?.sut).toEqual(['1 DataTransferResponse status']);
  });

  it('counts a value the harness gave in an answer as the harness\'s, but only once it was sent', async () => {
    const echo = writeTree({ 'ocpp2.0.1/core/OH_ORIGINS_CS.yaml': caseFile('OH_ORIGINS_CS', `
  - action: go
  - expect: DataTransfer
    match: { vendorId: ACME, data: ticket-7 }
    reply: { status: Accepted, data: ticket-7 }
    checks: [R.1]
  - expect: DataTransfer
    match: { vendorId: ACME, data: ticket-7 }
    reply: { status: Accepted }
`) });
    const result = await runAgainstScript(echo, {
      onAction: (_name, _params, station) => {
        void station.call('DataTransfer', { vendorId: 'ACME', data: 'ticket-7' }).then(() => station.call('DataTransfer', { vendorId: 'ACME', data: 'ticket-7' }));
        return { status: 'done' };
      },
    }, FAST);
    expect(result.cases[0]?.verdict).toBe('pass');
    // The first DataTransfer came before the harness had sent ticket-7: the SUT's own; the second repeats the harness's answer.
    expect(result.cases[0]?.checks).toEqual({ sut: ['2 DataTransferRequest vendorId', '2 DataTransferRequest data', '3 DataTransferRequest vendorId'], harness: ['3 DataTransferRequest data'], adapter: [] });
  });
});
