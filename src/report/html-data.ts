import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { countOccurrences, type Finding } from '../protocol/index.js';
import { VERDICTS, isRelayed, type CaseFailure, type CheckOrigins, type RunFinding, type RunResult, type StepResult, type Verdict } from '../runner/index.js';
import { redactText, redactValue } from './redact.js';
import { readTraceExcerpt } from './trace-excerpt.js';
import { wireFinding, wireFramesOf, type WireFinding, type WireFrame } from './wire-log.js';

/** One case as the HTML page's index holds it; its wire log is kept apart and read on demand. */
export interface HtmlCase {
  i: number;
  id: string;
  title: string;
  module: string;
  verdict: string;
  reason?: string;
  durationMs: number;
  startedAt: string;
  stationId?: string;
  failure?: CaseFailure;
  steps: StepResult[];
  findings: WireFinding[];
  /** The trace file, relative to the page. */
  trace?: string;
  /** Rows in the wire log (0 when there is none). */
  frames: number;
  /** Findings of severity violation in the wire log. */
  violations: number;
  /** Findings of severity warning on the SUT's frames (results.json findings): a pass shows them. */
  warnings?: number;
  /** What the case's checks rested on (results.json checks). */
  checks?: CheckOrigins;
  /** A pass whose every checked value the adapter had passed on to the SUT (results.json `relayed`). */
  relayed?: true;
  /** Not a case: the traffic of a station between cases (its WebSocket upgrade, boots). */
  extra?: boolean;
}

/** What the page embeds: a small index parsed at load, and one wire log per case parsed on expand. */
export interface HtmlReportData {
  mode: 'run' | 'trace';
  verdicts: string[];
  cases: HtmlCase[];
  wires: Array<{ i: number; frames: WireFrame[] }>;
}

/**
 * Collects what the HTML report shows of a run: each case with its steps and its wire log read
 * from `runDir`/trace. `reportDir` is where the page goes, so its links to traces stay relative.
 * Everything is redacted on the way in.
 */
export function buildRunData(run: RunResult, runDir: string, reportDir: string): HtmlReportData {
  const data: HtmlReportData = { mode: 'run', verdicts: [...VERDICTS], cases: [], wires: [] };
  run.cases.forEach((result, i) => {
    const frames = result.trace ? readWireLog(join(runDir, result.trace), result.steps) : [];
    if (frames.length > 0) data.wires.push({ i, frames });
    const entry: HtmlCase = {
      i, id: result.id, title: redactText(result.title), module: result.module, verdict: result.verdict, durationMs: result.durationMs, startedAt: result.startedAt,
      steps: redactValue(result.steps) as StepResult[],
      findings: result.findings.map(wireFinding),
      frames: frames.length, violations: frames.reduce((sum, frame) => sum + (frame.f ?? []).filter((finding) => finding[0] === 'violation').length, 0),
    };
    if (result.verdict !== 'pass') entry.reason = redactText(result.reason);
    if (result.stationId !== undefined) entry.stationId = result.stationId;
    if (isRelayed(result)) entry.relayed = true;
    const warnings = countOccurrences(result.findings.filter((finding) => finding.severity === 'warning'));
    if (warnings > 0) entry.warnings = warnings;
    if (result.checks) entry.checks = redactValue(result.checks) as CheckOrigins;
    if ('failure' in result) entry.failure = redactValue(result.failure) as CaseFailure;
    if (result.trace !== undefined) entry.trace = relative(reportDir, join(runDir, result.trace)).split(sep).join('/');
    data.cases.push(entry);
  });
  addOutsideTraces(data, runDir, reportDir, run.findings ?? []);
  return data;
}

// A station usually connects before the first case, so its WebSocket upgrade and boot are in
// the trace of traffic outside cases; the report shows those traces after the cases.
// Issue 13: the run-level findings (results.json findings) are listed with their station's traffic.
function addOutsideTraces(data: HtmlReportData, runDir: string, reportDir: string, runFindings: readonly RunFinding[]): void {
  const folder = join(runDir, 'traces');
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder).filter((file) => file.startsWith('_outside-cases-') && file.endsWith('.jsonl')).sort()) {
    const frames = readWireLog(join(folder, name), []);
    if (frames.length === 0) continue;
    const i = data.cases.length;
    const station = name.replace(/^_outside-cases-/, '').replace(/\.jsonl$/, '');
    data.wires.push({ i, frames });
    data.cases.push({
      i, id: `between cases: ${station}`, title: 'connections and traffic outside the test cases', module: '', verdict: 'outside', durationMs: 0,
      startedAt: frames[0]?.at ?? '', steps: [], findings: runFindings.filter((finding) => finding.stationId === station).map(wireFinding), frames: frames.length, extra: true,
      violations: frames.reduce((sum, frame) => sum + (frame.f ?? []).filter((finding) => finding[0] === 'violation').length, 0),
      trace: relative(reportDir, join(folder, name)).split(sep).join('/'),
    });
  }
}

// A trace that is missing (the case never connected, or the folder was copied without traces/)
// is shown as an empty wire log rather than failing the whole report.
// Traffic outside cases belongs to no step; a case's records belong to the steps that took them.
// Issue 14: a trace of 100,000 records embeds its first and last WIRE_ROWS_KEPT / 2 and one row
// that says how many are only in the file.
function readWireLog(path: string, steps: readonly StepResult[]): WireFrame[] {
  if (!existsSync(path)) return [];
  const { head, tail, omitted } = readTraceExcerpt(path, WIRE_ROWS_KEPT / 2, WIRE_ROWS_KEPT / 2);
  const frames = wireFramesOf([...head, ...tail], { stepsOf: stepsByRecord(steps) });
  if (omitted === 0) return frames;
  const first = tail[0]!;
  const gap: WireFrame = { t: frames[head.length]!.t, at: frames[head.length]!.at, d: 0, k: 'OMITTED', x: `${omitted} records not embedded in this report (lines ${first.line - omitted} to ${first.line - 1} of the trace file)`, l: first.line - omitted };
  return [...frames.slice(0, head.length), gap, ...frames.slice(head.length)];
}

/** How many records of one trace the report embeds at most. */
export const WIRE_ROWS_KEPT = 5_000;

/** Which steps took each record of a case's trace (StepResult.records). */
function stepsByRecord(steps: readonly StepResult[]): (index: number) => readonly string[] {
  const owners = new Map<number, string[]>();
  for (const step of steps) {
    for (const index of step.records) owners.set(index, [...(owners.get(index) ?? []), step.index]);
  }
  return (index) => owners.get(index) ?? [];
}

/** Counts of a run per module and verdict, in the order modules first appear. */
export function moduleCounts(run: RunResult): Array<{ module: string; counts: Record<Verdict, number>; total: number }> {
  const rows = new Map<string, { module: string; counts: Record<Verdict, number>; total: number }>();
  for (const result of run.cases) {
    let row = rows.get(result.module);
    if (!row) {
      row = { module: result.module, counts: Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>, total: 0 };
      rows.set(result.module, row);
    }
    row.counts[result.verdict]++;
    row.total++;
  }
  return [...rows.values()];
}
