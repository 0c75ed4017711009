import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import {
  inspectTraceLines, inspectTraceFileStreaming, readTraceFile, type InspectOptions, type InspectionSummary, type PlacedFinding, type StreamInspectOptions, type TraceInspection,
} from '../inspect/index.js';
import { countOccurrences, type Finding } from '../protocol/index.js';
import type { HtmlReportData } from './html-data.js';
import { renderPage, renderPageAroundWire, scriptJson, type PageFrame } from './html-page.js';
import { wireFramesOf, wireRowReader, type WireFrame } from './wire-log.js';

/**
 * Renders any open-ocpp-trace v1.1 file as the report's wire-log page, with the trace
 * inspector's findings on the frames they concern (not the findings a producer recorded: the
 * inspector judges every producer alike). Holds the whole file: for small files and tests; the
 * CLI streams with writeTraceFileHtml. Throws TraceFileError when the file cannot be read,
 * TraceFormatError when it holds no records or is in another format.
 */
export function renderTraceFileHtml(path: string, options: InspectOptions = {}): { html: string; inspection: TraceInspection } {
  const lines = readTraceFile(path, options);
  const inspection = inspectTraceLines(lines, options);
  const byIndex = new Map<number, Finding[]>();
  for (const finding of inspection.findings) byIndex.set(finding.index, [...(byIndex.get(finding.index) ?? []), finding]);
  const actions = new Map(inspection.records.map((view) => [view.index, view.action]));
  const frames = wireFramesOf(lines, { findingsOf: (index) => byIndex.get(index) ?? [], actionOf: (index) => actions.get(index) });
  const count = (severity: string) => countOccurrences(inspection.findings.filter((finding) => finding.severity === severity));
  const summary: InspectionSummary = {
    versions: inspection.versions, records: inspection.records.length, severities: { violation: count('violation'), warning: count('warning'), info: count('info') },
    unansweredCalls: inspection.unansweredCalls.length, orphanResponses: inspection.orphanResponses.length,
  };
  const shape = { frames: frames.length, durationMs: frames.reduce((latest, frame) => Math.max(latest, frame.t), 0), startedAt: frames[0]?.at ?? '' };
  const { frame, data } = pageOf(path, summary, shape);
  return { html: renderPage(frame, { ...data, wires: frames.length > 0 ? [{ i: 0, frames }] : [] }), inspection };
}

/**
 * Writes the wire-log page of a trace file of any size to `out` in bounded memory: rows are
 * streamed to a temporary file as the inspector judges them (each with the findings known for
 * it then; huge frames cut, see MAX_BODY_CHARS), then the page is written around them. Findings
 * known only later (a CALL never answered) are on the row of the record where they became known
 * (the connection's close) or on a last row "end of trace", naming the line they concern.
 */
export async function writeTraceFileHtml(path: string, out: Writable, options: StreamInspectOptions = {}): Promise<InspectionSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-harness-trace-html-'));
  try {
    const rowsPath = join(dir, 'wire.json');
    const rows = new RowWriter(createWriteStream(rowsPath));
    const toRow = wireRowReader();
    let pending: PlacedFinding[] = [];
    let last: WireFrame | undefined;
    const shape = { frames: 0, durationMs: 0, startedAt: '' };
    const add = (row: WireFrame) => {
      if (shape.frames++ === 0) shape.startedAt = row.at;
      shape.durationMs = Math.max(shape.durationMs, row.t);
      last = row;
      return rows.write(row);
    };
    const summary = await inspectTraceFileStreaming(path, {
      finding: (finding) => pending.push(finding),
      line: (line, view) => {
        const row = toRow(line);
        if (view.action !== undefined && row.a === undefined) row.a = view.action;
        const findings = pending;
        pending = [];
        if (findings.length > 0) row.f = findings.map((finding) => wireFinding(finding, row.l));
        else delete row.f;
        return add(row);
      },
    }, options);
    if (pending.length > 0) {
      const end: WireFrame = { t: last?.t ?? 0, at: last?.at ?? '', d: 0, k: 'EVENT', a: 'end of trace', x: 'end of the trace: what was still owed', l: last?.l ?? 0 };
      // Every finding of the last row concerns an earlier line: each names it.
      end.f = pending.map((finding) => wireFinding(finding, -1));
      await add(end);
    }
    await rows.end();
    const { frame, data } = pageOf(path, summary, shape);
    if (shape.frames === 0) {
      out.write(renderPage(frame, { ...data, wires: [] }));
      return summary;
    }
    const { before, after } = renderPageAroundWire(frame, data, 0);
    out.write(before);
    await pipeline(createReadStream(rowsPath), out, { end: false });
    out.write(after);
    return summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The JSON array of rows, written to a file as they come, waiting when the file is behind. */
class RowWriter {
  private count = 0;

  constructor(private readonly stream: Writable) {}

  /** Writes a row; the promise, when there is one, settles once the file has caught up. */
  write(row: WireFrame): Promise<unknown> | undefined {
    const text = `${this.count++ === 0 ? '[' : ',\n'}${scriptJson(row)}`;
    return this.stream.write(text) ? undefined : once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    this.stream.end(this.count === 0 ? '[]' : ']');
    await once(this.stream, 'finish');
  }
}

// A finding shown on the row of another line says which line it concerns.
function wireFinding(finding: PlacedFinding, rowLine: number): WireFrame['f'] extends Array<infer F> | undefined ? F : never {
  const where = finding.line === rowLine ? '' : `line ${finding.line}: `;
  return [finding.severity, finding.code, `${where}${finding.message}`, finding.rule];
}

function pageOf(path: string, summary: InspectionSummary, shape: { frames: number; durationMs: number; startedAt: string }): { frame: PageFrame; data: Omit<HtmlReportData, 'wires'> } {
  const violations = summary.severities.violation;
  const name = basename(path);
  const data: Omit<HtmlReportData, 'wires'> = {
    mode: 'trace', verdicts: [],
    cases: [{
      i: 0, id: name, title: path, module: summary.versions.map((version) => `OCPP ${version}`).join(', ') || 'OCPP version unknown',
      verdict: violations > 0 ? 'fail' : 'pass', durationMs: shape.durationMs, startedAt: shape.startedAt,
      steps: [], findings: [], frames: shape.frames, violations,
      ...(violations > 0 ? { reason: `${violations} violation${violations === 1 ? '' : 's'} of the OCPP-J rules` } : {}),
    }],
  };
  const frame: PageFrame = {
    title: `ocpp-harness trace: ${name}`, heading: `Trace ${name}`,
    facts: [
      { label: 'file', value: path }, { label: 'OCPP', value: summary.versions.join(', ') || 'unknown' },
      { label: 'unanswered CALLs', value: String(summary.unansweredCalls) }, { label: 'orphan responses', value: String(summary.orphanResponses) },
    ],
    tiles: [
      { key: 'records', label: 'records', count: summary.records },
      { key: 'violation', label: 'violations', count: violations }, { key: 'warning', label: 'warnings', count: summary.severities.warning }, { key: 'info', label: 'info', count: summary.severities.info },
    ],
    modules: [], footer: 'Checked by ocpp-harness trace: framing, schemas, correlation; secrets redacted.', generator: 'trace',
  };
  return { frame, data };
}
