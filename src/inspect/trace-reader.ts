import {
  MAX_PAYLOAD_DEPTH, isNestedDeeperThan, isOcppVersion, messageTypeOfName, nameOfMessageType, type Direction, type Frame, type MessageType, type OcppVersion,
} from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import type { Prejudgement } from './prejudgement.js';

/**
 * One line of a trace file, read as a record or as the reason it could not be. A record read by a
 * worker thread comes with its Prejudgement, and without the fields it made needless (see trace-workers.ts).
 */
export type TraceLine =
  | { index: number; line: number; record: TraceRecord; prejudged?: Prejudgement }
  | { index: number; line: number; unreadable: string };

const DIRECTIONS: readonly Direction[] = ['cp-to-csms', 'csms-to-cp'];
const OUR_KINDS = new Set(['INVALID', 'EVENT']);

/** Splits JSONL text into records; blank lines are skipped but keep the line numbering. */
export function readTraceLines(text: string): TraceLine[] {
  const lines: TraceLine[] = [];
  let index = 0;
  text.split('\n').forEach((content, position) => {
    if (content.trim().length === 0) return;
    lines.push(readTraceLine(content, position + 1, index++));
  });
  return lines;
}

/** Reads one non-blank JSONL line as an open-ocpp-trace record, or says why it is not one. */
export function readTraceRecord(content: string): { record: TraceRecord } | { unreadable: string } {
  const read = recordOrReason(content);
  return typeof read === 'string' ? { unreadable: read } : { record: read };
}

/** As readTraceRecord, the trace line at once (no object in between: this runs for every line of a trace). */
export function readTraceLine(content: string, line: number, index: number): TraceLine {
  const read = recordOrReason(content);
  return typeof read === 'string' ? { index, line, unreadable: read } : { index, line, record: read };
}

// The record a line holds, or the reason it holds none.
function recordOrReason(content: string): TraceRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return `line is not JSON: ${preview(content)}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `line is not a JSON object: ${preview(content)}`;
  const record = value as Partial<TraceRecord>;
  if (!DIRECTIONS.includes(record.direction as Direction)) return `direction must be "cp-to-csms" or "csms-to-cp", is ${JSON.stringify(record.direction)}`;
  // open-ocpp-trace lets a producer keep only `raw`, and ocpp-harness keeps a frame's payload and
  // error only there (issue 14): the fields a record lacks are read from its frame.
  if (typeof record.raw === 'string' && lacksDecomposition(record)) Object.assign(record, { ...decomposeRaw(record.raw), ...record });
  const type = record.messageType;
  if (typeof type !== 'string' || (messageTypeOfName(type) === undefined && !OUR_KINDS.has(type))) return `messageType ${describeValue(type)} is not an OCPP-J message type`;
  if (record.meta !== undefined && (typeof record.meta !== 'object' || record.meta === null)) return 'meta must be an object';
  const mistyped = mistypedField(record);
  if (mistyped) return mistyped;
  // The parsed object is the record (no copy: this runs for every line of a trace).
  record.meta ??= { monotonicMs: 0 };
  return record as TraceRecord;
}

// A record without a type, or a frame record with neither payload nor error, is read from `raw`.
function lacksDecomposition(record: Partial<TraceRecord>): boolean {
  if (record.messageType === undefined) return true;
  return !OUR_KINDS.has(record.messageType) && record.payload === undefined && record.error === undefined;
}

// open-ocpp-trace v1.1's field types; a record that breaks them is unreadable, not a crash further on.
const STRING_FIELDS = ['timestamp', 'ocppVersion', 'chargePointId', 'messageId', 'action', 'raw'] as const;

function mistypedField(record: Partial<TraceRecord>): string | undefined {
  for (const field of STRING_FIELDS) {
    if (record[field] !== undefined && typeof record[field] !== 'string') return `${field} must be a string, is ${describeValue(record[field])}`;
  }
  const error = record.error as unknown;
  if (error === undefined) return undefined;
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return 'error must be an object of code, description and details';
  const { code, description } = error as Record<string, unknown>;
  if ((code !== undefined && typeof code !== 'string') || (description !== undefined && typeof description !== 'string')) return 'error.code and error.description must be strings';
  return undefined;
}

/** Names a value without writing it out (it may be nested deeper than JSON.stringify recurses): "an array", "an object", or its text. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return typeof value === 'string' ? preview(value) : String(value);
}

/** The fields of a record that its raw frame determines. */
export type DecomposedFields = Pick<TraceRecord, 'messageType' | 'messageId' | 'action' | 'payload' | 'error'>;

/**
 * Reads the decomposed fields out of a raw frame, whatever the version (the inspector judges the
 * frame itself later, per version): `INVALID` when the text is not an OCPP-J frame at all.
 */
export function decomposeRaw(raw: string): DecomposedFields {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { messageType: 'INVALID' };
  }
  if (!Array.isArray(value)) return { messageType: 'INVALID' };
  const [type, messageId, ...rest] = value as unknown[];
  const id = typeof messageId === 'string' ? { messageId } : {};
  if (typeof type !== 'number' || type < 2 || type > 6 || !Number.isInteger(type)) return { messageType: 'INVALID', ...id };
  const messageType = nameOfMessageType(type as MessageType);
  switch (messageType) {
    case 'CALL':
    case 'SEND':
      return { messageType, ...id, ...(typeof rest[0] === 'string' ? { action: rest[0] } : {}), ...(rest.length > 1 ? { payload: rest[1] } : {}) };
    case 'CALLRESULT':
      return { messageType, ...id, ...(rest.length > 0 ? { payload: rest[0] } : {}) };
    default:
      return { messageType, ...id, error: { code: String(rest[0]), description: String(rest[1] ?? ''), details: rest[2] ?? {} } };
  }
}

/** The decomposed fields of a frame already parsed from a record's raw text (saves parsing it again). */
export function decomposedOf(frame: Frame): DecomposedFields {
  const messageType = nameOfMessageType(frame.type);
  if ('errorCode' in frame) return { messageType, messageId: frame.messageId, error: { code: frame.errorCode, description: frame.errorDescription, details: frame.errorDetails } };
  return { messageType, messageId: frame.messageId, ...('action' in frame ? { action: frame.action } : {}), payload: frame.payload };
}

/**
 * Where a record's decomposed fields disagree with its raw frame (open-ocpp-trace: `raw` is the
 * frame as sent, the other fields are read from it). Only fields the record holds are compared;
 * `action` on a response comes from correlation, so it is compared on CALL and SEND only.
 */
export function rawMismatches(record: TraceRecord, parsedRaw?: DecomposedFields): string[] {
  if (typeof record.raw !== 'string' || record.messageType === 'INVALID' || record.messageType === 'EVENT' || isBase64Raw(record)) return [];
  const fromRaw = parsedRaw ?? decomposeRaw(record.raw);
  if (fromRaw.messageType !== record.messageType) return [`messageType ${record.messageType} vs raw ${fromRaw.messageType === 'INVALID' ? 'not an OCPP-J frame' : fromRaw.messageType}`];
  const mismatches: string[] = [];
  if (record.messageId !== undefined && record.messageId !== fromRaw.messageId) mismatches.push(`messageId ${JSON.stringify(record.messageId)} vs raw ${JSON.stringify(fromRaw.messageId)}`);
  if (fromRaw.action !== undefined && record.action !== undefined && record.action !== fromRaw.action) mismatches.push(`action ${record.action} vs raw ${fromRaw.action}`);
  if (record.payload !== undefined && !sameJson(record.payload, fromRaw.payload)) mismatches.push('payload differs from raw');
  if (record.error !== undefined && fromRaw.error !== undefined) {
    for (const field of ['code', 'description', 'details'] as const) {
      if (record.error[field] !== undefined && !sameJson(record.error[field], fromRaw.error[field])) mismatches.push(`error.${field} differs from raw`);
    }
  }
  return mismatches;
}

/**
 * Equality of two parsed JSON values (objects, arrays, strings, numbers, booleans, null), key
 * order aside. It recurses at most MAX_PAYLOAD_DEPTH levels: values that both go deeper are taken
 * as equal there (nesting-too-deep names them), never walked further.
 */
function sameJson(a: unknown, b: unknown, levels = MAX_PAYLOAD_DEPTH): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => sameJson(item, other[index], levels - 1));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key], levels - 1)) return false;
    count++;
  }
  return count === Object.keys(right).length;
}

/**
 * True when a record's `raw` holds the frame's bytes in base64 (`meta.rawEncoding: 'base64'`): a
 * text frame that was not valid UTF-8 (RFC 6455 §8.1), kept byte for byte.
 */
export function isBase64Raw(record: TraceRecord): boolean {
  return record.meta?.['rawEncoding'] === 'base64';
}

/** True when a record's decomposed payload or error details nest past MAX_PAYLOAD_DEPTH. */
export function hasTooDeepFields(record: TraceRecord): boolean {
  return isNestedDeeperThan(record.payload, MAX_PAYLOAD_DEPTH) || isNestedDeeperThan(record.error?.details, MAX_PAYLOAD_DEPTH);
}

/** The OCPP version of a record: the flag wins, else the record's own `ocppVersion`. */
export function versionOfRecord(record: TraceRecord, flag: OcppVersion | undefined): OcppVersion | undefined {
  if (flag) return flag;
  const declared = record.ocppVersion?.replace(/^ocpp/, '');
  return isOcppVersion(declared) ? declared : undefined;
}

/** The frame text of a record: `raw` when present, else rebuilt from the decomposed fields. */
export function frameTextOf(record: TraceRecord): string {
  if (typeof record.raw === 'string') return record.raw;
  const type = messageTypeOfName(record.messageType);
  switch (record.messageType) {
    case 'CALL':
    case 'SEND':
      return JSON.stringify([type, record.messageId, record.action, record.payload ?? {}]);
    case 'CALLRESULT':
      return JSON.stringify([type, record.messageId, record.payload ?? {}]);
    default:
      return JSON.stringify([type, record.messageId, record.error?.code, record.error?.description ?? '', record.error?.details ?? {}]);
  }
}

/** A short, printable excerpt of a bad line. */
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 57)}...` : flat);
}
