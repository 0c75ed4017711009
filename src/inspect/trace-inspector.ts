import {
  FindingGroups, ConversationRules, Correlator, MessageType, schemasOf, UNREADABLE_MESSAGE_ID, checkErrorFrame, checkPayload, createFinding, findingOfFrameProblem,
  isAnswerOwed, nameOfMessageType, parseFrame, type Finding, type Frame, type FrameProblem, type ObservedFrame, type OcppVersion,
} from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import { frameTextOf, rawMismatches, versionOfRecord, type TraceLine } from './trace-reader.js';
import { loadTraceLines, type TraceInput } from './trace-source.js';

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
}

/**
 * Re-runs the framing, schema and correlation checks of a live session over a recorded trace
 * (ours or any open-ocpp-trace v1.1 producer's, or a frame log), one conversation per station
 * and connection. Throws TraceFormatError when the text holds no records or is in another format.
 */
export function inspectTrace(text: string, options: InspectOptions = {}): TraceInspection {
  return inspectTraceLines(loadTraceLines(text, options.input ?? 'trace', options.version), options);
}

/** Inspects records already read (see loadTraceLines). */
export function inspectTraceLines(lines: readonly TraceLine[], options: InspectOptions = {}): TraceInspection {
  const inspection: TraceInspection = { versions: [], records: [], findings: [], unansweredCalls: [], orphanResponses: [] };
  const conversations = new Map<string, Conversation>();
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const lineOf = new Map<number, number>();
  // Issue 14: a code repeated on one connection is listed 5 times in full, then once with its count.
  const groups = new FindingGroups<PlacedFinding>();
  for (const line of lines) {
    lineOf.set(line.index, line.line);
    let connection = '';
    const at = 'record' in line && typeof line.record.timestamp === 'string' ? line.record.timestamp : '';
    const place = (finding: Finding) => {
      const listed = groups.add(connection, { ...finding, index: line.index, line: line.line }, at);
      if (listed) inspection.findings.push(listed);
    };
    if ('unreadable' in line) {
      place(createFinding(options.version ?? '2.0.1', 'record-unreadable', line.unreadable));
      inspection.records.push({ index: line.index, line: line.line });
      continue;
    }
    const { record } = line;
    const view: RecordView = { index: line.index, line: line.line, messageType: record.messageType, ...(record.messageId !== undefined ? { messageId: String(record.messageId) } : {}) };
    inspection.records.push(view);
    if (record.messageType === 'EVENT') continue;
    const version = versionOfRecord(record, options.version);
    if (!version) {
      place(createFinding('2.0.1', 'record-unreadable', `no OCPP version: the record has ocppVersion ${JSON.stringify(record.ocppVersion)}; pass --ocpp`));
      continue;
    }
    if (!inspection.versions.includes(version)) inspection.versions.push(version);
    const key = `${version}|${record.chargePointId ?? ''}|${String(record.meta.connectionId ?? '')}`;
    connection = key;
    let conversation = conversations.get(key);
    if (!conversation) {
      conversation = { correlator: new Correlator(version, { callTimeoutMs }), brokenFrames: new Set(), rules: new ConversationRules(schemasOf(version)) };
      conversations.set(key, conversation);
    }
    const atMs = timeOf(record);
    const judged = judgeRecord(record, version, conversation, line.index, atMs);
    judged.findings.forEach(place);
    conversation.rules.check(observedFrame(record, judged), atMs).forEach(place);
    if (judged.action) view.action = judged.action;
    if (judged.correlatesWith !== undefined) view.correlatesWith = judged.correlatesWith;
    if (judged.orphan) inspection.orphanResponses.push(line.index);
  }
  for (const conversation of conversations.values()) {
    for (const call of conversation.correlator.unanswered()) {
      inspection.unansweredCalls.push(call.ref);
      const broken = conversation.brokenFrames.has(call.ref);
      const what = broken ? `invalid frame${call.action === BROKEN_FRAME ? '' : ` (${call.action})`}` : `CALL ${call.action}`;
      const finding = createFinding(conversation.correlator.version, 'unanswered-call', `${what} (message id "${call.messageId}") was never answered`, call.messageId);
      // A broken frame is owed its CALLERROR by OCPP-J §4.1.7 and §4.2.3, not by the synchronicity rule.
      const rule = broken ? `OCPP-J ${conversation.correlator.version} §4.1.7, §4.2.3` : finding.rule;
      inspection.findings.push({ ...finding, rule, index: call.ref, line: lineOf.get(call.ref) ?? 0 });
    }
  }
  inspection.findings.sort((a, b) => a.index - b.index);
  inspection.unansweredCalls.sort((a, b) => a - b);
  return inspection;
}

interface Judgement {
  findings: Finding[];
  /** The frame as parsed, when it could be. */
  frame?: Frame;
  action?: string;
  correlatesWith?: number;
  orphan?: boolean;
}

// The action under which a broken frame whose action could not be read waits for a possible answer.
const BROKEN_FRAME = '(invalid frame)';

function judgeRecord(record: TraceRecord, version: OcppVersion, conversation: Conversation, index: number, atMs: number): Judgement {
  const { correlator } = conversation;
  const parsed = parseFrame(frameTextOf(record), version);
  const judgement = parsed.ok ? { ...judgeFrame(parsed.frame, record, version, correlator, index, atMs), frame: parsed.frame }
    : parsed.problem.frame ? judgeBadId(parsed.problem, parsed.problem.frame, record, version, correlator, index, atMs)
    : judgeBroken(parsed.problem, record, version, conversation, index, atMs);
  const mismatches = rawMismatches(record);
  // The decomposed fields must say what the raw frame says (open-ocpp-trace raw fidelity rule).
  if (mismatches.length > 0) judgement.findings.unshift(createFinding(version, 'raw-mismatch', `record fields disagree with raw: ${mismatches.join(', ')}`, record.messageId));
  return judgement;
}

/**
 * A frame whose only fault is its id (e.g. over 36 characters) is still correlated and checked,
 * so its answer is found and judged (issue 13). The id is reported by name, except on an answer
 * that repeats the id of the CALL it answers, as OCPP-J §4.1.4 requires.
 */
function judgeBadId(problem: FrameProblem, frame: Frame, record: TraceRecord, version: OcppVersion, correlator: Correlator, index: number, atMs: number): Judgement {
  const judgement: Judgement = { ...judgeFrame(frame, record, version, correlator, index, atMs), frame };
  const isAnswer = frame.type === MessageType.CallResult || frame.type === MessageType.CallError;
  if (!(isAnswer && judgement.correlatesWith !== undefined)) judgement.findings.unshift(findingOfFrameProblem(version, problem));
  return judgement;
}

function judgeFrame(frame: Frame, record: TraceRecord, version: OcppVersion, correlator: Correlator, index: number, atMs: number): Judgement {
  const { direction } = record;
  switch (frame.type) {
    case MessageType.Call: {
      const findings = correlator.onCall(direction, frame.messageId, frame.action, index, atMs);
      const problem = checkPayload(version, frame.action, 'request', frame.payload, frame.messageId);
      return { findings: problem ? [...findings, problem.finding] : findings, action: frame.action };
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
  if (problem.reply === 'callerror') {
    conversation.brokenFrames.add(index);
    conversation.correlator.onBrokenCall(record.direction, problem.messageId ?? UNREADABLE_MESSAGE_ID, problem.action ?? BROKEN_FRAME, index, atMs, isAnswerOwed(version, problem));
  }
  return { findings: [findingOfFrameProblem(version, problem)] };
}

// What the conversation rules see of a record: the frame as parsed, and the action correlation found.
function observedFrame(record: TraceRecord, judged: Judgement): ObservedFrame {
  const raw = typeof record.raw === 'string' ? { raw: record.raw } : {};
  const frame = judged.frame;
  if (!frame) return { direction: record.direction, messageType: 'INVALID', raw: frameTextOf(record) };
  const observed: ObservedFrame = { direction: record.direction, messageType: nameOfMessageType(frame.type), messageId: frame.messageId, ...raw };
  if (judged.action !== undefined) observed.action = judged.action;
  if ('payload' in frame) observed.payload = frame.payload;
  else observed.errorCode = frame.errorCode;
  return observed;
}

function timeOf(record: TraceRecord): number {
  const parsed = Date.parse(record.timestamp);
  return Number.isNaN(parsed) ? 0 : parsed;
}
