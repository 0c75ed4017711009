import { MAX_PAYLOAD_DEPTH, isNestedDeeperThan, type Finding } from '../protocol/index.js';
import type { TraceEvent, TraceRecord } from '../session/index.js';
import { redactText, redactValue } from './redact.js';

/** A finding as the wire log shows it: severity, code, message, rule; a grouped one adds its count, first and last time. */
export type WireFinding = [severity: string, code: string, message: string, rule: string, count?: number, firstAt?: string, lastAt?: string];

/** A finding as a wire-log row or a case lists it, its message redacted. */
export function wireFinding(finding: Finding): WireFinding {
  const row: WireFinding = [finding.severity, finding.code, redactText(finding.message), finding.rule];
  // Issue 14: a grouped finding shows its total and its time span.
  if (finding.count !== undefined) row.push(finding.count, finding.firstAt ?? '', finding.lastAt ?? '');
  return row;
}

/**
 * One row of a wire log, with short keys because a report may embed 50,000 of them:
 * t ms since the first record, at wall-clock time, d 0 = station→CSMS / 1 = CSMS→station,
 * k messageType, a action (or event kind), id message id, b body (payload, error, event or raw
 * text), x one-line summary of an event, f findings, s the step(s) the record belongs to, l line
 * in the trace file.
 */
export interface WireFrame {
  t: number;
  at: string;
  d: 0 | 1;
  k: string;
  a?: string;
  id?: string;
  b?: unknown;
  x?: string;
  f?: WireFinding[];
  s?: string;
  l: number;
}

/** A trace line as the inspector reads it: a record, or the reason it could not be read. */
export type WireLine = { index: number; line: number; record: TraceRecord } | { index: number; line: number; unreadable: string };

/** What a caller knows about records beyond the records themselves (the trace page: the inspector's view). */
export interface WireEnrichment {
  /** Replaces the findings recorded in `meta.findings`. */
  findingsOf?: (index: number) => Finding[];
  /** The action of a record that does not name one (a response, derived by correlation). */
  actionOf?: (index: number) => string | undefined;
  /**
   * The steps a record belongs to, from the step results (StepResult.records); replaces the step
   * that was running when it was recorded (`meta.stepId`).
   */
  stepsOf?: (index: number) => readonly string[];
}

/** Turns trace lines into wire-log rows, secrets redacted. */
export function wireFramesOf(lines: readonly WireLine[], enrichment: WireEnrichment = {}): WireFrame[] {
  return lines.map(wireRowReader(enrichment));
}

/**
 * How much of a frame's body a row holds: a longer frame is shown as its first MAX_BODY_CHARS
 * characters and how many bytes follow, so one huge frame cannot make the page huge.
 */
export const MAX_BODY_CHARS = 64 * 1024;

/** Turns trace lines into wire-log rows one at a time, in order (times count from the first record). */
export function wireRowReader(enrichment: WireEnrichment = {}): (line: WireLine) => WireFrame {
  let origin: number | undefined;
  return (line) => {
    if ('unreadable' in line) {
      return { t: 0, at: '', d: 0, k: 'UNREADABLE', b: redactText(line.unreadable), f: [['violation', 'record-unreadable', redactText(line.unreadable), 'open-ocpp-trace v1.1']], l: line.line };
    }
    const { record } = line;
    const time = Date.parse(record.timestamp);
    origin ??= Number.isNaN(time) ? undefined : time;
    const frame: WireFrame = {
      t: origin === undefined || Number.isNaN(time) ? 0 : time - origin, at: typeof record.timestamp === 'string' ? record.timestamp : '',
      d: record.direction === 'csms-to-cp' ? 1 : 0, k: String(record.messageType), l: line.line,
    };
    describeBody(frame, record);
    if (record.messageId !== undefined) frame.id = String(record.messageId);
    if (frame.a === undefined) {
      const action = enrichment.actionOf?.(line.index);
      if (action !== undefined) frame.a = action;
    }
    const findings = enrichment.findingsOf ? enrichment.findingsOf(line.index) : (record.meta?.findings ?? []);
    if (findings.length > 0) frame.f = findings.map(wireFinding);
    const steps = enrichment.stepsOf ? enrichment.stepsOf(line.index) : typeof record.meta?.stepId === 'string' ? [record.meta.stepId] : [];
    if (steps.length > 0) frame.s = steps.join(', ');
    return frame;
  };
}

function describeBody(frame: WireFrame, record: TraceRecord): void {
  if (record.action !== undefined) frame.a = String(record.action);
  if (record.messageType === 'EVENT') {
    const event = record.meta?.event;
    if (event) {
      frame.a = event.kind;
      frame.x = redactText(summaryOfRead(event));
      frame.b = redactValue(event);
    }
    return;
  }
  // A huge frame, or one nested too deep to walk, is shown as the start of its text.
  const raw = typeof record.raw === 'string' ? record.raw : undefined;
  const base64 = record.meta?.['rawEncoding'] === 'base64' ? 'base64 of a text frame that is not UTF-8: ' : '';
  const value = record.messageType === 'CALLERROR' || record.messageType === 'CALLRESULTERROR' ? (record.error ?? raw ?? {}) : (record.payload ?? raw ?? null);
  if (record.messageType === 'INVALID' || base64 || (raw !== undefined && raw.length > MAX_BODY_CHARS) || isNestedDeeperThan(value, MAX_PAYLOAD_DEPTH)) {
    frame.b = `${base64}${truncated(redactText(raw ?? '(the frame nests too deep to show)'))}`;
    return;
  }
  frame.b = redactValue(value);
}

function truncated(text: string): string {
  if (text.length <= MAX_BODY_CHARS) return text;
  const shown = text.slice(0, MAX_BODY_CHARS);
  return `${shown}… ${Buffer.byteLength(text) - Buffer.byteLength(shown)} bytes more`;
}

/** `, TLSv1.2 TLS_RSA_WITH_AES_128_GCM_SHA256, peer CN=CS001, O=...`: the TLS facts of a handshake, if any. */
function tlsSummary(tls: Extract<TraceEvent, { kind: 'ws-open' }>['handshake']['tls']): string {
  if (!tls) return '';
  return `, ${tls.protocol ?? 'TLS'} ${tls.cipher}${tls.peerCertificate ? `, peer ${tls.peerCertificate.subject}` : ''}`;
}

/**
 * An event's line, also for a trace file written by someone else whose event lacks a field its
 * kind has (a `ws-close` without `close`): the row then says so instead of ending the report.
 */
function summaryOfRead(event: TraceEvent): string {
  try {
    return summaryOf(event);
  } catch {
    return `${String((event as { kind?: unknown }).kind)} (an event without the fields of its kind)`;
  }
}

/** One line about an event: what a reader scanning the log needs without opening it. */
function summaryOf(event: TraceEvent): string {
  switch (event.kind) {
    case 'ws-open':
      return `WebSocket upgrade ${event.handshake.url} → HTTP ${event.handshake.responseStatus}, subprotocol ${event.handshake.subprotocol || '(none)'}${tlsSummary(event.handshake.tls)}`;
    case 'ws-rejected':
      return `WebSocket upgrade ${event.handshake.url} rejected (HTTP ${event.handshake.responseStatus}): ${event.reason}`;
    case 'ws-close':
      return `WebSocket closed by ${event.close.initiatedBy}: code ${event.close.code}${event.close.reason ? ` "${event.close.reason}"` : ''}`;
    case 'call-timeout':
      return `no answer to ${event.action} (message id "${event.messageId}") within ${event.timeoutMs} ms`;
    case 'pong-missing':
      return `no pong within ${event.waitedMs} ms`;
    case 'note':
      return event.text;
    case 'http-request':
      return `HTTP ${event.method} ${event.url} (${event.bytes} bytes) → ${event.status}${event.storedAs ? `, kept as ${event.storedAs}` : ''}`;
    default:
      return (event as { kind: string }).kind;
  }
}
