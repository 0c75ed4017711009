import { isDeepStrictEqual } from 'node:util';
import { isOcppVersion, messageTypeOfName, nameOfMessageType, type Direction, type MessageType, type OcppVersion } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';

/** One line of a trace file, read as a record or as the reason it could not be. */
export type TraceLine =
  | { index: number; line: number; record: TraceRecord }
  | { index: number; line: number; unreadable: string };

const DIRECTIONS: readonly Direction[] = ['cp-to-csms', 'csms-to-cp'];
const OUR_KINDS = new Set(['INVALID', 'EVENT']);

/** Splits JSONL text into records; blank lines are skipped but keep the line numbering. */
export function readTraceLines(text: string): TraceLine[] {
  const lines: TraceLine[] = [];
  let index = 0;
  text.split('\n').forEach((content, position) => {
    if (content.trim().length === 0) return;
    lines.push({ index: index++, line: position + 1, ...readRecord(content) });
  });
  return lines;
}

function readRecord(content: string): { record: TraceRecord } | { unreadable: string } {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { unreadable: `line is not JSON: ${preview(content)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { unreadable: `line is not a JSON object: ${preview(content)}` };
  const record = value as Partial<TraceRecord>;
  if (!DIRECTIONS.includes(record.direction as Direction)) return { unreadable: `direction must be "cp-to-csms" or "csms-to-cp", is ${JSON.stringify(record.direction)}` };
  // open-ocpp-trace lets a producer keep only `raw`: the decomposed fields are then read from it.
  if (record.messageType === undefined && typeof record.raw === 'string') Object.assign(record, { ...decomposeRaw(record.raw), ...record });
  const type = record.messageType;
  if (typeof type !== 'string' || (messageTypeOfName(type) === undefined && !OUR_KINDS.has(type))) return { unreadable: `messageType ${describeValue(type)} is not an OCPP-J message type` };
  if (record.meta !== undefined && (typeof record.meta !== 'object' || record.meta === null)) return { unreadable: 'meta must be an object' };
  const mistyped = mistypedField(record);
  if (mistyped) return { unreadable: mistyped };
  return { record: { ...record, meta: record.meta ?? { monotonicMs: 0 } } as TraceRecord };
}

// open-ocpp-trace v1.1's field types; a record that breaks them is unreadable, not a crash further on.
const STRING_FIELDS = ['timestamp', 'ocppVersion', 'chargePointId', 'messageId', 'action', 'raw'] as const;

function mistypedField(record: Partial<TraceRecord>): string | undefined {
  const field = STRING_FIELDS.find((name) => record[name] !== undefined && typeof record[name] !== 'string');
  if (field) return `${field} must be a string, is ${describeValue(record[field])}`;
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

/**
 * Where a record's decomposed fields disagree with its raw frame (open-ocpp-trace: `raw` is the
 * frame as sent, the other fields are read from it). Only fields the record holds are compared;
 * `action` on a response comes from correlation, so it is compared on CALL and SEND only.
 */
export function rawMismatches(record: TraceRecord): string[] {
  if (typeof record.raw !== 'string' || record.messageType === 'INVALID' || record.messageType === 'EVENT') return [];
  const fromRaw = decomposeRaw(record.raw);
  if (fromRaw.messageType !== record.messageType) return [`messageType ${record.messageType} vs raw ${fromRaw.messageType === 'INVALID' ? 'not an OCPP-J frame' : fromRaw.messageType}`];
  const mismatches: string[] = [];
  if (record.messageId !== undefined && record.messageId !== fromRaw.messageId) mismatches.push(`messageId ${JSON.stringify(record.messageId)} vs raw ${JSON.stringify(fromRaw.messageId)}`);
  if (fromRaw.action !== undefined && record.action !== undefined && record.action !== fromRaw.action) mismatches.push(`action ${record.action} vs raw ${fromRaw.action}`);
  if (record.payload !== undefined && !isDeepStrictEqual(record.payload, fromRaw.payload)) mismatches.push('payload differs from raw');
  if (record.error !== undefined && fromRaw.error !== undefined) {
    for (const field of ['code', 'description', 'details'] as const) {
      if (record.error[field] !== undefined && !isDeepStrictEqual(record.error[field], fromRaw.error[field])) mismatches.push(`error.${field} differs from raw`);
    }
  }
  return mismatches;
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
