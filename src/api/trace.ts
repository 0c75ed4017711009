// api, the entry points of `ocpp-harness trace` alone: the CLI loads them without the rest of
// api.ts (runner, reference, report, pki), whose modules cost about 0.45 s of CPU at every start
// of a command that reads a trace (issue 14, streaming trace speed).
import type { Writable } from 'node:stream';
import type { InspectionSummary, StreamInspectOptions } from '../inspect/index.js';

export {
  inspectTraceFileStreaming, useTraceHeapSettings, workerCountFor, TRACE_INPUTS, DEFAULT_MAX_LINE_BYTES,
  type TraceInput, type StreamInspectOptions, type InspectionSummary, type PlacedFinding,
} from '../inspect/index.js';
export { OCPP_VERSIONS, type OcppVersion } from '../protocol/index.js';

/** The report layer's writeTraceFileHtml, loaded when a page is asked for. */
export async function writeTraceFileHtml(path: string, out: Writable, options: StreamInspectOptions = {}): Promise<InspectionSummary> {
  const report = await import('../report/index.js');
  return report.writeTraceFileHtml(path, out, options);
}
