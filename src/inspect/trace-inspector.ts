import {
  ConversationRules, Correlator, FindingGroups, answerIdOf, oppositeOf, type Direction, DEFAULT_CONVERSATION_MEMORY, MAX_PAYLOAD_DEPTH, MessageType, schemasOf, UNREADABLE_MESSAGE_ID, checkErrorFrame, checkPayload,
  createFinding, findingOfFrameProblem, isAnswerOwed, messageTypeOfName, nameOfMessageType, parseFrame,
  type Finding, type Frame, type UnansweredCall, type FrameProblem, type ObservedFrame, type OcppVersion, type Severity,
} from '../protocol/index.js';
import { isUtf8 } from 'node:buffer';
import type { TraceRecord } from '../session/index.js';
import { decomposedOf, frameTextOf, hasTooDeepFields, isBase64Raw, rawMismatches, versionOfRecord, type TraceLine } from './trace-reader.js';
import { loadTraceLines, type TraceInput } from './trace-source.js';
import { frameOfCanonicalRaw } from './canonical-frame.js';

/** A finding pinned to the record (0-based index) and line (1-based) it concerns. */
export interface PlacedFinding extends Finding {
  index: number;
  line: number;
}

/** What the inspector derives for one record: the open-ocpp-trace consumer view plus our version. */
export interface RecordView {
  index: number;
  line: number;
  messageType?: string;
  messageId?: string;
  action?: string;
  correlatesWith?: number;
}

/** The result of inspecting a trace. */
export interface TraceInspection {
  versions: OcppVersion[];
  records: RecordView[];
  findings: PlacedFinding[];
  unansweredCalls: number[];
  orphanResponses: number[];
}

/** Options of an inspection. */
export interface InspectOptions {
  /** Forces the OCPP version; otherwise each record's `ocppVersion` is used. */
  version?: OcppVersion;
  /** After this long without an answer a CALL counts as timed out (default 30000 ms). */
  callTimeoutMs?: number;
  /** What the text is: an open-ocpp-trace file (the default) or a frame log (see docs/trace-format.md). */
  input?: TraceInput;
}

interface Conversation {
  correlator: Correlator;
  /** Records of broken frames that wait for a CALLERROR. */
  brokenFrames: Set<number>;
  rules: ConversationRules;
  /** The line of each record a CALL or broken frame waits on, for the unanswered-call finding. */
  lineOf: Map<number, number>;
  /** By sender: the id of a CALL whose id is no valid id, which its CALLERROR may answer with "-1". */
  unusableIdCalls: Map<Direction, string>;
}

/** What an inspection found, in counts: what a streamed inspection keeps once its findings are out. */
export interface InspectionSummary {
  versions: OcppVersion[];
  records: number;
  severities: Record<Severity, number>;
  unansweredCalls: number;
  orphanResponses: number;
}

/**
 * How many conversations (station and connection) an inspection follows at once: past that the
 * one heard from least recently is closed, its unanswered CALLs reported, as at its ws-close.
 */
export const MAX_OPEN_CONVERSATIONS = 256;

/**
 * Re-runs the framing, schema and correlation checks of a live session over a recorded trace
 * (ours or any open-ocpp-trace v1.1 producer's, or a frame log), one conversation per station
 * and connection. Throws TraceFormatError when the text holds no records or is in another format.
 */
export function inspectTrace(text: string, options: InspectOptions = {}): TraceInspection {
  return inspectTraceLines(loadTraceLines(text, options.input ?? 'trace', options.version), options);
}

/** Inspects records already read (see loadTraceLines), keeping every finding and record view. */
export function inspectTraceLines(lines: readonly TraceLine[], options: InspectOptions = {}): TraceInspection {
  const inspection: TraceInspection = { versions: [], records: [], findings: [], unansweredCalls: [], orphanResponses: [] };
  const inspector = new TraceInspector(options, (finding) => {
    inspection.findings.push(finding);
    if (finding.code === 'unanswered-call') inspection.unansweredCalls.push(finding.index);
  });
  for (const line of lines) {
    const view = inspector.inspect(line);
    inspection.records.push(view);
    if (view.orphan) {
      inspection.orphanResponses.push(view.index);
      delete view.orphan;
    }
  }
  inspection.versions = inspector.finish().versions;
  inspection.findings.sort((a, b) => a.index - b.index);
  inspection.unansweredCalls.sort((a, b) => a - b);
  return inspection;
}

/**
 * The inspection of a trace fed one line at a time, in bounded memory: each finding goes to
 * `report` as soon as it is known, and what is kept across records is bounded (the correlator's
 * memory per conversation, MAX_OPEN_CONVERSATIONS conversations, counts).
 */
export class TraceInspector {
  private readonly conversations = new Map<string, Conversation>();
  private readonly callTimeoutMs: number;
  private readonly summary: InspectionSummary = { versions: [], records: 0, severities: { violation: 0, warning: 0, info: 0 }, unansweredCalls: 0, orphanResponses: 0 };
  // Issue 14: a code repeated on one connection is listed 5 times in full, then once with its count;
  // the grouped findings are reported at the end, when their counts are final.
  private readonly groups = new FindingGroups<PlacedFinding>();
  private readonly grouped: PlacedFinding[] = [];
  // Per record work that the record before has mostly done already (see versionOf, conversationKey, conversationOf).
  private lastDeclared: { ocppVersion?: string | undefined; version: OcppVersion | undefined } = { ocppVersion: undefined, version: undefined };
  private lastKey: { version?: OcppVersion; station?: string; connectionId?: unknown; key: string } = { key: '' };
  private newestKey: string | undefined;

  constructor(private readonly options: InspectOptions, private readonly report: (finding: PlacedFinding) => void) {
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
  }

  /** Judges one line; returns what it derived for the record (`orphan` marks an answer to nothing). */
  inspect(line: TraceLine): RecordView & { orphan?: true } {
    this.summary.records++;
    let connection = '';
    const at = 'record' in line && typeof line.record.timestamp === 'string' ? line.record.timestamp : '';
    const place = (finding: Finding) => this.emit({ ...finding, index: line.index, line: line.line }, connection, at);
    if ('unreadable' in line) {
      place(createFinding(this.options.version ?? '2.0.1', 'record-unreadable', line.unreadable));
      return { index: line.index, line: line.line };
    }
    const { record } = line;
    const view: RecordView & { orphan?: true } = { index: line.index, line: line.line, messageType: record.messageType };
    if (record.messageId !== undefined) view.messageId = String(record.messageId);
    const version = this.versionOf(record);
    if (record.messageType === 'EVENT') {
      // A closed connection owes nothing more: its unanswered CALLs are reported now.
      if (record.meta.event?.kind === 'ws-close' && version) this.close(this.conversationKey(version, record));
      return view;
    }
    if (!version) {
      place(createFinding('2.0.1', 'record-unreadable', `no OCPP version: the record has ocppVersion ${JSON.stringify(record.ocppVersion)}; pass --ocpp`));
      return view;
    }
    if (!this.summary.versions.includes(version)) this.summary.versions.push(version);
    connection = this.conversationKey(version, record);
    const conversation = this.conversationOf(connection, version);
    const atMs = timeOf(record);
    const judged = judgeRecord(record, version, conversation, line.index, atMs);
    // A frame the harness sent invalid on purpose (a negative test's sendInvalid) accuses no one;
    // it is still correlated, so the answer it is owed is judged.
    const placeOwn = record.meta.deliberate === true ? () => undefined : place;
    judged.findings.forEach(placeOwn);
    // A broken frame is shown to the rules as its text, which fields too deep to write back have not.
    if (judged.frame || typeof record.raw === 'string' || !hasTooDeepFields(record)) conversation.rules.check(observedFrame(record, judged), atMs).forEach(placeOwn);
    if (judged.awaitsAnswer) conversation.lineOf.set(line.index, line.line);
    if (judged.action) view.action = judged.action;
    if (judged.correlatesWith !== undefined) {
      view.correlatesWith = judged.correlatesWith;
      conversation.lineOf.delete(judged.correlatesWith);
      conversation.brokenFrames.delete(judged.correlatesWith);
    }
    if (judged.orphan) {
      view.orphan = true;
      this.summary.orphanResponses++;
    }
    forgetAnswered(conversation);
    return view;
  }

  /** Reports the CALLs still unanswered and returns the counts. */
  finish(): InspectionSummary {
    for (const key of [...this.conversations.keys()]) this.close(key);
    for (const finding of this.grouped.splice(0)) this.report(finding);
    return { ...this.summary, versions: [...this.summary.versions], severities: { ...this.summary.severities } };
  }

  /** Counts every occurrence; reports the first ones of a code on a connection, and holds its grouped one. */
  private emit(finding: PlacedFinding, connection: string, at: string): void {
    this.summary.severities[finding.severity]++;
    if (finding.code === 'unanswered-call') this.summary.unansweredCalls++;
    const listed = this.groups.add(connection, finding, at);
    if (listed === finding) this.report(finding);
    else if (listed) this.grouped.push(listed);
  }

  // The version a record declares, remembered for the next record (which almost always declares the same).
  private versionOf(record: TraceRecord): OcppVersion | undefined {
    if (this.options.version || record.ocppVersion !== this.lastDeclared.ocppVersion) {
      this.lastDeclared = { ocppVersion: record.ocppVersion, version: versionOfRecord(record, this.options.version) };
    }
    return this.lastDeclared.version;
  }

  // One conversation per version, station and connection; the key of the record before is reused when it is the same.
  private conversationKey(version: OcppVersion, record: TraceRecord): string {
    const last = this.lastKey;
    const station = record.chargePointId ?? '';
    const connectionId = record.meta.connectionId;
    if (last.version === version && last.station === station && last.connectionId === connectionId && typeof connectionId !== 'object') return last.key;
    const key = `${version}|${station}|${String(connectionId ?? '')}`;
    this.lastKey = { version, station, connectionId, key };
    return key;
  }

  private conversationOf(key: string, version: OcppVersion): Conversation {
    let conversation = this.conversations.get(key);
    if (conversation) {
      // Kept in the order last heard from, so the one silent longest is closed first.
      if (key !== this.newestKey) {
        this.conversations.delete(key);
        this.conversations.set(key, conversation);
        this.newestKey = key;
      }
      return conversation;
    }
    // A CALL given up on past the correlator's memory is reported on its own record, like one still
    // open at the end: the party that never answered is at fault, not the sender of the newer CALL.
    const onGivenUp = (call: UnansweredCall) => this.reportUnanswered(created, call, key);
    const created: Conversation = { correlator: new Correlator(version, { callTimeoutMs: this.callTimeoutMs, onGivenUp }), brokenFrames: new Set(), rules: new ConversationRules(schemasOf(version)), lineOf: new Map(), unusableIdCalls: new Map() };
    conversation = created;
    this.conversations.set(key, conversation);
    this.newestKey = key;
    if (this.conversations.size > MAX_OPEN_CONVERSATIONS) this.close(this.conversations.keys().next().value!);
    return conversation;
  }

  private close(key: string): void {
    const conversation = this.conversations.get(key);
    if (!conversation) return;
    this.conversations.delete(key);
    if (key === this.newestKey) this.newestKey = undefined;
    for (const call of conversation.correlator.unanswered()) this.reportUnanswered(conversation, call, key);
  }

  private reportUnanswered(conversation: Conversation, call: UnansweredCall, key: string): void {
    const broken = conversation.brokenFrames.has(call.ref);
    const what = broken ? `invalid frame${call.action === BROKEN_FRAME ? '' : ` (${call.action})`}` : `CALL ${call.action}`;
    const finding = createFinding(conversation.correlator.version, 'unanswered-call', `${what} (message id "${call.messageId}") was never answered`, call.messageId);
    // A broken frame is owed its CALLERROR by OCPP-J §4.1.7 and §4.2.3, not by the synchronicity rule.
    const rule = broken ? `OCPP-J ${conversation.correlator.version} §4.1.7, §4.2.3` : finding.rule;
    this.emit({ ...finding, rule, index: call.ref, line: conversation.lineOf.get(call.ref) ?? 0 }, key, '');
    conversation.lineOf.delete(call.ref);
    conversation.brokenFrames.delete(call.ref);
  }
}

// The correlator forgets CALLs past its memory (reporting them): the lines kept for them follow,
// in one sweep whenever they have grown to twice what it can still hold open.
function forgetAnswered(conversation: Conversation): void {
  if (conversation.lineOf.size <= 2 * DEFAULT_CONVERSATION_MEMORY) return;
  const open = new Set(conversation.correlator.unanswered().map((call) => call.ref));
  for (const ref of conversation.lineOf.keys()) if (!open.has(ref)) conversation.lineOf.delete(ref);
  for (const ref of conversation.brokenFrames) if (!open.has(ref)) conversation.brokenFrames.delete(ref);
}

interface Judgement {
  findings: Finding[];
  /** The record is a CALL or a broken frame that an answer may correlate with. */
  awaitsAnswer?: boolean;
  /** A CALL's action and payload met the schemas (so the conversation rules need not validate again). */
  schemaValid?: boolean;
  /** The frame as parsed, when it could be. */
  frame?: Frame;
  action?: string;
  correlatesWith?: number;
  orphan?: boolean;
  /** `raw` is exactly the JSON of the record's fields (see frameOfCanonicalRaw). */
  canonicalRaw?: boolean;
}

// The action under which a broken frame whose action could not be read waits for a possible answer.
const BROKEN_FRAME = '(invalid frame)';

function judgeRecord(record: TraceRecord, version: OcppVersion, conversation: Conversation, index: number, atMs: number): Judgement {
  const unkept = unkeptFrameFinding(record, version);
  if (unkept) return { findings: [unkept] };
  const { correlator } = conversation;
  const canonical = frameOfCanonicalRaw(record, version);
  const parsed = canonical ?? parseFrame(judgedText(record), version);
  if (!parsed.ok && parsed.problem.frame?.type === MessageType.Call && answerIdOf(parsed.problem) !== parsed.problem.messageId) {
    conversation.unusableIdCalls.set(record.direction, parsed.problem.frame.messageId);
  }
  const judgement = parsed.ok ? withFrame(judgeFrame(answeredAs(parsed.frame, record.direction, conversation), record, version, correlator, index, atMs), parsed.frame)
    : parsed.problem.frame ? judgeBadId(parsed.problem, parsed.problem.frame, record, version, correlator, index, atMs)
    : judgeBroken(parsed.problem, record, version, conversation, index, atMs);
  // Fields whose own serialization is the raw frame cannot disagree with it (frameOfCanonicalRaw).
  const fromRaw = parsed.ok && typeof record.raw === 'string' && !isBase64Raw(record) ? decomposedOf(parsed.frame) : undefined;
  const mismatches = canonical?.ok ? [] : rawMismatches(record, fromRaw);
  // The decomposed fields must say what the raw frame says (open-ocpp-trace raw fidelity rule).
  if (mismatches.length > 0) judgement.findings.unshift(createFinding(version, 'raw-mismatch', `record fields disagree with raw: ${mismatches.join(', ')}`, record.messageId));
  if (canonical) judgement.canonicalRaw = true;
  return judgement;
}

/**
 * A CALL whose id is empty or over 36 characters is answered with "-1" (OCPP-J 2.0.1 §4.2.3, as the
 * live session answers it), or with its own id by a peer that echoes it: both answer the same CALL.
 */
function answeredAs(frame: Frame, direction: Direction, conversation: Conversation): Frame {
  const isAnswer = frame.type === MessageType.CallError || frame.type === MessageType.CallResult;
  const unusableId = conversation.unusableIdCalls.get(oppositeOf(direction));
  if (!isAnswer || unusableId === undefined || frame.messageId !== UNREADABLE_MESSAGE_ID) return frame;
  conversation.unusableIdCalls.delete(oppositeOf(direction));
  return { ...frame, messageId: unusableId };
}

/**
 * Issue 14: a frame the harness could not keep as text is no frame to parse. A text frame that was
 * not UTF-8 is kept in base64 (`meta.rawEncoding`); a message over the frame limit is not kept.
 */
function unkeptFrameFinding(record: TraceRecord, version: OcppVersion): Finding | undefined {
  if (record.meta?.rawEncoding === 'base64' && typeof record.raw === 'string') {
    const bytes = Buffer.from(record.raw, 'base64');
    if (!isUtf8(bytes)) return createFinding(version, 'frame-invalid-utf8', `a text frame of ${bytes.length} bytes is not valid UTF-8`);
  }
  if (record.messageType === 'INVALID' && record.meta?.truncated === true && record.raw === undefined) {
    const length = typeof record.meta.rawLength === 'number' ? ` of ${record.meta.rawLength} bytes` : '';
    return createFinding(version, 'frame-too-large', `a message${length} the harness did not keep: over its frame limit`);
  }
  return undefined;
}

/**
 * The frame text to judge. A record without `raw` is rebuilt from its fields, unless they nest
 * too deep to be written back: then a stand-in of the same kind and depth fault is judged. A raw
 * kept in base64 is the bytes of a text frame that was not UTF-8 (RFC 6455 §8.1): no OCPP-J frame.
 */
function judgedText(record: TraceRecord): string {
  if (isBase64Raw(record)) return `(text frame that is not UTF-8, kept in base64: ${record.raw ?? ''})`;
  if (typeof record.raw === 'string' || !hasTooDeepFields(record)) return frameTextOf(record);
  const nested = `${'['.repeat(MAX_PAYLOAD_DEPTH + 1)}${']'.repeat(MAX_PAYLOAD_DEPTH + 1)}`;
  const type = messageTypeOfName(record.messageType) ?? 0;
  return JSON.stringify([type, record.messageId, record.action ?? '', 0]).replace(/,0\]$/, `,${nested}]`);
}

/**
 * A frame whose only fault is its id (e.g. over 36 characters) is still correlated and checked,
 * so its answer is found and judged (issue 13). The id is reported by name, except on an answer
 * that repeats the id of the CALL it answers, as OCPP-J §4.1.4 requires.
 */
function judgeBadId(problem: FrameProblem, frame: Frame, record: TraceRecord, version: OcppVersion, correlator: Correlator, index: number, atMs: number): Judgement {
  const judgement = withFrame(judgeFrame(frame, record, version, correlator, index, atMs), frame);
  const isAnswer = frame.type === MessageType.CallResult || frame.type === MessageType.CallError;
  if (!(isAnswer && judgement.correlatesWith !== undefined)) judgement.findings.unshift(findingOfFrameProblem(version, problem));
  return judgement;
}

function withFrame(judgement: Judgement, frame: Frame): Judgement {
  judgement.frame = frame;
  return judgement;
}

function judgeFrame(frame: Frame, record: TraceRecord, version: OcppVersion, correlator: Correlator, index: number, atMs: number): Judgement {
  const { direction } = record;
  switch (frame.type) {
    case MessageType.Call: {
      const findings = correlator.onCall(direction, frame.messageId, frame.action, index, atMs);
      const problem = checkPayload(version, frame.action, 'request', frame.payload, frame.messageId);
      return { findings: problem ? [...findings, problem.finding] : findings, action: frame.action, awaitsAnswer: true, schemaValid: !problem };
    }
    case MessageType.Send: {
      const findings = correlator.onSend(direction, frame.messageId, frame.action);
      const problem = checkPayload(version, frame.action, 'request', frame.payload, frame.messageId);
      return { findings: problem ? [...findings, problem.finding] : findings, action: frame.action };
    }
    case MessageType.CallResult: {
      const match = correlator.onResponse(direction, frame.messageId, 'CALLRESULT', atMs);
      const problem = match.action ? checkPayload(version, match.action, 'response', frame.payload, frame.messageId) : undefined;
      return { ...responseJudgement(match), findings: problem ? [...match.findings, problem.finding] : match.findings };
    }
    case MessageType.CallError: {
      const match = correlator.onResponse(direction, frame.messageId, 'CALLERROR', atMs);
      return { ...responseJudgement(match), findings: [...match.findings, ...checkErrorFrame(frame, version)] };
    }
    default:
      return { findings: checkErrorFrame(frame, version) };
  }
}

function responseJudgement(match: { action?: string; callRef?: number; findings: Finding[] }): Judgement {
  const judgement: Judgement = { findings: [] };
  if (match.action !== undefined) judgement.action = match.action;
  if (match.callRef !== undefined) judgement.correlatesWith = match.callRef;
  if (match.findings.some((finding) => finding.code === 'orphan-response')) judgement.orphan = true;
  return judgement;
}

function judgeBroken(problem: FrameProblem, record: TraceRecord, version: OcppVersion, conversation: Conversation, index: number, atMs: number): Judgement {
  // A broken CALL may be answered with its id, or "-1"; whether it must be depends on the version (isAnswerOwed).
  if (problem.reply !== 'callerror') return { findings: [findingOfFrameProblem(version, problem)] };
  conversation.brokenFrames.add(index);
  const dropped = conversation.correlator.onBrokenCall(record.direction, problem.messageId ?? UNREADABLE_MESSAGE_ID, problem.action ?? BROKEN_FRAME, index, atMs, isAnswerOwed(version, problem));
  return { findings: [findingOfFrameProblem(version, problem), ...dropped], awaitsAnswer: true };
}

// What the conversation rules see of a record: the frame as parsed, and the action correlation found.
function observedFrame(record: TraceRecord, judged: Judgement): ObservedFrame {
  // A canonical raw holds no number literal other than String(value): the datatype rules need not read it.
  const frame = judged.frame;
  if (!frame) return { direction: record.direction, messageType: 'INVALID', raw: frameTextOf(record) };
  const observed: ObservedFrame = { direction: record.direction, messageType: nameOfMessageType(frame.type), messageId: frame.messageId };
  if (typeof record.raw === 'string' && !judged.canonicalRaw) observed.raw = record.raw;
  if (judged.action !== undefined) observed.action = judged.action;
  if (judged.schemaValid !== undefined) observed.schemaValid = judged.schemaValid;
  if ('payload' in frame) observed.payload = frame.payload;
  else observed.errorCode = frame.errorCode;
  return observed;
}

function timeOf(record: TraceRecord): number {
  const parsed = typeof record.timestamp === 'string' ? (utcTimeOf(record.timestamp) ?? Date.parse(record.timestamp)) : Date.parse(record.timestamp);
  return Number.isNaN(parsed) ? 0 : parsed;
}

/**
 * The time of a timestamp in the form the harness writes, `2026-11-21T00:00:00.000Z`, read without
 * Date.parse (a good part of the work per record); undefined for any other form, or a day past
 * the 28th, which Date.parse reads then.
 */
function utcTimeOf(text: string): number | undefined {
  if (text.length !== 24 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== '.' || text[23] !== 'Z') return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  const ms = digitsAt(text, 20, 23);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

// The number the decimal digits text[from..to) write, or -1 when one is no digit.
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let at = from; at < to; at++) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
