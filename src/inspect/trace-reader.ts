import { isOcppVersion, messageTypeOfName, type Direction, type OcppVersion } from '../protocol/index.js';
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
  const type = String(record.messageType);
  if (messageTypeOfName(type) === undefined && !OUR_KINDS.has(type)) return { unreadable: `messageType ${JSON.stringify(record.messageType)} is not an OCPP-J message type` };
  if (record.meta !== undefined && (typeof record.meta !== 'object' || record.meta === null)) return { unreadable: 'meta must be an object' };
  return { record: { ...record, meta: record.meta ?? { monotonicMs: 0 } } as TraceRecord };
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
