import { closeSync, openSync, readSync } from 'node:fs';

/** One line of a file as read: its text, or, past the length limit, its size, first bytes and offset in the file. */
export type FileLine =
  | { line: number; text: string }
  | { line: number; overlong: { bytes: number; start: string; at: number } };

/** The longest line the trace reader holds by default: a record of a frame of up to ~16 MiB, escaped. */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

// What is kept of a line too long to read, to show where it starts.
const START_BYTES = 256;
const NEWLINE = 0x0a;
// Read chunks stay below glibc's mmap threshold: 1 MiB chunks raised it and left the freed chunks
// scattered over the malloc arenas, about 20 MB more peak RSS for the same work.
const CHUNK_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);
// The event loop turns once per this many chunks read (1 MiB): a signal or a drained stdout is seen.
const CHUNKS_PER_TURN = 16;

/**
 * Reads a file line by line in bounded memory: chunks are split at `\n` (a byte that never occurs
 * inside a UTF-8 sequence), a line is held once, and a line longer than `maxLineBytes` is skipped
 * up to its end and reported by its size and first bytes, never held whole. Line numbers are
 * 1-based and count every line, blank ones too.
 */
export async function* readFileLines(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<FileLine> {
  for await (const batch of readFileLineBatches(path, maxLineBytes)) yield* batch;
}

/**
 * A part of a file by byte offsets: the lines that start at `from` or later and before `to`. A
 * line begins at offset 0 or right after a `\n`, so the parts of consecutive ranges hold every
 * line of the file once, however the offsets fall (the trace's worker threads each read one).
 */
export interface ByteRange {
  from: number;
  to: number;
}

/**
 * As readFileLines, the lines that each read chunk completes at once: a trace has millions of
 * lines, and a promise per line cost `trace` more than reading them (issue 14). With a `range`,
 * only the lines that start in it, numbered from 1 there.
 */
export async function* readFileLineBatches(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES, range?: ByteRange): AsyncGenerator<FileLine[]> {
  const to = range?.to ?? Infinity;
  // Where the next line starts, as a file offset; before the range's first line, a line of the range before is skipped.
  let lineStart = range?.from ?? 0;
  let skipping = lineStart > 0;
  let parts: Buffer[] = [];
  let held = 0;
  let overlong: { bytes: number; start: string; at?: number } | undefined;
  let line = 0;
  const finish = (tail: Buffer): FileLine => {
    line++;
    if (overlong) {
      const done = { line, overlong: { ...overlong, bytes: overlong.bytes + tail.length, at: lineStart } };
      overlong = undefined;
      return done;
    }
    const text = parts.length === 0 ? tail.toString('utf8') : Buffer.concat([...parts, tail]).toString('utf8');
    parts = [];
    held = 0;
    return { line, text };
  };
  // `piece` may be a view of the chunk: it is copied only when it is held, so a skipped line costs nothing.
  const keep = (piece: Buffer): void => {
    if (overlong) {
      overlong.bytes += piece.length;
      return;
    }
    if (held + piece.length <= maxLineBytes) {
      parts.push(Buffer.from(piece));
      held += piece.length;
      return;
    }
    const start = startOf([...parts, piece]);
    overlong = { bytes: held + piece.length, start };
    parts = [];
    held = 0;
  };
  // A range that starts inside a line leaves that line to the range before: read from the byte
  // before it, which is the `\n` ending that line when a line starts right at `from`.
  let offset = skipping ? lineStart - 1 : lineStart;
  for await (const chunk of fileChunks(path, offset)) {
    const batch: FileLine[] = [];
    let from = 0;
    if (skipping) {
      const end = chunk.indexOf(NEWLINE);
      if (end < 0) {
        offset += chunk.length;
        continue;
      }
      skipping = false;
      from = end + 1;
      lineStart = offset + from;
    }
    if (lineStart >= to) return;
    for (let end = chunk.indexOf(NEWLINE, from); end >= 0; end = chunk.indexOf(NEWLINE, from)) {
      const piece = chunk.subarray(from, end);
      if (!overlong && held + piece.length > maxLineBytes) {
        keep(piece);
        batch.push(finish(EMPTY));
      } else {
        batch.push(finish(piece));
      }
      from = end + 1;
      lineStart = offset + from;
      if (lineStart >= to) break;
    }
    if (lineStart >= to) {
      if (batch.length > 0) yield batch;
      return;
    }
    if (from < chunk.length) keep(chunk.subarray(from));
    offset += chunk.length;
    if (batch.length > 0) yield batch;
  }
  if (!skipping && (held > 0 || overlong)) yield [finish(EMPTY)];
}

/**
 * Hands each line of a file, or of a range of it, to `visit` in order, waiting whenever `visit`
 * returns a promise (a promise per line cost more than the line, issue 14). Lines are numbered
 * from `firstLine`. Resolves with the number of lines.
 */
export async function forEachFileLine(path: string, maxLineBytes: number, visit: (line: FileLine) => Promise<void> | undefined, range?: ByteRange, firstLine = 1): Promise<number> {
  let lines = 0;
  for await (const fileLines of readFileLineBatches(path, maxLineBytes, range)) {
    for (const fileLine of fileLines) {
      fileLine.line += firstLine - 1;
      lines++;
      const held = visit(fileLine);
      if (held) await held;
    }
  }
  return lines;
}

/**
 * The file from byte `from` in chunks of CHUNK_BYTES, read into one buffer again and again: each line of a chunk is
 * decoded or copied before the next read. Read with readSync, not a read stream, whose machinery
 * cost five times the reads themselves (about 0.1 s of CPU per 50 MiB, issue 14).
 */
async function* fileChunks(path: string, from = 0): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    for (let count = 1, position = from; ; count++) {
      const size = readSync(fd, buffer, 0, CHUNK_BYTES, position);
      position += size;
      if (size === 0) return;
      yield size < CHUNK_BYTES ? buffer.subarray(0, size) : buffer;
      if (count % CHUNKS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(fd);
  }
}

// The first START_BYTES of a line held in pieces, without joining them all.
function startOf(pieces: readonly Buffer[]): string {
  const taken: Buffer[] = [];
  let size = 0;
  for (const piece of pieces) {
    if (size >= START_BYTES) break;
    taken.push(piece.subarray(0, START_BYTES - size));
    size += taken[taken.length - 1]!.length;
  }
  return Buffer.concat(taken).toString('utf8');
}

/** The text of the line of `bytes` bytes at offset `at` of a file (one the reader skipped as overlong). */
export function readLineAt(path: string, at: number, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(bytes);
    const size = readSync(fd, buffer, 0, bytes, at);
    return buffer.toString('utf8', 0, size);
  } finally {
    closeSync(fd);
  }
}
