import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { readTraceLines, type TraceLine } from '../inspect/index.js';

/** The lines of a trace the report embeds: its first and last ones, and how many between were left out. */
export interface TraceExcerpt {
  head: TraceLine[];
  tail: TraceLine[];
  /** Lines between head and tail that are only in the file. */
  omitted: number;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Reads the first `head` and the last `tail` records of a JSONL trace in one pass, holding no
 * more than those lines (issue 14: a case flooded with 100,000 frames must not make a report of
 * 100,000 rows, nor a report writer that holds them all). Blank lines are skipped but keep the
 * numbering, as in readTraceLines.
 */
export function readTraceExcerpt(path: string, head: number, tail: number): TraceExcerpt {
  const excerpt: TraceExcerpt = { head: [], tail: [], omitted: 0 };
  const ring: Array<{ index: number; line: number; text: string }> = [];
  let index = 0;
  let lineNumber = 0;
  const take = (text: string) => {
    lineNumber++;
    if (text.trim().length === 0) return;
    if (index < head) excerpt.head.push(parsed(text, index, lineNumber));
    else {
      ring.push({ index, line: lineNumber, text });
      if (ring.length > tail) {
        ring.shift();
        excerpt.omitted++;
      }
    }
    index++;
  };
  eachLine(path, take);
  excerpt.tail = ring.map((entry) => parsed(entry.text, entry.index, entry.line));
  return excerpt;
}

function parsed(text: string, index: number, line: number): TraceLine {
  const read = readTraceLines(text)[0]!;
  return { ...read, index, line };
}

function eachLine(path: string, onLine: (text: string) => void): void {
  const fd = openSync(path, 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let rest = '';
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, read));
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    }
  } finally {
    closeSync(fd);
  }
  rest += decoder.end();
  if (rest.length > 0) onLine(rest);
}
