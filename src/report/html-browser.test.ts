import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './chromium.test-support.js';
import { createFileReporters } from './file-reporters.js';
import { renderRunHtml } from './html-reporter.js';
import { multiplexReporters } from './multiplex.js';
import { runRelaySample } from './run-fixture.test-support.js';
import { LEAKED_CREDENTIAL, SCHEDULE_TABLE, scheduleFailure, writeSyntheticRun } from './synthetic-run.test-support.js';
import { renderTraceFileHtml } from './trace-page.js';

// The HTML report as a person uses it: opened from disk in headless Chromium (Debian's, driven
// over the DevTools protocol; see chromium.test-support.ts). Without Chromium this fails, by design.
const REPORTS = new URL('../../reports/', import.meta.url).pathname;
const scratch = () => mkdtempSync(join(tmpdir(), 'ocpp-harness-browser-'));

describe('HTML report in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await Browser.launch();
    mkdirSync(REPORTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('marks a relayed pass, filters to relayed passes and away from them, and says what each expect step rested on', async () => {
    const { result, outDir } = await runRelaySample();
    writeFileSync(join(outDir, 'index.html'), renderRunHtml(result, outDir, outDir));
    await browser.navigate(pathToFileURL(join(outDir, 'index.html')).href);
    const visible = () => browser.evaluate<string[]>(`[...document.querySelectorAll('section.case:not([hidden]) .cid')].map((e) => e.textContent)`);
    expect(await browser.evaluate<string[]>(`[...document.querySelectorAll('section.case:not(.v-outside) .badge')].map((e) => e.textContent)`)).toEqual(['passrelayed', 'pass']);

    await browser.evaluate(`document.querySelector('.tile[data-verdict="relayed"]').click()`);
    expect(await visible()).toEqual(['OH_REL_01_CSMS']);
    await browser.evaluate(`(() => { const f = document.getElementById('relay-filter'); f.value = 'own'; f.dispatchEvent(new Event('change')); })()`);
    expect(await visible()).toEqual(['OH_REL_02_CSMS']);
    await browser.evaluate(`document.getElementById('reset-filters').click()`);
    expect(await visible()).toEqual(['OH_REL_01_CSMS', 'OH_REL_02_CSMS', 'between cases: CS001']);

    await browser.evaluate(`document.querySelectorAll('section.case .case-head').forEach((head) => head.click())`);
    expect(await browser.evaluate<string[]>(`[...document.querySelectorAll('section.case .relay-note')].map((e) => e.textContent)`)).toEqual([
      'relayed: every checked value was passed on by the adapter (type)',
      'passed on by the adapter: idToken.idToken; built by the SUT: remoteStartId',
    ]);
  }, 30_000);

  it('shows a failure\'s side-by-side schedule whole, in monospace, a row per line (each drawn below the one before)', async () => {
    const { result, outDir } = await runRelaySample();
    const run = { ...result, cases: [scheduleFailure(result.cases[0]!)], counts: { ...result.counts, pass: 0, fail: 1 } };
    writeFileSync(join(outDir, 'index.html'), renderRunHtml(run, outDir, outDir));
    await browser.navigate(pathToFileURL(join(outDir, 'index.html')).href);
    await browser.evaluate(`document.querySelector('section.case .case-head').click()`);
    const shown = await browser.evaluate<{ text: string; whiteSpace: string; font: string; rowTops: number[] }>(`(() => {
      const pre = document.querySelector('section.case .failure pre.side-by-side');
      const style = getComputedStyle(pre);
      // Where each row's first character is drawn: a row per line means each below the one before.
      const text = pre.firstChild;
      let offset = 0;
      const rowTops = pre.textContent.split('\\n').map((line) => {
        const range = document.createRange();
        range.setStart(text, offset);
        range.setEnd(text, offset + 1);
        offset += line.length + 1;
        return range.getBoundingClientRect().top;
      });
      return { text: pre.textContent, whiteSpace: style.whiteSpace, font: style.fontFamily, rowTops };
    })()`);
    // The text keeps the columns (the console test checks their alignment); monospace draws them aligned.
    expect(shown.text).toBe(SCHEDULE_TABLE);
    expect(shown.whiteSpace).toBe('pre-wrap');
    expect(shown.font).toMatch(/monospace/);
    expect(shown.rowTops).toHaveLength(4);
    shown.rowTops.slice(1).forEach((top, row) => expect(top).toBeGreaterThan(shown.rowTops[row]!));
  }, 30_000);

  it('shows the counts, filters to failures, expands a wire log and finds a frame in it', async () => {
    const dir = scratch();
    const run = writeSyntheticRun(dir, { cases: 24, frames: 300 });
    let errors = '';
    await multiplexReporters(createFileReporters(['json', 'junit', 'html'], dir), { write: (text) => (errors += text) }).onRunEnd?.(run, dir);
    expect(errors).toBe('');
    await browser.navigate(pathToFileURL(join(dir, 'index.html')).href);

    const counts = await browser.evaluate<Record<string, string>>(`Object.fromEntries([...document.querySelectorAll('.tiles [data-count]')].map((e) => [e.dataset.count, e.textContent]))`);
    expect(counts).toEqual({ total: '24', ...Object.fromEntries(Object.entries(run.counts).map(([verdict, count]) => [verdict, String(count)])) });
    const failing = run.cases.filter((c) => c.verdict === 'fail').map((c) => c.id);

    await browser.evaluate(`document.querySelector('.tile[data-verdict="fail"]').click()`);
    expect(await browser.evaluate<string[]>(`[...document.querySelectorAll('section.case:not([hidden]) .cid')].map((e) => e.textContent)`)).toEqual(failing);
    expect(await browser.evaluate<string>(`document.getElementById('shown').textContent`)).toBe(`showing ${failing.length} of 24`);

    await browser.evaluate(`(() => { const t = document.getElementById('text-filter'); t.value = '${failing[1]}'; t.dispatchEvent(new Event('input')); })()`);
    expect(await browser.evaluate<string[]>(`[...document.querySelectorAll('section.case:not([hidden]) .cid')].map((e) => e.textContent)`)).toEqual([failing[1]]);
    await browser.evaluate(`(() => { const t = document.getElementById('text-filter'); t.value = ''; t.dispatchEvent(new Event('input')); })()`);

    // Expand the first failure: its steps, its failure box, and the first chunk of its wire log.
    await browser.evaluate(`document.querySelector('section.case:not([hidden]) .case-head').click()`);
    const body = await browser.evaluate<{ rows: number; more: string; failure: string }>(`(() => {
      const section = document.querySelector('section.case:not([hidden])');
      return { rows: section.querySelectorAll('.frame').length, more: section.querySelector('.more')?.textContent ?? '', failure: section.querySelector('.failure')?.textContent ?? '' };
    })()`);
    expect(body.rows).toBe(200);
    expect(body.more).toBe('Show 100 more (100 left)');
    expect(body.failure).toContain('Actual:');
    expect(body.failure).toContain('G01.FR.01');

    const frame = await browser.evaluate<{ kind: string; text: string; pretty: string; colour: string }>(`(() => {
      const row = [...document.querySelectorAll('section.case:not([hidden]) .frame.t-CALL')].find((r) => r.querySelector('.act').textContent.startsWith('SetVariables'));
      const details = row.querySelector('details');
      details.open = true;
      return new Promise((resolve) => setTimeout(() => resolve({
        kind: row.querySelector('.kind').textContent, text: row.textContent, pretty: details.querySelector('pre')?.textContent ?? '',
        colour: getComputedStyle(row).borderLeftColor,
      }), 50));
    })()`);
    expect(frame.kind).toMatch(/^CALL/);
    expect(frame.text).toContain('CSMS → CS');
    expect(frame.pretty).toContain('"basicAuthPassword": "<redacted>"');
    expect(frame.colour).toBe('rgb(9, 105, 218)');

    const special = await browser.evaluate<{ upgrade: string; headers: string; invalid: string; close: string; error: string }>(`(() => {
      const section = document.querySelector('section.case:not([hidden])');
      const open = section.querySelector('.frame.t-EVENT details');
      open.open = true;
      return new Promise((resolve) => setTimeout(() => resolve({
        upgrade: open.querySelector('summary').textContent, headers: open.querySelector('pre')?.textContent ?? '',
        invalid: section.querySelector('.frame.t-INVALID').textContent, error: getComputedStyle(section.querySelector('.frame.t-CALLERROR')).borderLeftColor,
        close: (section.querySelector('.more').click(), [...section.querySelectorAll('.frame.t-EVENT')].at(-1).textContent),
      }), 50));
    })()`);
    expect(special.upgrade).toBe('WebSocket upgrade /ocpp/CS001 → HTTP 101, subprotocol ocpp2.0.1');
    expect(special.headers).toContain('"authorization": "Basic <redacted>"');
    expect(special.headers).not.toContain(LEAKED_CREDENTIAL);
    expect(special.invalid).toMatch(/violation\s*frame-invalid: not JSON/);
    expect(special.error).toBe('rgb(207, 34, 46)');
    expect(special.close).toContain('WebSocket closed by local: code 1000 "case over"');
    expect(await browser.evaluate<number>(`document.querySelector('section.case:not([hidden])').querySelectorAll('.frame').length`)).toBe(300);

    await browser.evaluate(`window.scrollTo(0, 0)`);
    writeFileSync(join(REPORTS, 'html-report.png'), await browser.screenshot());
  }, 60_000);

  it('a case opened by its #ID link shows its header below the sticky filter bar, on load and on a link followed later', async () => {
    const dir = scratch();
    const run = writeSyntheticRun(dir, { cases: 60, frames: 20 });
    await multiplexReporters(createFileReporters(['html'], dir), { write: () => undefined }).onRunEnd?.(run, dir);
    // How far the case's header is below the bar's bottom edge (negative: hidden under it), and whether it is open.
    const placement = (id: string) => browser.evaluate<{ below: number; open: boolean; scrolled: number }>(`(() => {
      const section = [...document.querySelectorAll('section.case')].find((s) => s.querySelector('.cid').textContent === ${JSON.stringify(id)});
      const head = section.querySelector('.case-head');
      return { below: head.getBoundingClientRect().top - document.querySelector('nav.filters').getBoundingClientRect().bottom, open: head.getAttribute('aria-expanded') === 'true', scrolled: window.scrollY };
    })()`);
    const deep = run.cases[40]!.id;
    await browser.navigate(`${pathToFileURL(join(dir, 'index.html')).href}#${encodeURIComponent(deep)}`);
    const onLoad = await placement(deep);
    expect(onLoad.scrolled).toBeGreaterThan(0);
    expect(onLoad.open).toBe(true);
    expect(onLoad.below).toBeGreaterThanOrEqual(0);
    expect(onLoad.below).toBeLessThan(40);
    const later = run.cases[50]!.id;
    await browser.evaluate(`new Promise((resolve) => { window.addEventListener('hashchange', () => requestAnimationFrame(() => resolve(true)), { once: true }); location.hash = ${JSON.stringify(`#${encodeURIComponent(run.cases[50]!.id)}`)}; })`);
    const followed = await placement(later);
    expect(followed.open).toBe(true);
    expect(followed.below).toBeGreaterThanOrEqual(0);
    expect(followed.below).toBeLessThan(40);
  }, 30_000);

  it('paints a 500-case, 50,000-frame report within 2 s and expands a case of it', async () => {
    const dir = scratch();
    // 400 of the 500 cases ran (the rest are not-applicable or skipped), at 125 records each.
    const run = writeSyntheticRun(dir, { cases: 500, frames: 125 });
    const started = performance.now();
    writeFileSync(join(dir, 'index.html'), renderRunHtml(run, dir, dir));
    const renderMs = performance.now() - started;
    const bytes = statSync(join(dir, 'index.html')).size;
    const frames = run.cases.filter((c) => c.trace).length * 125;
    expect(frames).toBe(50_000);

    await browser.navigate(pathToFileURL(join(dir, 'index.html')).href);
    const paintMs = await browser.firstContentfulPaint();
    const readyMs = await browser.evaluate<number>('window.ocppReport.ready');
    const expandMs = await browser.evaluate<number>(`(() => { const t = performance.now(); document.querySelector('section.case .case-head').click(); document.body.offsetHeight; return performance.now() - t; })()`);
    expect(await browser.evaluate<number>(`document.querySelector('section.case').querySelectorAll('.frame').length`)).toBe(125);
    const figures = { cases: run.cases.length, frames, htmlBytes: bytes, renderMs: Math.round(renderMs), firstContentfulPaintMs: Math.round(paintMs), scriptReadyMs: Math.round(readyMs), expandMs: Math.round(expandMs) };
    writeFileSync(join(REPORTS, 'html-report-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(`HTML report figures: ${JSON.stringify(figures)}\n`);
    expect(paintMs).toBeLessThan(2000);
  }, 120_000);

  it('shows a trace file as the wire-log page, expanded, with the inspector\'s findings', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'trace.html'), renderTraceFileHtml('fixtures/traces/ocpp16-three-violations.jsonl').html);
    await browser.navigate(pathToFileURL(join(dir, 'trace.html')).href);
    const page = await browser.evaluate<{ violations: string; rows: number; findings: string[]; filters: string }>(`({
      violations: document.querySelector('[data-count="violation"]').textContent,
      rows: document.querySelectorAll('.frame').length,
      findings: [...document.querySelectorAll('.frame .findings li b')].map((b) => b.textContent),
      filters: getComputedStyle(document.getElementById('filters')).display,
    })`);
    expect(page).toEqual({ violations: '3', rows: 8, findings: ['schema-violation', 'orphan-response', 'unanswered-call'], filters: 'none' });
    writeFileSync(join(REPORTS, 'trace-page.png'), await browser.screenshot());
  }, 60_000);
});
