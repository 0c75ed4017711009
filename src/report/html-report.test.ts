import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileReporters } from './file-reporters.js';
import { renderRunHtml } from './html-reporter.js';
import { multiplexReporters } from './multiplex.js';
import { redactText, redactValue } from './redact.js';
import { runRelaySample, runSample, writeSampleTree } from './run-fixture.test-support.js';
import { LEAKED_CREDENTIAL, writeSyntheticRun } from './synthetic-run.test-support.js';
import { renderTraceFileHtml } from './trace-page.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'ocpp-harness-html-'));

function embedded(html: string, id: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  if (!match) throw new Error(`no ${id} block`);
  return JSON.parse(match[1]!);
}

describe('HTML report', () => {
  it('is written with results.json and junit.xml by the file reporters after a real run', { timeout: 30_000 }, async () => {
    const { result, outDir } = await runSample(writeSampleTree(2));
    let errors = '';
    await multiplexReporters(createFileReporters(['console', 'json', 'junit', 'html'], outDir), { write: (text) => (errors += text) }).onRunEnd?.(result, outDir);
    expect(errors).toBe('');
    for (const file of ['results.json', 'junit.xml', 'index.html']) expect(existsSync(join(outDir, file)), file).toBe(true);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const index = embedded(html, 'report-index') as { cases: Array<{ i: number; id: string; verdict: string; frames: number; trace?: string; extra?: boolean }> };
    expect(index.cases.filter((c) => !c.extra).map((c) => [c.id, c.verdict])).toEqual([['OH_REP_01_CS', 'pass'], ['OH_REP_02_CS', 'fail'], ['OH_REP_99_CS', 'not-applicable']]);
    // The station connected before the first case: its upgrade is in the traffic between cases.
    const outside = index.cases.find((c) => c.extra)!;
    expect(outside).toMatchObject({ id: 'between cases: CS001', trace: 'traces/_outside-cases-CS001.jsonl' });
    expect((embedded(html, `wire-${outside.i}`) as Array<{ k: string; a?: string }>).slice(0, 2).map((frame) => `${frame.k} ${frame.a}`)).toEqual(['EVENT ws-open', 'CALL BootNotification']);
    expect(index.cases[1]).toMatchObject({ trace: 'traces/OH_REP_02_CS.jsonl', frames: expect.any(Number) });
    const wire = embedded(html, 'wire-1') as Array<{ k: string; a?: string }>;
    expect(wire.map((frame) => `${frame.k} ${frame.a ?? ''}`)).toEqual(expect.arrayContaining(['CALL ClearCache', 'CALLRESULT ClearCache']));
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain('<td class="nz">1</td>');
  });

  it('marks each wire-log row with the steps whose results name its record, not with the step running when it was recorded', () => {
    const dir = scratch();
    const run = writeSyntheticRun(dir, { cases: 1, frames: 8 });
    // The synthetic trace stamps every record with stepId 2; the step results say otherwise.
    const wire = embedded(renderRunHtml(run, dir, dir), 'wire-0') as Array<{ k: string; s?: string }>;
    expect(wire.map((frame) => frame.s)).toEqual([undefined, '1', '1', '2', '2', undefined, undefined, undefined]);
    run.cases[0]!.steps[1]!.records = [2, 3];
    const moved = embedded(renderRunHtml(run, dir, dir), 'wire-0') as Array<{ k: string; s?: string }>;
    expect(moved.slice(0, 5).map((frame) => frame.s)).toEqual([undefined, '1', '1, 2', '2', undefined]);
  });

  it('shows relayed passes apart: a flag per case, a tile and a filter, and what each expect step rested on', { timeout: 30_000 }, async () => {
    const { result, outDir } = await runRelaySample();
    const html = renderRunHtml(result, outDir, outDir);
    const index = embedded(html, 'report-index') as { cases: Array<{ id: string; relayed?: boolean; steps: Array<{ kind: string; relay?: unknown }>; extra?: boolean }> };
    const cases = index.cases.filter((c) => !c.extra);
    expect(cases.map((c) => [c.id, c.relayed])).toEqual([['OH_REL_01_CSMS', true], ['OH_REL_02_CSMS', undefined]]);
    expect(cases[1]!.steps.find((step) => step.kind === 'expect')?.relay).toEqual({ supplied: ['idToken.idToken'], notSupplied: ['remoteStartId'] });
    expect(html).toMatch(/<button type="button" class="tile v-relayed" data-verdict="relayed" title="[^"]+"><span class="count" data-count="relayed">1<\/span><span class="label">relayed passes<\/span><\/button>/);
    expect(html).toContain('<select id="relay-filter">');

    // A run without a relayed pass offers neither.
    const plain = renderRunHtml(writeSyntheticRun(scratch(), { cases: 3, frames: 4 }), outDir, outDir);
    expect(plain).not.toContain('data-count="relayed"');
    expect(plain).not.toContain('<select id="relay-filter">');
  });

  it('redacts Basic credentials and basicAuthPassword fields, also where a producer forgot to', () => {
    const dir = scratch();
    const run = writeSyntheticRun(dir, { cases: 3, frames: 60 });
    const first = run.cases.find((c) => c.verdict !== 'pass')!;
    first.reason = `sent Authorization: Basic ${LEAKED_CREDENTIAL} in a reason`;
    const html = renderRunHtml(run, dir, dir);
    expect(html).not.toContain(LEAKED_CREDENTIAL);
    expect(html).not.toContain('hunter2-secret');
    expect(html).toContain('Basic \\u003credacted>');
    expect(html).toContain('"basicAuthPassword":"\\u003credacted>"');
  });

  it('keeps every payload inside its script element, whatever it contains', () => {
    const dir = scratch();
    const run = writeSyntheticRun(dir, { cases: 2, frames: 10 });
    const trace = join(dir, run.cases[0]!.trace!);
    const hostile = { schemaVersion: '1.1', timestamp: '2026-03-02T08:00:00.000Z', ocppVersion: '2.0.1', transport: 'json', direction: 'cp-to-csms', messageType: 'CALL', messageId: 'x', action: 'DataTransfer', payload: { vendorId: '</script><script>alert(1)</script><!--', data: '\u2028\u2029' }, meta: { monotonicMs: 0 } };
    writeFileSync(trace, `${readFileSync(trace, 'utf8')}${JSON.stringify(hostile)}\n`);
    run.cases[0]!.title = '</script><b>title</b>';
    const html = renderRunHtml(run, dir, dir);
    expect(html.match(/<script\b/g)!.length).toBe(html.match(/<\/script>/g)!.length);
    const wire = embedded(html, 'wire-0') as Array<{ b?: { vendorId?: string } }>;
    expect(wire.at(-1)!.b!.vendorId).toBe('</script><script>alert(1)</script><!--');
  });

  it('renders a trace file as the wire-log page with the inspector\'s findings', () => {
    const { html, inspection } = renderTraceFileHtml('fixtures/traces/ocpp16-three-violations.jsonl');
    expect(inspection.findings.filter((finding) => finding.severity === 'violation')).toHaveLength(3);
    const index = embedded(html, 'report-index') as { mode: string; cases: Array<{ verdict: string; violations: number; frames: number }> };
    expect(index).toMatchObject({ mode: 'trace', cases: [{ verdict: 'fail', violations: 3, frames: 8 }] });
    const wire = embedded(html, 'wire-0') as Array<{ f?: string[][]; l: number }>;
    expect(wire.filter((frame) => frame.f).map((frame) => [frame.l, frame.f![0]![1]])).toEqual([[3, 'schema-violation'], [5, 'orphan-response'], [8, 'unanswered-call']]);
  });

  it('renders a frame log the same way, from the records converted out of its lines', () => {
    const { html } = renderTraceFileHtml('fixtures/traces/ocpp201-station.frames.log', { input: 'frames', version: '2.0.1' });
    const wire = embedded(html, 'wire-0') as Array<{ f?: string[][]; l: number }>;
    expect(wire.filter((frame) => frame.f).map((frame) => [frame.l, frame.f![0]![1]])).toEqual([[4, 'schema-violation'], [6, 'orphan-response'], [7, 'record-unreadable'], [10, 'unanswered-call']]);
  });
});

describe('redaction', () => {
  it('replaces credentials, leaves prose and already-redacted headers alone', () => {
    expect(redactText(`Authorization: Basic ${LEAKED_CREDENTIAL}`)).toBe('Authorization: Basic <redacted>');
    expect(redactText('Basic Q1MwMDE6cGFzcw')).toBe('Basic <redacted>');
    expect(redactText('Basic <redacted user="CS001">')).toBe('Basic <redacted user="CS001">');
    expect(redactText('uses Basic authentication')).toBe('uses Basic authentication');
    expect(redactText('{"basicAuthPassword": "p\\"w", "x": 1}')).toBe('{"basicAuthPassword": "<redacted>", "x": 1}');
    expect(redactValue({ security: { BasicAuthPassword: 'pw', profile: 1 }, list: [`Basic ${LEAKED_CREDENTIAL}`] })).toEqual({ security: { BasicAuthPassword: '<redacted>', profile: 1 }, list: ['Basic <redacted>'] });
  });
});
