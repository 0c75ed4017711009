import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TraceRecord, TraceSink } from './trace-record.js';

/**
 * Appends records to a JSONL file. Records are formatted at once and reach the operating system
 * within `flushIntervalMs`, in one system call for all records of that interval (system calls,
 * not formatting, dominate the cost of tracing), and at once on close, on exit, on an uncaught
 * exception and on SIGINT, SIGTERM or SIGHUP: a crash or Ctrl-C loses no frame already received.
 * Only a SIGKILL (or a power cut) can cost the last interval.
 */
export class JsonlTraceWriter implements TraceSink {
  private fd: number | undefined;
  private pending = '';
  private flushScheduled = false;
  private readonly flushIntervalMs: number;

  /** `flushIntervalMs`: how long records may wait to be written (default 1; 0 writes each at once). */
  constructor(readonly path: string, options: { flushIntervalMs?: number } = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    watchProcessExit(this);
  }

  write(record: TraceRecord): void {
    if (this.fd === undefined) return;
    this.pending += formatTraceLine(record);
    if (this.flushIntervalMs === 0 || this.pending.length >= FLUSH_AT_CHARS) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setTimeout(() => this.flush(), this.flushIntervalMs).unref();
    }
  }

  /** Writes every record received so far. */
  flush(): void {
    this.flushScheduled = false;
    if (this.fd === undefined || this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    writeSync(this.fd, text);
  }

  /** Writes what is pending and closes the file; later records are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
    openWriters.delete(this);
  }
}

const FLUSH_INTERVAL_MS = 1;
const FLUSH_AT_CHARS = 64 * 1024;
const openWriters = new Set<JsonlTraceWriter>();
let exitWatched = false;

function flushAll(): void {
  for (const writer of openWriters) writer.flush();
}

// A signal listener stops Node's default exit on that signal, so after flushing we re-raise the
// signal when nobody else listens: the process still ends as the user asked.
function onSignal(signal: NodeJS.Signals): void {
  flushAll();
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function watchProcessExit(writer: JsonlTraceWriter): void {
  openWriters.add(writer);
  if (exitWatched) return;
  exitWatched = true;
  process.on('exit', flushAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

const quote = JSON.stringify;

// Values that recur on every record, quoted once.
const quoted = new Map<string, string>();
function quoteCached(text: string): string {
  let result = quoted.get(text);
  if (result === undefined) {
    result = quote(text);
    if (quoted.size < 1024) quoted.set(text, result);
  }
  return result;
}

/**
 * Issue 14: a frame is stored once. A record that holds `raw` is written without `payload` and
 * `error`, which are its decomposition: readers take them from `raw` (docs/trace-format.md), so
 * the frame stays exact to the byte and a 16 MiB frame costs 16 MiB of trace, not twice that.
 */
export function storedForm(record: TraceRecord): TraceRecord {
  if (record.raw === undefined || (record.payload === undefined && record.error === undefined)) return record;
  const { payload: _payload, error: _error, ...stored } = record;
  return stored;
}

/**
 * One record as a JSON line, fields in open-ocpp-trace order, in its stored form (storedForm).
 * Equivalent to JSON.stringify of storedForm(record) plus a newline (a test holds it to that),
 * but it writes the known fields directly and quotes recurring values once: the trace is on
 * every frame's path.
 */
export function formatTraceLine(record: TraceRecord): string {
  let line = `{"schemaVersion":${quoteCached(record.schemaVersion)},"timestamp":${quote(record.timestamp)}`;
  if (record.ocppVersion !== undefined) line += `,"ocppVersion":${quoteCached(record.ocppVersion)}`;
  line += `,"transport":${quoteCached(record.transport)}`;
  if (record.chargePointId !== undefined) line += `,"chargePointId":${quoteCached(record.chargePointId)}`;
  line += `,"direction":${quoteCached(record.direction)},"messageType":${quoteCached(record.messageType)}`;
  if (record.messageId !== undefined) line += `,"messageId":${quote(record.messageId)}`;
  if (record.action !== undefined) line += `,"action":${quoteCached(record.action)}`;
  if (record.raw !== undefined) line += `,"raw":${quote(record.raw)}`;
  else {
    if (record.payload !== undefined) line += `,"payload":${quote(record.payload)}`;
    if (record.error !== undefined) line += `,"error":${quote(record.error)}`;
  }
  return `${line},"meta":${formatMeta(record.meta)}}\n`;
}

// Formatting a fractional number is slow in V8; three fixed decimals from integers are not, and
// JSON.parse reads the text back to the same number.
function formatMilliseconds(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return Number.isFinite(ms) ? String(ms) : 'null';
  const micros = Math.round(ms * 1000);
  const fraction = micros % 1000;
  return fraction === 0 ? String(micros / 1000) : `${(micros - fraction) / 1000}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}

function formatMeta(meta: TraceRecord['meta']): string {
  let text = `{"monotonicMs":${formatMilliseconds(meta.monotonicMs)}`;
  for (const key in meta) {
    if (key === 'monotonicMs') continue;
    const value = meta[key];
    if (value === undefined) continue;
    text += `,${quoteCached(key)}:${typeof value === 'string' ? quoteCached(value) : quote(value)}`;
  }
  return `${text}}`;
}
