import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../runner/index.js';
import { createFileReporters } from './file-reporters.js';
import { MergeError, mergeRunOutputs } from './merge.js';
import { multiplexReporters } from './multiplex.js';
import { runSample, writeSampleTree } from './run-fixture.test-support.js';
import { writeSyntheticRun } from './synthetic-run.test-support.js';

const verdicts = (run: RunResult) => run.cases.map((c) => [c.id, c.verdict]);

describe('report merge', () => {
  it('gives the verdicts of an unsharded run, with every trace and the three reports', { timeout: 60_000 }, async () => {
    const root = writeSampleTree(5);
    const whole = await runSample(root);
    const first = await runSample(root, { index: 1, total: 2 });
    const second = await runSample(root, { index: 2, total: 2 });
    expect(first.result.cases.length).toBeGreaterThan(0);
    expect(second.result.cases.length).toBeGreaterThan(0);
    const out = mkdtempSync(join(tmpdir(), 'ocpp-harness-merged-'));
    const { result, warnings } = mergeRunOutputs([second.outDir, first.outDir], out);
    expect(warnings).toEqual([]);
    expect(verdicts(result)).toEqual(verdicts(whole.result));
    expect(result.counts).toEqual(whole.result.counts);
    for (const c of result.cases.filter((c) => c.trace)) expect(existsSync(join(out, c.trace!)), c.trace).toBe(true);
    let errors = '';
    await multiplexReporters(createFileReporters(['json', 'junit', 'html'], out), { write: (text) => (errors += text) }).onRunEnd?.(result, out);
    expect(errors).toBe('');
    const written = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
    expect(verdicts(written)).toEqual(verdicts(whole.result));
    expect(readFileSync(join(out, 'junit.xml'), 'utf8').match(/<testcase /g)).toHaveLength(whole.result.cases.length);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('id="wire-1"');
  });

  it('refuses the same shard twice, runs of different versions, and a folder without results', () => {
    const a = mkdtempSync(join(tmpdir(), 'ocpp-harness-shard-'));
    const b = mkdtempSync(join(tmpdir(), 'ocpp-harness-shard-'));
    writeSyntheticRun(a, { cases: 2, frames: 4 });
    const other = writeSyntheticRun(b, { cases: 2, frames: 4 });
    const out = mkdtempSync(join(tmpdir(), 'ocpp-harness-merged-'));
    expect(() => mergeRunOutputs([a, b], out)).toThrow(/case TC_S_001_CS is also in/);
    other.ocpp = '1.6';
    expect(() => mergeRunOutputs([a, writeRun(other)], out)).toThrow(/OCPP 1\.6 sut cs cannot be merged/);
    expect(() => mergeRunOutputs([a, join(a, 'nothing-here')], out)).toThrow(MergeError);
    expect(() => mergeRunOutputs([], out)).toThrow(/at least one shard/);
  });
});

function writeRun(run: RunResult): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-harness-shard-'));
  for (const c of run.cases) c.id = c.id.replace('TC_S', 'TC_X');
  writeFileSync(join(dir, 'results.json'), JSON.stringify(run));
  return dir;
}
