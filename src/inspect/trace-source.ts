import type { OcppVersion } from '../protocol/index.js';
import { frameLogLineReader } from './frame-log-reader.js';
import { DEFAULT_MAX_LINE_BYTES, forEachFileLine, readFileLineBatches, type FileLine } from './line-stream.js';
import { preview, readTraceLine, type TraceLine } from './trace-reader.js';
import type { PrejudgedRecord } from './trace-batch.js';
import { forEachPrejudgedLine } from './trace-workers.js';

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
  const fileLines: FileLine[] = text.split('\n').map((content, position) => ({ line: position + 1, text: content }));
  const reader = new TraceLineReader(input, version);
  const lines = fileLines.flatMap((line) => reader.read(line));
  return [...lines, ...reader.end()];
}

/**
 * Streams the records of a file as the given input, one line held at a time (lines over
 * `maxLineBytes` are record-unreadable). Throws TraceFormatError, before yielding anything, when
 * the file holds nothing to check or is in another format.
 */
export async function* streamTraceLines(path: string, input: TraceInput, version?: OcppVersion, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<TraceLine> {
  const reader = new TraceLineReader(input, version, maxLineBytes);
  for await (const fileLines of readFileLineBatches(path, maxLineBytes)) {
    for (const fileLine of fileLines) yield* reader.read(fileLine);
  }
  yield* reader.end();
}

/**
 * As streamTraceLines, without a promise per line: each line of a read chunk is parsed right
 * before `visit` judges it, so only one parsed record is alive at a time (a chunk's records
 * parsed at once outlived the young generation and cost `trace` old-generation collections,
 * issue 14). A promise `visit` returns holds the reading until it settles. With `workers` (the
 * `trace` input only), worker threads read and prejudge the lines of byte ranges (trace-workers.ts).
 */
export async function forEachTraceLine(path: string, input: TraceInput, version: OcppVersion | undefined, maxLineBytes: number, visit: (line: TraceLine) => unknown, workers = 0, rangeBytes?: number): Promise<void> {
  const reader = new TraceLineReader(input, version, maxLineBytes);
  if (workers > 0 && input === 'trace') {
    await forEachPrejudgedLine(workers, { path, version, maxLineBytes, ...(rangeBytes ? { rangeBytes } : {}) }, (fileLine, prejudged) => visitAll(reader.read(fileLine, prejudged), visit));
  } else {
    await forEachFileLine(path, maxLineBytes, (fileLine) => visitAll(reader.read(fileLine), visit));
  }
  await visitAll(reader.end(), visit);
}

// Visits lines in order; a promise only when `visit` returned one (a promise per line cost more than the line).
function visitAll(lines: readonly TraceLine[], visit: (line: TraceLine) => unknown, from = 0): Promise<void> | undefined {
  for (let at = from; at < lines.length; at++) {
    const held = visit(lines[at]!);
    if (held instanceof Promise) return held.then(() => visitAll(lines, visit, at + 1));
  }
  return undefined;
}

/**
 * Turns file lines into trace lines, holding back the first ones until they show the file is of
 * the chosen input (FORMAT_PROBE_RECORDS), so a file of another format is one error, not a
 * finding per line.
 */
class TraceLineReader {
  private readonly readLine: (content: string, line: number, index: number) => TraceLine | undefined;
  private index = 0;
  /** The lines held back while the format is undecided, with their text for the other format's hint. */
  private probe: Array<{ line: TraceLine; text: string }> | undefined = [];

  constructor(private readonly input: TraceInput, private readonly version?: OcppVersion, private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    this.readLine = readerOf(input, version);
  }

  /** The trace lines a file line gives; `prejudged`: a worker thread has read it already. */
  read(fileLine: FileLine, prejudged?: PrejudgedRecord): TraceLine[] {
    const line = 'overlong' in fileLine ? this.overlong(fileLine)
      : prejudged ? { index: this.index, line: fileLine.line, record: prejudged.record, prejudged: prejudged.prejudged }
      : this.readLine(fileLine.text, fileLine.line, this.index);
    if (!line) return [];
    this.index++;
    if (!this.probe) return [line];
    this.probe.push({ line, text: 'text' in fileLine ? fileLine.text : '' });
    if ('record' in line) return this.decided();
    if (this.probe.length >= FORMAT_PROBE_RECORDS) throw new TraceFormatError(this.foreignFormat(false));
    return [];
  }

  end(): TraceLine[] {
    if (!this.probe) return [];
    if (this.probe.length === 0) throw new TraceFormatError('holds no records (it is empty): nothing to check');
    throw new TraceFormatError(this.foreignFormat(true));
  }

  private decided(): TraceLine[] {
    if (this.input === 'frames' && !this.version) throw new TraceFormatError('a frame log does not say its OCPP version: pass --ocpp');
    const held = this.probe!.map((entry) => entry.line);
    this.probe = undefined;
    return held;
  }

  private overlong(fileLine: Extract<FileLine, { overlong: unknown }>): TraceLine {
    const { bytes, start } = fileLine.overlong;
    return { index: this.index, line: fileLine.line, unreadable: `line of ${bytes} bytes is longer than the ${this.maxLineBytes} a record may have (--max-line-bytes); it starts ${preview(start)}` };
  }

  private foreignFormat(ended: boolean): string {
    const probe = this.probe!;
    const other: TraceInput = this.input === 'trace' ? 'frames' : 'trace';
    const readOther = readerOf(other);
    const readsAsOther = probe.some((entry, index) => {
      const line = readOther(entry.text, entry.line.line, index);
      return line !== undefined && 'record' in line;
    });
    const hint = readsAsOther ? `; it reads as ${NAMES[other]}: ${FLAGS[other]}` : '';
    const first = probe[0]!.line;
    const why = 'unreadable' in first ? first.unreadable : '';
    const which = ended && probe.length === 1 ? 'its only line reads' : ended ? `none of its ${probe.length} lines reads` : `none of its first ${probe.length} lines reads`;
    return `not ${NAMES[this.input]}: ${which} as a record (line ${first.line}: ${why})${hint}`;
  }
}

function readerOf(input: TraceInput, version?: OcppVersion): (content: string, line: number, index: number) => TraceLine | undefined {
  if (input === 'frames') return frameLogLineReader(version);
  return (content, line, index) => (content.trim().length === 0 ? undefined : readTraceLine(content, line, index));
}
