import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { caseFile, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import type { StationScript } from './engine-harness.test-support.js';
import { reasonOf } from './results.test-support.js';

// Even-numbered cases expect a Rejected status and so fail against a station that accepts everything.
const clearCache = (n: number) => caseFile(`OH_RUN_${String(n).padStart(2, '0')}_CS`, `
  - send: ClearCache
    payload: {}
    match: { status: ${n % 2 === 1 ? 'Accepted' : 'Rejected'} }
    checks: [R.1]
`);

function alternatingScript(): StationScript {
  return { onCall: () => ({ payload: { status: 'Accepted' } }) };
}

describe('runs: workers, shards, operator prompts', () => {
  const files = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`ocpp2.0.1/core/OH_RUN_${String(n).padStart(2, '0')}_CS.yaml`, clearCache(n)]));

  it('gives the same verdicts with two workers (two station identities) as serially', async () => {
    const root = writeTree(files);
    const serial = await runAgainstScript(root, alternatingScript());
    const parallel = await runAgainstScript(root, alternatingScript(), { workers: 2 });
    const verdicts = (r: typeof serial) => r.cases.map((c) => [c.id, c.verdict]);
    expect(verdicts(serial)).toEqual([1, 2, 3, 4, 5].map((n) => [`OH_RUN_0${n}_CS`, n % 2 === 1 ? 'pass' : 'fail']));
    expect(verdicts(parallel)).toEqual(verdicts(serial));
    expect(new Set(parallel.cases.map((c) => c.stationId))).toEqual(new Set(['CS001', 'CS001-2']));
  });

  it('splits the cases over shards without overlap or loss', async () => {
    const root = writeTree(files);
    const first = await runAgainstScript(root, alternatingScript(), { shard: { index: 1, total: 2 } });
    const second = await runAgainstScript(root, alternatingScript(), { shard: { index: 2, total: 2 } });
    expect(first.cases.map((c) => c.id)).toEqual(['OH_RUN_01_CS', 'OH_RUN_03_CS', 'OH_RUN_05_CS']);
    expect(second.cases.map((c) => c.id)).toEqual(['OH_RUN_02_CS', 'OH_RUN_04_CS']);
  });

  it('asks an operator through the prompt adapter, driven through a pipe', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_PROMPT_01_CS.yaml': caseFile('OH_PROMPT_01_CS', `
  - action: plugIn
    params: { evseId: 1, connectorId: 1 }
    checks: [R.1]
`),
      'ocpp2.0.1/core/OH_PROMPT_02_CS.yaml': caseFile('OH_PROMPT_02_CS', `
  - action: presentIdToken
    params: { evseId: 1, idToken: '{{config.idTokens.valid.idToken}}', type: ISO14443 }
    prompt: 'Present {{params.idToken}} at EVSE {{params.evseId}}.'
    checks: [R.1]
`),
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
      // Answer each prompt as an operator would: Enter for the first, "a" (abort) for the second.
      if (/Connect the EV/.test(shown) && !shown.includes('#1')) {
        shown += '#1';
        input.write('\n');
      } else if (/Present VALID-TOKEN-01 at EVSE 1\./.test(shown) && !shown.includes('#2')) {
        shown += '#2';
        input.write('a\n');
      }
    });
    const result = await runAgainstScript(root, {}, { config: { adapters: { default: { kind: 'prompt' } } }, world: { input, output } });
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_PROMPT_01_CS', 'pass'], ['OH_PROMPT_02_CS', 'inconclusive']]);
  });

  it('an interrupted run ends the running case as error and skips the rest, with results for all', async () => {
    const root = writeTree({
      ...files,
      'ocpp2.0.1/core/OH_RUN_06_CS.yaml': caseFile('OH_RUN_06_CS', `
  - wait: { durationMs: 30000 }
    checks: [R.1]
`),
      'ocpp2.0.1/core/OH_RUN_07_CS.yaml': clearCache(7).replace(/OH_RUN_07_CS/g, 'OH_RUN_07_CS'),
    });
    const controller = new AbortController();
    const running = runAgainstScript(root, alternatingScript(), { signal: controller.signal, patterns: ['OH_RUN_01_CS', 'OH_RUN_06_CS', 'OH_RUN_07_CS'] });
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    expect(result.interrupted).toBe(true);
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_RUN_01_CS', 'pass'], ['OH_RUN_06_CS', 'error'], ['OH_RUN_07_CS', 'skipped']]);
    expect(reasonOf(result.cases[1])).toContain('the run was interrupted');
  });
});
