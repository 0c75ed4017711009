import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_LINE_BYTES } from './line-stream.js';
import { TraceInspector, inspectTraceLines, type InspectOptions, type InspectionSummary, type PlacedFinding, type RecordView, type TraceInspection } from './trace-inspector.js';
import type { TraceLine } from './trace-reader.js';
import { TraceFormatError, forEachTraceLine, loadTraceLines } from './trace-source.js';

/** A trace file that cannot be read at all (missing, a directory, no permission). */
export class TraceFileError extends Error {
  readonly code = 'OH_TRACE_UNREADABLE';
  constructor(readonly path: string, reason: string) {
    super(`${path}: cannot read the trace file: ${reason}`);
    this.name = 'TraceFileError';
  }
}

/** Options of a streamed inspection: those of an inspection, and the longest line a record may have. */
export interface StreamInspectOptions extends InspectOptions {
  /** Lines longer than this many bytes are record-unreadable, never held whole (default 32 MiB). */
  maxLineBytes?: number;
  /**
   * Worker threads that read and prejudge the records of byte ranges of an open-ocpp-trace file
   * (default 0: none; see workerCountFor). The findings are the same; the `line` listener then
   * sees a record with only the fields the inspector reads (see trace-workers.ts).
   */
  workers?: number;
  /** With workers: the bytes of the file one request to a worker covers (default 1 MiB). */
  rangeBytes?: number;
}

/** What a streamed inspection tells its caller as it goes. */
export interface InspectionListener {
  /** A finding, as soon as it is known (an unanswered CALL once its connection closed or the trace ended). */
  finding(finding: PlacedFinding): void;
  /** A line after it was judged, with what the inspector derived for it; a promise returned holds the reading until it settles. */
  line?(line: TraceLine, view: RecordView): unknown;
}

/**
 * Reads the records of a trace file or frame log. Throws TraceFileError when the file cannot be
 * read, TraceFormatError (naming the file) when it holds no records or is in another format.
 */
export function readTraceFile(path: string, options: Pick<InspectOptions, 'input' | 'version'> = {}): TraceLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TraceFileError(path, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  try {
    return loadTraceLines(text, options.input ?? 'trace', options.version);
  } catch (error) {
    throw error instanceof TraceFormatError ? error.at(path) : error;
  }
}

/** Reads and inspects one trace file, keeping every finding and record view (for small files). */
export function inspectTraceFile(path: string, options: InspectOptions = {}): TraceInspection {
  return inspectTraceLines(readTraceFile(path, options), options);
}

/**
 * Inspects a trace file of any size in bounded memory: lines are read one at a time and each
 * finding goes to the listener as soon as it is known; only counts are kept. Throws (rejects
 * with) TraceFileError or TraceFormatError as readTraceFile does, before any finding.
 */
export async function inspectTraceFileStreaming(path: string, listener: InspectionListener, options: StreamInspectOptions = {}): Promise<InspectionSummary> {
  const inspector = new TraceInspector(options, (finding) => listener.finding(finding));
  try {
    await forEachTraceLine(path, options.input ?? 'trace', options.version, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, (line) => {
      const view = inspector.inspect(line);
      return listener.line?.(line, view);
    }, options.workers ?? 0, options.rangeBytes);
  } catch (error) {
    if (error instanceof TraceFormatError) throw error.at(path);
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new TraceFileError(path, code);
    throw error;
  }
  return inspector.finish();
}
