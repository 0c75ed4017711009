import { MAX_PAYLOAD_DEPTH, isNestedDeeperThan, type Direction, type OcppVersion } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import { decomposeRaw, describeValue, preview, type TraceLine } from './trace-reader.js';

/**
 * Which side sent a frame, by the markers frame logs use. `>` points from the station to the
 * CSMS (as in `cs->csms`), `<` from the CSMS to the station. See docs/trace-format.md.
 */
const MARKERS: Readonly<Record<string, Direction>> = {
  '>': 'cp-to-csms', 'cs->csms': 'cp-to-csms', 'cp->csms': 'cp-to-csms', 'cp-to-csms': 'cp-to-csms',
  '<': 'csms-to-cp', 'csms->cs': 'csms-to-cp', 'csms->cp': 'csms-to-cp', 'csms-to-cp': 'csms-to-cp',
};

// An ISO 8601 date-time; a space may stand for the T, a comma for the decimal point, and a
// time without a zone is UTC.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/i;
const TEXT_LINE = /^(?:(\d{4}-\d{2}-\d{2}[T ]\S+)\s+)?(\S+)\s+(\S.*)$/;

type Entry = { timestamp?: string; direction: Direction; raw: string } | { unreadable: string };

/**
 * Reads a frame log into trace records: one OCPP-J frame per line, `[timestamp] marker frame`,
 * or a JSON object `{"t": ..., "dir": ..., "frame": ...}` per line. Blank lines and lines that
 * start with `#` are skipped but keep the line numbering. A frame without a time takes the time
 * of the frame before it, so answer times stay comparable. A frame log does not say its OCPP
 * version, so the caller's is put on every record.
 */
export function readFrameLog(text: string, version?: OcppVersion): TraceLine[] {
  const lines: TraceLine[] = [];
  const read = frameLogLineReader(version);
  text.split('\n').forEach((content, position) => {
    const line = read(content, position + 1, lines.length);
    if (line) lines.push(line);
  });
  return lines;
}

/**
 * Reads a frame log one line at a time (see readFrameLog), remembering the last time seen.
 * Returns undefined for a blank or comment line; `index` is the number of records so far.
 */
export function frameLogLineReader(version?: OcppVersion): (content: string, line: number, index: number) => TraceLine | undefined {
  let lastTimestamp: string | undefined;
  return (content, line, index) => {
    const trimmed = content.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#')) return undefined;
    const entry = trimmed.startsWith('{') ? readJsonEntry(trimmed) : readTextEntry(trimmed);
    if ('unreadable' in entry) return { index, line, ...entry };
    lastTimestamp = entry.timestamp ?? lastTimestamp;
    return { index, line, record: recordOf({ ...entry, ...(lastTimestamp ? { timestamp: lastTimestamp } : {}) }, version) };
  };
}

function readTextEntry(content: string): Entry {
  const match = TEXT_LINE.exec(content);
  if (!match) return { unreadable: `not a frame log line ([timestamp] marker frame): ${preview(content)}` };
  const [, stamp, marker, raw] = match as unknown as [string, string | undefined, string, string];
  const direction = MARKERS[marker.toLowerCase()];
  if (!direction) return { unreadable: `no direction marker (>, <, cs->csms or csms->cs) where one is expected: ${preview(content)}` };
  if (stamp === undefined) return { direction, raw };
  const timestamp = isoTimestamp(stamp);
  return timestamp ? { timestamp, direction, raw } : { unreadable: `timestamp ${JSON.stringify(stamp)} is not an ISO 8601 date-time` };
}

function readJsonEntry(content: string): Entry {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { unreadable: `line is not JSON: ${preview(content)}` };
  }
  const { t, dir, frame } = (value ?? {}) as { t?: unknown; dir?: unknown; frame?: unknown };
  const direction = typeof dir === 'string' ? MARKERS[dir.toLowerCase()] : undefined;
  if (!direction) return { unreadable: `"dir" must be one of ${Object.keys(MARKERS).join(', ')}, is ${describeValue(dir)}` };
  if (frame === undefined) return { unreadable: 'no "frame": the frame as text, or as a JSON array' };
  // A string is the frame as it crossed the wire; anything else is the parsed frame, written back
  // (which recurses with its nesting: a frame past the payload depth limit is not written back).
  if (isNestedDeeperThan(frame, MAX_PAYLOAD_DEPTH + 1)) return { unreadable: `"frame" holds a payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels` };
  const raw = typeof frame === 'string' ? frame : JSON.stringify(frame);
  if (t === undefined) return { direction, raw };
  const timestamp = typeof t === 'number' && Math.abs(t) <= MAX_EPOCH_MS ? new Date(t).toISOString() : typeof t === 'string' ? isoTimestamp(t) : undefined;
  return timestamp ? { timestamp, direction, raw } : { unreadable: `"t" must be an ISO 8601 date-time or milliseconds since 1970, is ${describeValue(t)}` };
}

/** The largest time a Date holds, in ms either side of 1970 (ECMA-262 §21.4.1.22); beyond it toISOString throws. */
const MAX_EPOCH_MS = 8.64e15;

function isoTimestamp(text: string): string | undefined {
  if (!TIMESTAMP.test(text)) return undefined;
  const normalized = text.replace(' ', 'T').replace(',', '.');
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(normalized) ? normalized : `${normalized}Z`;
  return Number.isNaN(Date.parse(zoned)) ? undefined : zoned;
}

function recordOf(entry: { timestamp?: string; direction: Direction; raw: string }, version: OcppVersion | undefined): TraceRecord {
  return {
    schemaVersion: '1.1', timestamp: entry.timestamp ?? '', ...(version ? { ocppVersion: version } : {}), transport: 'json',
    direction: entry.direction, ...decomposeRaw(entry.raw), raw: entry.raw, meta: { monotonicMs: 0 },
  };
}
