import { readFileSync } from 'node:fs';
import { inspectTraceLines, type InspectOptions, type TraceInspection } from './trace-inspector.js';
import type { TraceLine } from './trace-reader.js';
import { TraceFormatError, loadTraceLines } from './trace-source.js';

/** A trace file that cannot be read at all (missing, a directory, no permission). */
export class TraceFileError extends Error {
  readonly code = 'OH_TRACE_UNREADABLE';
  constructor(readonly path: string, reason: string) {
    super(`${path}: cannot read the trace file: ${reason}`);
    this.name = 'TraceFileError';
  }
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

/** Reads and inspects one trace file. */
export function inspectTraceFile(path: string, options: InspectOptions = {}): TraceInspection {
  return inspectTraceLines(readTraceFile(path, options), options);
}
