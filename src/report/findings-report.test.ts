import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { FindingGroups, type Finding } from '../protocol/index.js';
import type { CaseResult, RunResult } from '../runner/index.js';
import { createConsoleReporter } from './console-reporter.js';
import { buildRunData } from './html-data.js';
import { renderJUnit } from './junit.js';
import { RESULTS_JSON_SCHEMA } from './results-schema.js';
import { runSample, writeSampleTree } from './run-fixture.test-support.js';

// Issue 13: a pass with warnings says so, the console shortens what results.json and the HTML
// report keep whole, and the findings between cases are the run's.

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const WARNING: Finding = { code: 'late-response', severity: 'warning', message: 'response to "abc" came 120 ms after its CALL timed out', rule: 'OCPP-J 2.0.1 §4.1.1', messageId: 'abc' };
const OUTSIDE: Finding = { code: 'frame-invalid', severity: 'violation', message: 'message is not valid JSON', rule: 'OCPP-J 2.0.1 §4.2' };

function consoleText(run: RunResult): string {
  let text = '';
  const reporter = createConsoleReporter(new Writable({ decodeStrings: false, write: (chunk: string, _encoding, done) => { text += chunk; done(); } }));
  for (const finished of run.cases) reporter.onCaseEnd?.(finished);
  reporter.onRunEnd(run);
  return text;
}

describe('reports of findings', () => {
  let run: RunResult;
  let outDir: string;
  let longActual: string;
  beforeAll(async () => {
    const sample = await runSample(writeSampleTree(2));
    outDir = sample.outDir;
    // A real pass and a real fail; the pass is given a warning, the fail a long actual, the run a finding between cases.
    const [pass, fail, ...rest] = sample.result.cases as [CaseResult, CaseResult, ...CaseResult[]];
    longActual = `ClearCacheResponse {"status":"Accepted","statusInfo":{"additionalInfo":"${'z'.repeat(600)}"}}`;
    const failed = fail.verdict === 'fail' ? { ...fail, failure: { ...fail.failure, actual: longActual } } : fail;
    run = { ...sample.result, cases: [{ ...pass, findings: [WARNING] }, failed, ...rest], findings: [{ ...OUTSIDE, stationId: 'CS001', trace: 'traces/_outside-cases-CS001.jsonl' }] };
  }, 30_000);

  it('the console shows a pass\'s warnings, shortens a long actual, and counts the findings between cases', () => {
    const text = consoleText(run);
    const lines = text.split('\n');
    const passLine = lines.findIndex((line) => line.startsWith('PASS') && line.includes('OH_REP_01_CS'));
    expect(lines[passLine + 1]).toBe(`${' '.repeat(13)}warnings: late-response: ${WARNING.message} [OCPP-J 2.0.1 §4.1.1]`);
    const actual = lines.find((line) => line.startsWith('  Actual:'))!;
    expect(actual.length).toBeLessThan(440);
    expect(actual).toMatch(/\.\.\. \(whole in results\.json\)$/);
    expect(text).toContain('between cases: 1 finding(s) on frames of the SUT, e.g. frame-invalid: message is not valid JSON [OCPP-J 2.0.1 §4.2]');
  });

  it('the console says nothing of warnings for a pass without any', () => {
    const plain = { ...run, cases: run.cases.map((result) => ({ ...result, findings: [] })), findings: [] };
    expect(consoleText(plain)).not.toMatch(/warnings:|between cases:/);
  });

  it('JUnit lists a pass\'s warnings in its system-out', () => {
    const xml = renderJUnit(run);
    expect(xml).toMatch(/<testcase[^>]*OH_REP_01_CS[^>]*>\s*<system-out>[^<]*warning: late-response: response to "abc" came 120 ms after its CALL timed out \[OCPP-J 2\.0\.1 §4\.1\.1\]<\/system-out>/);
  });

  it('HTML keeps the actual whole, counts a pass\'s warnings, shows the checks, and lists the findings between cases with their station', () => {
    const data = buildRunData(run, outDir, outDir);
    const [pass, fail] = data.cases;
    expect(fail?.failure?.actual).toBe(longActual);
    expect(pass?.warnings).toBe(1);
    expect(fail?.warnings).toBeUndefined();
    expect(pass?.checks).toEqual({ sut: ['1 ClearCacheResponse status'], harness: [], adapter: [] });
    const outside = data.cases.find((entry) => entry.extra);
    expect(outside?.findings).toEqual([['violation', 'frame-invalid', 'message is not valid JSON', 'OCPP-J 2.0.1 §4.2']]);
  });

  it('results.json: the schema takes run-level findings with their station and trace, and the checks of each case', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(RESULTS_JSON_SCHEMA);
    const written = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    expect(written.findings).toEqual([]);
    expect(written.cases[0].checks).toEqual({ sut: ['1 ClearCacheResponse status'], harness: [], adapter: [] });
    const withFinding = { ...written, findings: run.findings };
    expect(validate(withFinding), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...written, findings: [OUTSIDE] })).toBe(false);
    expect(validate({ ...written, cases: [{ ...written.cases[0], checks: { sut: [] } }] })).toBe(false);
  });

  it('issue 14: 50,000 identical findings are 5 lines and one with ×50000, in every report', () => {
    const groups = new FindingGroups();
    for (let i = 0; i < 50_000; i++) groups.add('c1', { ...WARNING, message: `late answer ${i}` }, new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString());
    const findings = groups.list();
    const [pass, ...rest] = run.cases as [CaseResult, ...CaseResult[]];
    const flooded: RunResult = { ...run, cases: [{ ...pass, findings }, ...rest] };
    const grouped = 'late-response: late answer 5 ×50000 (2026-01-01T00:00:00.000Z to 2026-01-01T00:00:49.999Z) [OCPP-J 2.0.1 §4.1.1]';
    const text = consoleText(flooded);
    expect(text).toContain(grouped);
    expect(text.length).toBeLessThan(5_000);
    const xml = renderJUnit(flooded);
    expect(xml).toContain(`warning: ${grouped}`);
    expect(xml.length).toBeLessThan(10_000);
    const data = buildRunData(flooded, outDir, outDir);
    expect(data.cases[0]?.findings).toHaveLength(6);
    expect(data.cases[0]?.findings[5]).toEqual(['warning', 'late-response', 'late answer 5', 'OCPP-J 2.0.1 §4.1.1', 50_000, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:49.999Z']);
    expect(data.cases[0]?.warnings).toBe(50_000);
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(RESULTS_JSON_SCHEMA);
    const written = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    const withGroup = { ...written, cases: [{ ...written.cases[0], findings }, ...written.cases.slice(1)] };
    expect(validate(withGroup), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(withGroup).length).toBeLessThan(JSON.stringify(written).length + 2_000);
  });
});
