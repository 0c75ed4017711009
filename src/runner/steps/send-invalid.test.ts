import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultyCallAnswer, TraceRecord } from '../../session/index.js';
import { caseFile, harnessFindings, outDirOf, runAgainstScript, writeTree } from '../engine-harness.test-support.js';
import { reasonOf } from '../results.test-support.js';

// Issue 14: negative tests. A sendInvalid step sends a frame invalid on purpose and judges the
// answer the OCPP-J rule owes it; the frame accuses no one (meta.deliberate), every other harness
// frame still must be valid.

const FAST = { config: { timeouts: { messageMs: 500, connectMs: 1000, longOperationMs: 1000 } } };

const tree = (frame: string, ocpp = '2.0.1') => writeTree({
  [`ocpp${ocpp}/robustness/OH_X_01_CS.yaml`]: caseFile('OH_X_01_CS', `
  - sendInvalid: '${frame}'
    checks: [R.1]
  - send: ClearCache
    checks: [R.1]
`).replace('module: core', 'module: robustness').replace('ocpp: 2.0.1', `ocpp: ${ocpp}`),
});

const station = (answer?: FaultyCallAnswer) => ({
  onCall: () => ({ payload: { status: 'Accepted' } }),
  ...(answer ? { faultyCalls: () => answer } : {}),
});

function tracedRecords(outDir: string): TraceRecord[] {
  return readFileSync(join(outDir, 'traces', 'OH_X_01_CS.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TraceRecord);
}

describe('sendInvalid', () => {
  it('passes a station that answers by the rule, marks the frame deliberate, and counts it as no harness fault', async () => {
    const result = await runAgainstScript(tree('[2,"{{uuid}}","ClearCache",{'), station(), FAST);
    const [outcome] = result.cases;
    expect(outcome?.verdict, reasonOf(outcome)).toBe('pass');
    expect(outcome?.steps[0]?.detail).toMatch(/^CALLERROR RpcFrameworkError with message id "-1" \(message is not valid JSON\)$/);
    expect(harnessFindings(result)).toEqual([]);
    const sent = tracedRecords(outDirOf(result)).find((record) => record.messageType === 'INVALID' && record.direction === 'csms-to-cp');
    expect(sent?.meta).toMatchObject({ deliberate: true, findings: [{ code: 'frame-invalid' }] });
  });

  it('judges the code the version spells: NotImplemented for an unknown action in 1.6 and 2.0.1', async () => {
    for (const ocpp of ['1.6', '2.0.1']) {
      const result = await runAgainstScript(tree('[2,"{{uuid}}","NoSuchAction",{}]', ocpp), station(), { ...FAST, ocpp: ocpp as '1.6' });
      expect(result.cases[0]?.verdict, reasonOf(result.cases[0])).toBe('pass');
      expect(result.cases[0]?.steps[0]?.detail).toMatch(/^CALLERROR NotImplemented with message id "[0-9a-f-]{36}"/);
    }
  });

  it('fails a station that closes the connection instead of answering', async () => {
    const result = await runAgainstScript(tree('[2,"{{uuid}}","NoSuchAction",{}]'), station({ answer: 'close' }), FAST);
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(reasonOf(result.cases[0])).toMatch(/expected CALLERROR NotImplemented with message id .*, the connection kept open; actual: the SUT closed the connection instead of answering$/);
  });

  it('fails a station that answers with another message id than "-1", or processes an invalid payload', async () => {
    const wrongId = await runAgainstScript(tree('{"not":"an array"}'), station({ answer: 'callerror', errorCode: 'RpcFrameworkError', messageId: 'made-up' }), FAST);
    // An answer under another id answers no CALL: a protocol violation that stops the step at once.
    expect(wrongId.cases[0]?.steps[0]?.status).toBe('fail');
    expect(reasonOf(wrongId.cases[0])).toMatch(/during step 1 \(send the invalid frame \{"not":"an array"\}\): CALLERROR with message id "made-up" answers no CALL \[orphan-response/);
    const processed = await runAgainstScript(tree('[2,"{{uuid}}","ClearCache",{"unexpected":1}]'), station({ answer: 'process' }), FAST);
    expect(processed.cases[0]?.verdict).toBe('fail');
    expect(reasonOf(processed.cases[0])).toMatch(/actual: CALLRESULT \{"status":"Accepted"\}: the SUT processed the invalid CALL$/);
  });

  it('expects no answer where the version ignores the frame, and fails an answer as an orphan', async () => {
    const ignored = await runAgainstScript(tree('[7,"{{uuid}}","ClearCache",{}]', '1.6'), station(), { ...FAST, ocpp: '1.6' });
    expect(ignored.cases[0]?.verdict, reasonOf(ignored.cases[0])).toBe('pass');
    expect(ignored.cases[0]?.steps[0]?.detail).toBe('no answer owed (message type 7 is not defined in OCPP 1.6)');
    const answered = await runAgainstScript(tree('[7,"u-1","ClearCache",{}]', '1.6'), station({ answer: 'callerror', errorCode: 'NotSupported', messageId: 'u-1' }), { ...FAST, ocpp: '1.6' });
    expect(reasonOf(answered.cases[0])).toMatch(/CALLERROR with message id "u-1" answers no CALL \[orphan-response/);
  });

  it('refuses a valid frame: the case is in error, nothing invalid is claimed', async () => {
    const result = await runAgainstScript(tree('[2,"{{uuid}}","ClearCache",{}]'), station(), FAST);
    expect(result.cases[0]?.verdict).toBe('error');
    expect(reasonOf(result.cases[0])).toMatch(/a frame that breaks an OCPP-J rule \(sendInvalid sends nothing else\); actual: .* is a valid frame, or no CALL: use send$/);
  });
});
