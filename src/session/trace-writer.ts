import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TraceRecord, TraceSink } from './trace-record.js';

/**
 * Appends records to a JSONL file. Each record is handed to the operating system before
 * `write` returns, so a crash or Ctrl-C loses no frame already received.
 */
export class JsonlTraceWriter implements TraceSink {
  private fd: number | undefined;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  write(record: TraceRecord): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  /** Closes the file; later records are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
