import { readFileSync } from 'node:fs';
import { inspectTrace, type InspectOptions, type TraceInspection } from './trace-inspector.js';

/** A trace file that cannot be read at all (missing, a directory, no permission). */
export class TraceFileError extends Error {
  readonly code = 'OH_TRACE_UNREADABLE';
  constructor(readonly path: string, reason: string) {
    super(`${path}: cannot read the trace file: ${reason}`);
    this.name = 'TraceFileError';
  }
}

/** Reads and inspects one trace file. */
export function inspectTraceFile(path: string, options: InspectOptions = {}): TraceInspection {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TraceFileError(path, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  return inspectTrace(text, options);
}
