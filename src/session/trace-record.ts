import type { Direction, Finding, Frame, OcppVersion, Payload } from '../protocol/index.js';
import { TRACE_EVENT_KINDS, type TraceEventKind } from '../domain/index.js';
import type { CloseInfo, HandshakeInfo } from '../transport/index.js';
import { withoutPassword } from './secret-values.js';

/** The open-ocpp-trace schema version our records follow. */
export const TRACE_SCHEMA_VERSION = '1.1';

/**
 * Record kinds. The first three are open-ocpp-trace v1.1's; the rest are our extensions, so a
 * consumer that knows only v1.1 can keep the three standard kinds and drop the others:
 * CALLRESULTERROR and SEND are OCPP 2.1 frames, INVALID is a frame that is not a valid OCPP-J
 * message (its text is in `raw`), EVENT is not a frame (WebSocket open and close, timeouts, the
 * SUT's requests to the harness's file server).
 */
export type TraceMessageType = 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'CALLRESULTERROR' | 'SEND' | 'INVALID' | 'EVENT';

/** What an EVENT record reports, of one of the domain's TRACE_EVENT_KINDS. */
export type TraceEvent = OfKnownKind<
  | { kind: 'ws-open'; handshake: HandshakeInfo }
  | { kind: 'ws-rejected'; handshake: HandshakeInfo; reason: string }
  | { kind: 'ws-close'; close: CloseInfo }
  | { kind: 'call-timeout'; messageId: string; action: string; timeoutMs: number }
  | { kind: 'pong-missing'; waitedMs: number }
  | { kind: 'note'; text: string }
  | { kind: 'http-request'; method: string; url: string; path: string; bytes: number; status: number; storedAs?: string }
  | { kind: 'handshake-timeout'; handshake: HandshakeInfo; timeoutMs: number; bytesReceived?: number }
  | { kind: 'peer-not-reading'; bufferedBytes: number; limitBytes: number }
  | { kind: 'close-timeout'; waitedMs: number }
>;

// The session records exactly the event kinds the domain lists: a kind on one side only fails to compile.
type OfKnownKind<Event extends { kind: TraceEventKind }> = Event;
TRACE_EVENT_KINDS satisfies ReadonlyArray<TraceEvent['kind']>;

/** Our additions to a record; open-ocpp-trace reserves `meta` for them. */
export interface TraceMeta {
  /** Milliseconds since the process's time origin (monotonic, unlike `timestamp`). */
  monotonicMs: number;
  connectionId?: string;
  findings?: Finding[];
  event?: TraceEvent;
  testId?: string;
  stepId?: string;
  /** A frame the harness sent invalid on purpose (a `sendInvalid` step of a negative test). */
  deliberate?: true;
  /** The harness had already closed or replaced this record's connection: the record decides no case (issue 14). */
  connectionRetired?: boolean;
  [extension: string]: unknown;
}

/** One wire event, as one JSON line of an open-ocpp-trace v1.1 file. */
export interface TraceRecord {
  schemaVersion: string;
  timestamp: string;
  ocppVersion?: string;
  transport: 'json';
  chargePointId?: string;
  direction: Direction;
  messageType: TraceMessageType;
  messageId?: string;
  action?: string;
  payload?: unknown;
  /** The frame exactly as it crossed the wire, even when it is not JSON. */
  raw?: string;
  error?: { code: string; description: string; details: unknown };
  meta: TraceMeta;
}

/** Where records go. `write` must keep the record before it returns (see JsonlTraceWriter). */
export interface TraceSink {
  write(record: TraceRecord): void;
}

/** A sink that keeps records in memory, in order. */
export class MemoryTrace implements TraceSink {
  readonly records: TraceRecord[] = [];
  write(record: TraceRecord): void {
    this.records.push(record);
  }
}

/** A sink that passes each record to several sinks. */
export class TeeTrace implements TraceSink {
  constructor(private readonly sinks: readonly TraceSink[]) {}
  write(record: TraceRecord): void {
    for (const sink of this.sinks) sink.write(record);
  }
}

/** Context stamped on records: which version and station, and which test and step is running. */
export interface TraceContext {
  ocppVersion: OcppVersion;
  chargePointId: string;
  connectionId?: string;
  testId?: string;
  stepId?: string;
}

/** The frame fields of a record, and additions to its `meta` (e.g. `rawEncoding`); absent ones stay absent. */
export type RecordFields = Partial<Pick<TraceRecord, 'messageId' | 'action' | 'payload' | 'raw' | 'error'>> & { meta?: Record<string, unknown> };

let isoMs = -1;
let isoText = '';

/** The wall-clock time as ISO 8601, formatted once per millisecond (records come in bursts). */
function isoNow(): string {
  const nowMs = Date.now();
  if (nowMs !== isoMs) {
    isoMs = nowMs;
    isoText = new Date(nowMs).toISOString();
  }
  return isoText;
}

/** Builds a record with the common fields filled in, dated now or at `atMs` (performance.now() time). */
export function createRecord(
  context: TraceContext,
  direction: Direction,
  messageType: TraceMessageType,
  fields: RecordFields,
  findings?: Finding[],
  event?: TraceEvent,
  atMs?: number,
): TraceRecord {
  // `atMs` (a performance.now() value) dates a frame by its arrival rather than by its recording.
  const meta: TraceMeta = { monotonicMs: Math.round((atMs ?? performance.now()) * 1000) / 1000 };
  if (context.connectionId !== undefined) meta.connectionId = context.connectionId;
  if (findings !== undefined && findings.length > 0) meta.findings = findings;
  if (event !== undefined) meta.event = event;
  if (context.testId !== undefined) meta.testId = context.testId;
  if (context.stepId !== undefined) meta.stepId = context.stepId;
  if (fields.meta !== undefined) Object.assign(meta, fields.meta);
  const record: TraceRecord = {
    schemaVersion: TRACE_SCHEMA_VERSION,
    timestamp: atMs === undefined ? isoNow() : new Date(performance.timeOrigin + atMs).toISOString(),
    ocppVersion: context.ocppVersion,
    transport: 'json',
    chargePointId: context.chargePointId,
    direction,
    messageType,
    meta,
  };
  if (fields.messageId !== undefined) record.messageId = fields.messageId;
  if (fields.action !== undefined) record.action = fields.action;
  // Either way a CALL crosses, a password it sets never reaches the trace (A01.FR.09/12).
  const secretless = messageType === 'CALL' && fields.action !== undefined && typeof fields.payload === 'object' && fields.payload !== null ? withoutPassword(fields.action, fields.payload as Payload, fields.raw) : undefined;
  if (fields.payload !== undefined) record.payload = secretless?.payload ?? fields.payload;
  if (fields.raw !== undefined) record.raw = secretless?.raw ?? fields.raw;
  if (fields.error !== undefined) record.error = fields.error;
  return record;
}

/** An EVENT record for a rejected handshake, which has no session to record it. */
export function rejectedHandshakeRecord(ocppVersion: OcppVersion, handshake: HandshakeInfo, reason: string): TraceRecord {
  return createRecord({ ocppVersion, chargePointId: handshake.stationId }, 'cp-to-csms', 'EVENT', {}, undefined, { kind: 'ws-rejected', handshake, reason });
}

/** The record fields of a frame as it crossed the wire: `action` is the CALL's, or the answered CALL's. */
export function recordFieldsOf(frame: Frame, action: string | undefined, raw: string): RecordFields {
  const fields: RecordFields = { messageId: frame.messageId, raw };
  if (action !== undefined) fields.action = action;
  if ('payload' in frame) fields.payload = frame.payload;
  else fields.error = { code: frame.errorCode, description: frame.errorDescription, details: frame.errorDetails };
  return fields;
}
