import { basename } from 'node:path';
import { inspectTraceLines, readTraceFile, type InspectOptions, type TraceInspection } from '../inspect/index.js';
import { countOccurrences, type Finding } from '../protocol/index.js';
import type { HtmlReportData } from './html-data.js';
import { renderPage } from './html-page.js';
import { wireFramesOf } from './wire-log.js';

/**
 * Renders any open-ocpp-trace v1.1 file as the report's wire-log page, with the trace
 * inspector's findings on the frames they concern (not the findings a producer recorded: the
 * inspector judges every producer alike). Throws TraceFileError when the file cannot be read,
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
  const violations = count('violation');
  const name = basename(path);
  const data: HtmlReportData = {
    mode: 'trace', verdicts: [],
    cases: [{
      i: 0, id: name, title: path, module: inspection.versions.map((version) => `OCPP ${version}`).join(', ') || 'OCPP version unknown',
      verdict: violations > 0 ? 'fail' : 'pass', durationMs: frames.reduce((latest, frame) => Math.max(latest, frame.t), 0), startedAt: frames[0]?.at ?? '',
      steps: [], findings: [], frames: frames.length, violations,
      ...(violations > 0 ? { reason: `${violations} violation${violations === 1 ? '' : 's'} of the OCPP-J rules` } : {}),
    }],
    wires: frames.length > 0 ? [{ i: 0, frames }] : [],
  };
  const html = renderPage({
    title: `ocpp-harness trace: ${name}`, heading: `Trace ${name}`,
    facts: [
      { label: 'file', value: path }, { label: 'OCPP', value: inspection.versions.join(', ') || 'unknown' },
      { label: 'unanswered CALLs', value: String(inspection.unansweredCalls.length) }, { label: 'orphan responses', value: String(inspection.orphanResponses.length) },
    ],
    tiles: [
      { key: 'records', label: 'records', count: inspection.records.length },
      { key: 'violation', label: 'violations', count: violations }, { key: 'warning', label: 'warnings', count: count('warning') }, { key: 'info', label: 'info', count: count('info') },
    ],
    modules: [], footer: 'Checked by ocpp-harness trace: framing, schemas, correlation; secrets redacted.', generator: 'trace',
  }, data);
  return { html, inspection };
}
