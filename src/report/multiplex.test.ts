import { describe, expect, it } from 'vitest';
import { countVerdicts, type RunResult } from '../runner/index.js';
import { multiplexReporters } from './multiplex.js';
import type { Reporter } from './reporter.js';

const run: RunResult = {
  schemaVersion: 1, harness: { name: 'ocpp-harness', version: 't' }, ocpp: '2.0.1', sut: 'cs', target: '', configHash: 'h',
  startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000, interrupted: false, counts: countVerdicts([]), cases: [],
};

describe('multiplexReporters', () => {
  it('runs every reporter although one throws and another rejects, and says so on the error sink', async () => {
    const calls: string[] = [];
    let errors = '';
    const reporters: Reporter[] = [
      { name: 'html', onRunEnd: () => { throw new Error('template exploded'); }, onCaseEnd: () => { throw new Error('no'); } },
      { name: 'slow', onRunEnd: async () => { await Promise.resolve(); throw new Error('disk full'); } },
      { name: 'junit', onRunEnd: (_result, outDir) => { calls.push(`junit ${outDir}`); }, onCaseEnd: (result) => { calls.push(`case ${result.id}`); } },
    ];
    const all = multiplexReporters(reporters, { write: (text) => (errors += text) });
    all.onCaseEnd?.({ id: 'TC_1' } as never);
    await all.onRunEnd?.(run, '/out');
    expect(calls).toEqual(['case TC_1', 'junit /out']);
    expect(errors).toContain('reporter html: onRunEnd failed: template exploded');
    expect(errors).toContain('reporter slow: onRunEnd failed: disk full');
    expect(errors).toContain('reporter html: onCaseEnd failed: no');
    expect(all.failures.map((failure) => `${failure.reporter}.${failure.hook}`)).toEqual(['html.onCaseEnd', 'html.onRunEnd', 'slow.onRunEnd']);
  });

  it('survives a broken error sink', async () => {
    const all = multiplexReporters([{ name: 'bad', onRunBegin: () => { throw new Error('x'); } }], { write: () => { throw new Error('sink'); } });
    expect(() => all.onRunBegin?.({ sut: 'cs', target: '', stationIds: [], cases: 0, reference: false })).not.toThrow();
    expect(all.failures).toHaveLength(1);
  });
});
