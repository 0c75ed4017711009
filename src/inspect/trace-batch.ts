import { MessageType, STREAM_RULE_ACTIONS, type Finding, type Frame, type OcppVersion, type Payload, type PayloadProblem } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import { readLineAt, type FileLine } from './line-stream.js';
import type { Prejudgement } from './prejudgement.js';
import { prejudgeRecord } from './record-judgement.js';
import { readTraceLine, versionOfRecord } from './trace-reader.js';

// What crosses from a trace worker thread to the main thread for the lines of one byte range
// (issue 14, trace speed). The worker reads the lines and does the stateless part of judging
// them; the main thread must spend as little as it can per record, since it also does the
// stateful part for every record: one JSON.parse per PART_ENTRIES lines, with a record's
// recurring strings (action, version, station, connection) sent once per range, and no text at
// all for a record whose frame the worker proved canonical.

/** What a worker made of the lines of one byte range, in their order. */
export interface RangeReading {
  /** The strings the packed records name by their index. */
  strings: string[];
  /** The JSON of the entries, an entry per line of the range (see Entry), in parts of PART_ENTRIES. */
  packed: string[];
  /** The lines the main thread reads itself (TEXT entries), in order. */
  texts: string[];
  /** The lines the worker did not read (OVERLONG and LONG entries), in order. */
  overlong: Array<{ bytes: number; start: string; at: number }>;
}

/** A blank line: no record. */
const BLANK = 0;
/** A line the main thread reads itself: rare in a large trace (an EVENT, a frame not written canonically, a broken line). */
const TEXT = 1;
/** A line over the length limit: judged by its size. */
const OVERLONG = 2;
/** A line longer than a worker reads (WORKER_LINE_BYTES), within the limit: the main thread reads it from the file. */
const LONG = 3;

/**
 * The longest line a worker reads. A longer one is rare, and mostly could not be packed anyway (a
 * raw frame past MAX_CANONICAL_CHARS is parsed, not proved canonical), so the main thread reads
 * it itself, from the file, and the line is never held in both threads (a 20 MiB frame had
 * `trace` at 238 MiB peak RSS when the worker read it too, 140 MiB single-threaded).
 */
export const WORKER_LINE_BYTES = 1024 * 1024;

type Entry = typeof BLANK | typeof TEXT | typeof OVERLONG | typeof LONG | PackedRecord;

const KINDS = ['CALL', 'SEND', 'CALLRESULT'] as const;

/**
 * How many entries one JSON text holds: the main thread parses a part right before it applies its
 * records, so that they die young (a range's records parsed at once outlived the young
 * generation and grew the main thread's heap).
 */
const PART_ENTRIES = 128;
const NONE = -1;

/**
 * A CALL, SEND or CALLRESULT record with a canonical frame, as few values as the inspector needs:
 * its timestamp and time, direction (0: from the station), kind (index in KINDS), id, its
 * strings by their index in the range's strings (NONE: absent), whether it was sent invalid on
 * purpose, the verdict on its payload under its action (problem or 0; datatype findings or 0 for
 * none), and the payload when a rule still reads it (else null). Its frame is rebuilt from these
 * fields, which is what made it canonical.
 */
type PackedRecord = [
  timestamp: string | null, atMs: number, direction: 0 | 1, kind: 0 | 1 | 2, messageId: string,
  action: number, ocppVersion: number, chargePointId: number, connectionId: number, deliberate: 0 | 1,
  problem: PayloadProblem | 0, datatypes: Finding[] | 0, payload: unknown,
];

/** A record a worker read and prejudged: what the inspector still needs of it. */
export interface PrejudgedRecord {
  record: TraceRecord;
  prejudged: Prejudgement;
}

/** The worker side: packs the lines of one range as they are read, then hands the RangeReading over. */
export class RangePacker {
  private readonly strings: string[] = [];
  private readonly indexes = new Map<string, number>();
  // The records of a range mostly repeat the strings of the record before: those are not looked up again.
  private readonly lastStrings: Array<string | undefined> = [];
  private readonly lastIndexes: number[] = [];
  // The JSON of the current part's entries, each written as it comes: an entry held as objects
  // would keep its payload alive past the young generation.
  private part: string[] = [];
  private readonly packed: string[] = [];
  private readonly texts: string[] = [];
  private readonly overlong: Array<{ bytes: number; start: string; at: number }> = [];

  /** `maxLineBytes`: the limit of the inspection; the worker reads lines of at most WORKER_LINE_BYTES. */
  constructor(private readonly flag: OcppVersion | undefined, private readonly maxLineBytes: number) {}

  add(line: FileLine): void {
    let entry: number | string;
    if ('overlong' in line) {
      entry = line.overlong.bytes > this.maxLineBytes ? OVERLONG : LONG;
      this.overlong.push(line.overlong);
    } else {
      entry = this.entryOf(line.text);
      if (entry === TEXT) this.texts.push(line.text);
    }
    this.part.push(typeof entry === 'number' ? String(entry) : entry);
    if (this.part.length === PART_ENTRIES) this.endPart();
  }

  private endPart(): void {
    this.packed.push(`[${this.part.join(',')}]`);
    this.part = [];
  }

  done(): RangeReading {
    if (this.part.length > 0) this.endPart();
    return { strings: this.strings, packed: this.packed, texts: this.texts, overlong: this.overlong };
  }

  // The line read and prejudged as the main thread would read it (the `trace` input only): BLANK,
  // TEXT, or the JSON of its PackedRecord.
  private entryOf(text: string): typeof BLANK | typeof TEXT | string {
    if (text.trim().length === 0) return BLANK;
    try {
      const read = readTraceLine(text, 0, 0);
      if (!('record' in read) || read.record.messageType === 'EVENT') return TEXT;
      const version = versionOfRecord(read.record, this.flag);
      if (!version) return TEXT;
      return this.pack(read.record, prejudgeRecord(read.record, version)) ?? TEXT;
    } catch {
      // Whatever went wrong goes wrong again in the main thread, as it would without workers.
      return TEXT;
    }
  }

  /**
   * What the inspector still reads of a record with a canonical CALL, SEND or CALLRESULT frame once
   * it is prejudged, as the JSON of a PackedRecord: not `raw` (proved equal to the fields), nor a
   * request's payload unless the stream rules read it (STREAM_RULE_ACTIONS). A response keeps its
   * payload: its correlation may name another action than its record, and then it is checked
   * again. Undefined for any other record, and for one whose connection id is not a string.
   */
  private pack(record: TraceRecord, prejudged: Prejudgement): string | undefined {
    const { canonical, verdict } = prejudged;
    if (!canonical?.ok || !('payload' in canonical.frame)) return undefined;
    const { frame } = canonical;
    const connectionId: unknown = record.meta.connectionId;
    if (connectionId !== undefined && typeof connectionId !== 'string') return undefined;
    const raw = record.raw!;
    // JSON writes a number too large for a double, parsed as Infinity, as null: the main thread would
    // see another payload. A raw that proved canonical holds "null" wherever that happened.
    if (raw.includes('null')) return undefined;
    const keep = frame.type === MessageType.CallResult || ('action' in frame && STREAM_RULE_ACTIONS.has(frame.action));
    const kind = frame.type === MessageType.Call ? 0 : frame.type === MessageType.Send ? 1 : 2;
    const timestamp = record.timestamp === undefined ? 'null' : JSON.stringify(record.timestamp);
    const direction = record.direction === 'cp-to-csms' ? 0 : 1;
    const strings = `${this.indexOf(0, record.action)},${this.indexOf(1, record.ocppVersion)},${this.indexOf(2, record.chargePointId)},${this.indexOf(3, connectionId)}`;
    const problem = verdict?.problem ? JSON.stringify(verdict.problem) : 0;
    const datatypes = verdict && verdict.datatypes.length > 0 ? JSON.stringify(verdict.datatypes) : 0;
    const messageId = JSON.stringify(frame.messageId);
    const payload = keep ? payloadTextOf(raw, frame, messageId) : 'null';
    return `[${timestamp},${prejudged.atMs},${direction},${kind},${messageId},${strings},${record.meta.deliberate === true ? 1 : 0},${problem},${datatypes},${payload}]`;
  }

  // The index of a string in the range's strings; `field` keeps the one it had in the record before.
  private indexOf(field: number, value: string | undefined): number {
    if (value === undefined) return NONE;
    if (value === this.lastStrings[field]) return this.lastIndexes[field]!;
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.strings.push(value) - 1;
      this.indexes.set(value, index);
    }
    this.lastStrings[field] = value;
    this.lastIndexes[field] = index;
    return index;
  }
}

/**
 * The JSON of a canonical frame's payload, cut out of its raw text: `raw` is exactly the JSON of
 * the frame (frameOfCanonicalRaw), so what follows the type, id and action is the payload's JSON
 * and writing the payload again would only repeat it.
 */
function payloadTextOf(raw: string, frame: Frame & { payload: unknown }, messageIdJson: string): string {
  const prefix = 'action' in frame ? `[${frame.type},${messageIdJson},${JSON.stringify(frame.action)},` : `[${frame.type},${messageIdJson},`;
  return raw.startsWith(prefix) ? raw.slice(prefix.length, -1) : JSON.stringify(frame.payload);
}

/**
 * The main thread side: hands each line of a range to `apply` in order, numbered from
 * `firstLine`, a packed record with its record and prejudgement (and no text), a blank line not
 * at all. Waits whenever `apply` returns a promise. Resolves with the number of lines of the range.
 */
export async function unpackRange(path: string, reading: RangeReading, firstLine: number, apply: (fileLine: FileLine, prejudged?: PrejudgedRecord) => Promise<void> | undefined): Promise<number> {
  const { strings } = reading;
  let line = firstLine;
  let texts = 0;
  let overlong = 0;
  for (const part of reading.packed) {
    const entries = JSON.parse(part) as Entry[];
    for (const entry of entries) {
      const held = entry === BLANK ? undefined
        : entry === TEXT ? apply({ line, text: reading.texts[texts++]! })
        : entry === OVERLONG ? apply({ line, overlong: reading.overlong[overlong++]! })
        : entry === LONG ? apply({ line, text: textAt(path, reading.overlong[overlong++]!) })
        : apply({ line, text: '' }, unpackRecord(entry, strings));
      line++;
      if (held) await held;
    }
  }
  return line - firstLine;
}

// A line the worker left to the main thread, read from the file.
function textAt(path: string, { at, bytes }: { at: number; bytes: number }): string {
  return readLineAt(path, at, bytes);
}

function unpackRecord(packed: PackedRecord, strings: readonly string[]): PrejudgedRecord {
  const [timestamp, atMs, direction, kind, messageId, action, ocppVersion, chargePointId, connectionId, deliberate, problem, datatypes, payload] = packed;
  const messageType = KINDS[kind];
  const meta: TraceRecord['meta'] = connectionId === NONE ? { monotonicMs: 0 } : { monotonicMs: 0, connectionId: strings[connectionId] };
  if (deliberate === 1) meta.deliberate = true;
  const record = { schemaVersion: '1.1', timestamp, transport: 'json', direction: direction === 0 ? 'cp-to-csms' : 'csms-to-cp', messageType, messageId, meta } as TraceRecord;
  if (timestamp === null) delete (record as { timestamp?: string }).timestamp;
  if (action !== NONE) record.action = strings[action];
  if (ocppVersion !== NONE) record.ocppVersion = strings[ocppVersion];
  if (chargePointId !== NONE) record.chargePointId = strings[chargePointId];
  const kept = payload === null ? undefined : (payload as Payload);
  if (kept !== undefined) record.payload = kept;
  const frame: Frame = kind === 2 ? { type: MessageType.CallResult, messageId, payload: kept! }
    : { type: kind === 0 ? MessageType.Call : MessageType.Send, messageId, action: record.action!, payload: kept! };
  const prejudged: Prejudgement = { atMs, canonical: { ok: true, frame } };
  if (record.action !== undefined) {
    prejudged.verdict = { action: record.action, kind: kind === 2 ? 'response' : 'request', messageId, problem: problem === 0 ? undefined : problem, datatypes: datatypes === 0 ? [] : datatypes };
  }
  return { record, prejudged };
}
