import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MessageType, STREAM_RULE_ACTIONS, type Finding, type Frame, type OcppVersion, type Payload, type PayloadProblem } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import type { Prejudgement } from './prejudgement.js';
import { prejudgeRecord } from './record-judgement.js';
import { readTraceLine, versionOfRecord } from './trace-reader.js';

// Issue 14, trace speed: the costly part of judging a record (JSON.parse, the canonical-raw proof,
// schema and datatype checks) needs nothing but the record, so worker threads do it on batches of
// lines while the main thread keeps the order and the conversations' state. Both paths run the
// same functions (readTraceLine, prejudgeRecord); only what crosses between the threads is here.

/** A file smaller than this is judged in the main thread: a worker's start costs more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * How many characters of lines a batch sent to a worker holds (about 450 records of the harness's
 * traces): the answers to a batch live in the main thread until they are applied, so a small
 * batch keeps few of them alive at once.
 */
export const BATCH_CHARS = 256 * 1024;

/**
 * How many of the `requested` worker threads `trace` starts for a file: none for a small one.
 * `trace` asks for none by default: on the project's 2-core machine, shared with other work, the
 * main thread's share of the parallel path (copying the lines out and the packed records back)
 * cost as much as judging the records alone (docs/performance.md).
 */
export function workerCountFor(path: string, requested: number): number {
  let bytes: number;
  try {
    bytes = statSync(path).size;
  } catch {
    return 0; // The reader names the error.
  }
  return bytes < PARALLEL_MIN_BYTES ? 0 : requested;
}

/** A record a worker read and prejudged: what the inspector still needs of it. */
export interface PrejudgedRecord {
  record: TraceRecord;
  prejudged: Prejudgement;
}

/**
 * What a worker makes of one line: BLANK; a prejudged record as the JSON text of a PackedRecord
 * (parsed by the main thread right before it is judged, so it dies young; text crosses between
 * threads at the cost of a memory copy, objects at the cost of building them twice); or the
 * line's text itself, for the main thread to read.
 */
export type WorkerReading = typeof BLANK | string | { text: string };
/** A blank line, or one over the length limit (the main thread judges it by its size): no record here. */
export const BLANK = 0;

/**
 * A CALL, SEND or CALLRESULT record with a canonical frame, as few values as the inspector needs:
 * its timestamp, direction (0: from the station), message type, id and action, its version,
 * station and connection, whether it was sent invalid on purpose, the payload when a rule still
 * reads it (else null), and the verdict on its payload under its action (problem, or 0; datatype
 * findings). A record's frame is rebuilt from its fields, which is what made it canonical.
 */
type PackedRecord = [
  timestamp: string | null, direction: 0 | 1, messageType: 'CALL' | 'SEND' | 'CALLRESULT', messageId: string, action: string | null,
  ocppVersion: string | null, chargePointId: string | null, connectionId: string | null, deliberate: 0 | 1,
  payload: unknown, problem: PayloadProblem | 0, datatypes: Finding[],
];

/**
 * The worker side: one line read and prejudged, as the main thread would (the `trace` input only).
 * Anything but a record that packs (see pack) is rare in a large trace and goes back as text,
 * for the main thread to read.
 */
export function readingOf(text: string, flag: OcppVersion | undefined): WorkerReading {
  if (text.trim().length === 0) return BLANK;
  const here = { text };
  try {
    const read = readTraceLine(text, 0, 0);
    if (!('record' in read) || read.record.messageType === 'EVENT') return here;
    const version = versionOfRecord(read.record, flag);
    if (!version) return here;
    const packed = pack(read.record, prejudgeRecord(read.record, version));
    return packed ? JSON.stringify(packed) : here;
  } catch {
    // Whatever went wrong goes wrong again in the main thread, as it would without workers.
    return here;
  }
}

/**
 * What the inspector still reads of a record with a canonical CALL, SEND or CALLRESULT frame once
 * it is prejudged: not `raw` (proved equal to the fields), nor a request's payload unless the
 * stream rules read it (STREAM_RULE_ACTIONS). A response keeps its payload: its correlation may
 * name another action than its record, and then it is checked again. Undefined for any other
 * record, and for one whose connection id is not a string.
 */
function pack(record: TraceRecord, prejudged: Prejudgement): PackedRecord | undefined {
  const { canonical, verdict } = prejudged;
  if (!canonical?.ok || !('payload' in canonical.frame)) return undefined;
  const { frame } = canonical;
  const connectionId: unknown = record.meta.connectionId;
  if (connectionId !== undefined && typeof connectionId !== 'string') return undefined;
  // JSON writes a number too large for a double, parsed as Infinity, as null: the main thread would
  // see another payload. A raw that proved canonical holds "null" wherever that happened.
  if (record.raw!.includes('null')) return undefined;
  const keep = frame.type === MessageType.CallResult || ('action' in frame && STREAM_RULE_ACTIONS.has(frame.action));
  return [
    record.timestamp ?? null, record.direction === 'cp-to-csms' ? 0 : 1, record.messageType as PackedRecord[2], frame.messageId, record.action ?? null,
    record.ocppVersion ?? null, record.chargePointId ?? null, connectionId ?? null, record.meta.deliberate === true ? 1 : 0,
    keep ? frame.payload : null, verdict?.problem ?? 0, verdict?.datatypes ?? [],
  ];
}

/** The main thread side: the record and prejudgement a worker packed (see pack). */
export function unpack(text: string): PrejudgedRecord {
  const [timestamp, direction, messageType, messageId, action, ocppVersion, chargePointId, connectionId, deliberate, payload, problem, datatypes] = JSON.parse(text) as PackedRecord;
  const record: TraceRecord = { schemaVersion: '1.1', timestamp: timestamp as string, transport: 'json', direction: direction === 0 ? 'cp-to-csms' : 'csms-to-cp', messageType, messageId, meta: { monotonicMs: 0 } };
  if (timestamp === null) delete (record as { timestamp?: string }).timestamp;
  if (ocppVersion !== null) record.ocppVersion = ocppVersion;
  if (chargePointId !== null) record.chargePointId = chargePointId;
  if (connectionId !== null) record.meta.connectionId = connectionId;
  if (deliberate === 1) record.meta.deliberate = true;
  const kept = payload === null ? undefined : (payload as Payload);
  if (kept !== undefined) record.payload = kept;
  const frame: Frame = messageType === 'CALLRESULT' ? { type: MessageType.CallResult, messageId, payload: kept! }
    : { type: messageType === 'CALL' ? MessageType.Call : MessageType.Send, messageId, action: action!, payload: kept! };
  const prejudged: Prejudgement = { canonical: { ok: true, frame } };
  if (action !== null) prejudged.verdict = { action, kind: messageType === 'CALLRESULT' ? 'response' : 'request', messageId, problem: problem === 0 ? undefined : problem, datatypes };
  return { record, prejudged };
}

/** What the main thread sends a worker: the lines of a batch (null for one over the length limit, judged by its size). */
export interface BatchRequest {
  texts: Array<string | null>;
}

/** Where the workers find their module: the built JavaScript, also when the tests run the TypeScript sources. */
function workerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new URL('./trace-worker.js', import.meta.url);
  return pathToFileURL(here.replace(/\/src\/inspect\/trace-workers\.ts$/, '/dist/src/inspect/trace-worker.js'));
}

/**
 * A few worker threads that read and prejudge batches of lines. Batches go round the workers in
 * turn and each worker answers in order, so the answers come back in the order of the lines.
 */
export class PrejudgePool {
  private readonly workers: Array<{ worker: Worker; waiting: Array<{ resolve: (readings: WorkerReading[]) => void; reject: (error: Error) => void }> }>;
  private next = 0;
  private closed = false;

  constructor(count: number, version: OcppVersion | undefined) {
    this.workers = Array.from({ length: count }, () => {
      const entry = { worker: new Worker(workerUrl(), { workerData: { version } }), waiting: [] as Array<{ resolve: (readings: WorkerReading[]) => void; reject: (error: Error) => void }> };
      entry.worker.on('message', (readings: WorkerReading[]) => entry.waiting.shift()?.resolve(readings));
      const fail = (error: Error) => {
        for (const waiting of entry.waiting.splice(0)) waiting.reject(error);
      };
      entry.worker.on('error', fail);
      entry.worker.on('exit', (code) => {
        if (!this.closed) fail(new Error(`a trace worker thread exited with code ${code}`));
      });
      return entry;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** The readings of a batch's lines, in order. */
  prejudge(request: BatchRequest): Promise<WorkerReading[]> {
    const entry = this.workers[this.next]!;
    this.next = (this.next + 1) % this.workers.length;
    return new Promise((resolve, reject) => {
      entry.waiting.push({ resolve, reject });
      entry.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}
