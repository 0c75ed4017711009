import { messageTypeOfName, parseFrameValue, type OcppVersion, type ParseResult } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import { isBase64Raw } from './trace-reader.js';

/**
 * The longest raw frame checked this way: its serialization is a second copy of it in memory, which
 * for a frame of many MiB costs more than the time it saves (parsing it holds no such copy).
 */
const MAX_CANONICAL_CHARS = 1024 * 1024;

/**
 * The frame of a record judged from its own decomposed fields, when its `raw` is exactly their
 * JSON serialization (as the harness's trace writer and most producers write it). Then `raw`
 * parses to these very values, so parsing it again would find nothing new: the fields cannot
 * disagree with it, and each number in it is written as `String(value)`, so the Part 2 §2.1.4
 * literal rules need not read the text either. Undefined when `raw` is written any other way
 * (spaces, `5.0`, another key order) or the fields do not make a whole frame: the caller parses
 * `raw` then. Serializing costs a fraction of parsing, which made `trace` slow (issue 14).
 */
export function frameOfCanonicalRaw(record: TraceRecord, version: OcppVersion): ParseResult | undefined {
  if (typeof record.raw !== 'string' || record.raw.length > MAX_CANONICAL_CHARS || isBase64Raw(record)) return undefined;
  const value = frameArrayOf(record);
  if (!value) return undefined;
  const parsed = parseFrameValue(value, version);
  // Judged for its nesting first: JSON.stringify recurses with it, so a payload past the limit is left to parseFrame.
  if (!parsed.ok && parsed.problem.findingCode === 'nesting-too-deep') return undefined;
  return JSON.stringify(value) === record.raw ? parsed : undefined;
}

// The OCPP-J array the decomposed fields describe, when they describe a whole one.
function frameArrayOf(record: TraceRecord): unknown[] | undefined {
  const type = messageTypeOfName(record.messageType);
  const { messageId, action, payload, error } = record;
  if (type === undefined || messageId === undefined) return undefined;
  switch (record.messageType) {
    case 'CALL':
    case 'SEND':
      return action !== undefined && payload !== undefined ? [type, messageId, action, payload] : undefined;
    case 'CALLRESULT':
      return payload !== undefined ? [type, messageId, payload] : undefined;
    default:
      // A payload on an error record is a field the frame does not have: rawMismatches names it.
      return payload === undefined && error?.code !== undefined && error.description !== undefined && error.details !== undefined ? [type, messageId, error.code, error.description, error.details] : undefined;
  }
}
