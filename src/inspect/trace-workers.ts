import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OcppVersion } from '../protocol/index.js';
import { restoreTraceHeapSettings } from './heap-settings.js';
import { RangeSchedule } from './range-schedule.js';
import { forEachFileLine, type ByteRange, type FileLine } from './line-stream.js';
import { unpackRange, type PrejudgedRecord, type RangeReading } from './trace-batch.js';

// Issue 14, trace speed: the costly part of judging a record (reading its line, JSON.parse, the
// canonical-raw proof, schema and datatype checks) needs nothing but the record, so worker
// threads do it, each reading byte ranges of the file itself, while the main thread keeps the
// order and the conversations' state. The main thread touches no line text of a packed record
// (trace-batch.ts): it would cost it as much as the workers save.

/** A file smaller than this is judged in the main thread: a worker's start costs more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * How many bytes of the file one request to a worker covers (about 1,900 records of the harness's
 * traces): the readings of a range live in the main thread until they are applied, so a small
 * range keeps few of them alive at once, and a large one costs fewer messages.
 */
export const RANGE_BYTES = 1024 * 1024;

/**
 * How many ranges may be with the workers at once, per worker: enough to keep each busy while the
 * main thread reads a range of its own, few enough to bound memory.
 */
const RANGES_IN_FLIGHT_PER_WORKER = 4;

/** How many ranges the main thread may hold besides those with the workers: its own, taken in turn. */
const MAIN_RANGES_TAKEN = 2;

/**
 * A worker's young generation, in MB. Each range's records are garbage once packed: a young
 * generation of V8's default size (up to 3 × 16 MB) is tens of MB of RSS the worker does not need,
 * and a small one kept `trace` as fast (docs/performance.md).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * How many worker threads `trace` starts for a file: `requested`, or by default one when the
 * machine has a second CPU for it (the main thread keeps the first busy); none for a small file
 * or one that cannot be read (the main thread names the error).
 */
export function workerCountFor(path: string, requested?: number): number {
  let bytes: number;
  try {
    bytes = statSync(path).size;
  } catch {
    return 0;
  }
  if (bytes < PARALLEL_MIN_BYTES) return 0;
  return requested ?? (availableParallelism() >= 2 ? 1 : 0);
}

/** Where the workers find their module: the built JavaScript, also when the tests run the TypeScript sources. */
function workerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new URL('./trace-worker.js', import.meta.url);
  return pathToFileURL(here.replace(/\/src\/inspect\/trace-workers\.ts$/, '/dist/src/inspect/trace-worker.js'));
}

/** What a worker is told when it starts: the file, its version flag and line limit. */
export interface WorkerSettings {
  path: string;
  version: OcppVersion | undefined;
  maxLineBytes: number;
  /** The size of a range (default RANGE_BYTES; the tests take small ones, to cross many range boundaries). */
  rangeBytes?: number;
}

type Waiting = { resolve: (reading: RangeReading) => void; reject: (error: Error) => void };

/**
 * A few worker threads that each read and prejudge ranges of one file. Ranges go round the
 * workers in turn and each worker answers in order, so the readings come back in the file's order.
 */
export class PrejudgePool {
  private readonly workers: Array<{ worker: Worker; waiting: Waiting[] }>;
  private next = 0;
  private closed = false;

  constructor(count: number, settings: WorkerSettings) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(workerUrl(), { workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      const entry = { worker, waiting: [] as Waiting[] };
      worker.on('message', (reading: RangeReading) => entry.waiting.shift()?.resolve(reading));
      worker.once('online', restoreTraceHeapSettings);
      const fail = (error: Error) => {
        for (const waiting of entry.waiting.splice(0)) waiting.reject(error);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!this.closed) fail(new Error(`a trace worker thread exited with code ${code}`));
      });
      return entry;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** The reading of the lines that start in a range of the file. */
  read(range: ByteRange): Promise<RangeReading> {
    const entry = this.workers[this.next]!;
    this.next = (this.next + 1) % this.workers.length;
    return new Promise((resolve, reject) => {
      entry.waiting.push({ resolve, reject });
      entry.worker.postMessage(range);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

/**
 * The lines of a file through `count` workers and the main thread, each handed to `apply` in the
 * file's order, with what a worker read of it when a worker did. The main thread shares the
 * stateless work: it reads some ranges itself, as RangeSchedule decides. The file's size is
 * taken once: the last range reaches to its end, wherever that is by then.
 */
export async function forEachPrejudgedLine(count: number, settings: WorkerSettings, apply: (fileLine: FileLine, prejudged?: PrejudgedRecord) => Promise<void> | undefined): Promise<void> {
  const pool = new PrejudgePool(count, settings);
  const size = statSync(settings.path).size;
  const capacity = RANGES_IN_FLIGHT_PER_WORKER * pool.size;
  const rangeBytes = settings.rangeBytes ?? RANGE_BYTES;
  const schedule = new RangeSchedule(capacity);
  // The ranges taken, in the file's order: a reading to come from a worker, or a range the main thread reads.
  const queue: Array<{ reading: Promise<RangeReading>; arrived: boolean } | ByteRange> = [];
  let from = 0;
  const take = () => {
    const range = { from, to: from + rangeBytes >= size ? Infinity : from + rangeBytes };
    from = range.to;
    if (!schedule.nextToWorkers()) {
      queue.push(range);
      return;
    }
    const slot = { reading: pool.read(range), arrived: false };
    const arrived = () => {
      slot.arrived = true;
      schedule.arrived();
    };
    slot.reading.then(arrived, () => undefined);
    queue.push(slot);
  };
  try {
    let firstLine = 1;
    for (;;) {
      while (queue.length < capacity + MAIN_RANGES_TAKEN && from < Infinity) take();
      const next = queue.shift();
      if (next === undefined) break;
      if ('reading' in next) {
        if (!next.arrived) schedule.waited();
        firstLine += await unpackRange(settings.path, await next.reading, firstLine, apply);
      } else {
        // A range of the main thread's own, read as a file is without workers.
        firstLine += await forEachFileLine(settings.path, settings.maxLineBytes, apply, next, firstLine);
      }
    }
  } finally {
    // Readings still pending when the reading failed are not waited for.
    for (const slot of queue) if ('reading' in slot) slot.reading.catch(() => undefined);
    await pool.close();
  }
}
