import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../runner/index.js';
import { createConsoleReporter } from './console-reporter.js';
import { runRelaySample } from './run-fixture.test-support.js';
import { relayedOf } from '../runner/results.test-support.js';
import { SCHEDULE_TABLE, scheduleFailure } from './synthetic-run.test-support.js';

/** A console reporter writing into a stream whose text the test reads back. */
function capture(): { reporter: ReturnType<typeof createConsoleReporter>; text: () => string } {
  let text = '';
  // Written synchronously: the reporter's lines are in `text` as soon as each write returns.
  const stream = new Writable({ decodeStrings: false, write: (chunk: string, _encoding, done) => { text += chunk; done(); } });
  return { reporter: createConsoleReporter(stream), text: () => text };
}

describe('console reporter', () => {
  let result: RunResult;
  beforeAll(async () => {
    ({ result } = await runRelaySample());
  }, 30_000);

  it('shows a relayed pass apart, on its line and in the summary count', () => {
    const { reporter, text: written } = capture();
    for (const finished of result.cases) reporter.onCaseEnd?.(finished);
    reporter.onRunEnd(result);
    const text = written();
    const lines = text.split('\n');
    expect(lines.find((line) => line.includes('OH_REL_01_CSMS'))).toMatch(/^PASS relayed {1}OH_REL_01_CSMS /);
    expect(lines.find((line) => line.includes('OH_REL_02_CSMS'))).toMatch(/^PASS {9}OH_REL_02_CSMS /);
    expect(text).toMatch(/\n2 cases: 2 pass \(1 relayed\) in \d+\.\d s\n/);
    expect(text).toContain('relayed: every value those passes checked was passed on to the SUT');
  });

  it('lists the not-applicable cases in the summary, a line per reason, with at most eight ids each', () => {
    const base = result.cases[0]!;
    const notApplicable = (id: string, reason: string) => ({ ...base, id, verdict: 'not-applicable' as const, reason });
    const cases = [
      ...Array.from({ length: 10 }, (_, i) => notApplicable(`TC_${100 + i}_CS`, 'needs Reservation: the station\'s SupportedFeatureProfiles is "Core"')),
      notApplicable('TC_200_CS', 'needs writable:HeartbeatInterval: read-only on the station'),
    ];
    const { reporter, text: written } = capture();
    reporter.onRunEnd({ ...result, cases, counts: { ...result.counts, pass: 0, 'not-applicable': 11 } });
    expect(written().split('\n').filter((line) => line.startsWith('not applicable'))).toEqual([
      'not applicable: TC_100_CS, TC_101_CS, TC_102_CS, TC_103_CS, TC_104_CS, TC_105_CS, TC_106_CS, TC_107_CS and 2 more: needs Reservation: the station\'s SupportedFeatureProfiles is "Core"',
      'not applicable: TC_200_CS: needs writable:HeartbeatInterval: read-only on the station',
    ]);
  });

  it('prints a failure\'s side-by-side schedule whole, a row per line, its columns aligned', () => {
    const failed = scheduleFailure(result.cases[0]!);
    const { reporter, text: written } = capture();
    reporter.onRunEnd({ ...result, cases: [failed], counts: { ...result.counts, pass: 0, fail: 1 } });
    const lines = written().split('\n');
    const actualAt = lines.findIndex((line) => line.startsWith('  Actual:   from +0 s to +95 s'));
    const table = lines.slice(actualAt + 1, actualAt + 5);
    expect(table.map((line) => line.trim())).toEqual(SCHEDULE_TABLE.split('\n'));
    // Aligned: every row puts its column separators where the header does.
    const bars = (line: string) => [...line.matchAll(/ \| /g)].map((match) => match.index).slice(0, 3);
    for (const row of table) expect(bars(row)).toEqual(bars(table[0]!));
    expect(bars(table[0]!)).toHaveLength(3);
  });

  it('says nothing of relays when no pass was one', () => {
    const plain = { ...result, cases: result.cases.filter((c) => !relayedOf(c)), counts: { ...result.counts, pass: 1 } };
    const { reporter, text: written } = capture();
    reporter.onRunEnd(plain);
    const text = written();
    expect(text).toMatch(/\n1 cases: 1 pass in /);
    expect(text).not.toContain('relayed');
  });
});
