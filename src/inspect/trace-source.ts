import type { OcppVersion } from '../protocol/index.js';
import { readFrameLog } from './frame-log-reader.js';
import { readTraceLines, type TraceLine } from './trace-reader.js';

/** What a file to inspect holds: open-ocpp-trace records, or a frame log (docs/trace-format.md). */
export const TRACE_INPUTS = ['trace', 'frames'] as const;
export type TraceInput = (typeof TRACE_INPUTS)[number];

/** A text that cannot be checked as a whole: it holds no records, or is in another format. */
export class TraceFormatError extends Error {
  readonly code = 'OH_TRACE_FORMAT';
  constructor(readonly reason: string, readonly path?: string) {
    super(path === undefined ? reason : `${path}: ${reason}`);
    this.name = 'TraceFormatError';
  }

  /** The same error, naming the file it concerns. */
  at(path: string): TraceFormatError {
    return new TraceFormatError(this.reason, path);
  }
}

/**
 * How many records open a file and decide its format: when not one of them reads as a record of
 * the chosen input, the file is in another format, and one line says so instead of a finding
 * per line.
 */
export const FORMAT_PROBE_RECORDS = 5;

const NAMES: Record<TraceInput, string> = { trace: 'an open-ocpp-trace file', frames: 'a frame log' };
const FLAGS: Record<TraceInput, string> = { trace: 'drop --input frames', frames: 'use --input frames' };

/** Reads the records of a text as the given input; throws TraceFormatError when there is nothing to check. */
export function loadTraceLines(text: string, input: TraceInput, version?: OcppVersion): TraceLine[] {
  const lines = readAs(text, input, version);
  if (lines.length === 0) throw new TraceFormatError('holds no records (it is empty): nothing to check');
  const probe = lines.slice(0, FORMAT_PROBE_RECORDS);
  if (!probe.some(isRecord)) throw new TraceFormatError(foreignFormat(text, input, probe, lines.length));
  if (input === 'frames' && !version) throw new TraceFormatError('a frame log does not say its OCPP version: pass --ocpp');
  return lines;
}

function foreignFormat(text: string, input: TraceInput, probe: readonly TraceLine[], total: number): string {
  const other: TraceInput = input === 'trace' ? 'frames' : 'trace';
  const hint = readAs(text, other).slice(0, FORMAT_PROBE_RECORDS).some(isRecord) ? `; it reads as ${NAMES[other]}: ${FLAGS[other]}` : '';
  const first = probe[0]!;
  const why = 'unreadable' in first ? first.unreadable : '';
  const which = total === 1 ? 'its only line reads' : probe.length === total ? `none of its ${total} lines reads` : `none of its first ${probe.length} lines reads`;
  return `not ${NAMES[input]}: ${which} as a record (line ${first.line}: ${why})${hint}`;
}

function readAs(text: string, input: TraceInput, version?: OcppVersion): TraceLine[] {
  return input === 'frames' ? readFrameLog(text, version) : readTraceLines(text);
}

function isRecord(line: TraceLine): boolean {
  return 'record' in line;
}
