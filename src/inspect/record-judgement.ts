import {
  ConversationRules, Correlator, answerIdOf, oppositeOf, type Direction, MAX_PAYLOAD_DEPTH, MessageType, UNREADABLE_MESSAGE_ID, checkDatatypes, checkErrorFrame, checkPayload, createFinding, dateTimeFieldsOf, daysInMonth, digitsValue, findingOfFrameProblem, isAnswerOwed, messageTypeOfName, nameOfMessageType, parseFrame, schemasOf,
  type Finding, type Frame, type FrameProblem, type ObservedFrame, type OcppVersion, type PayloadKind, type PayloadProblem,
} from '../protocol/index.js';
import { isUtf8 } from 'node:buffer';
import type { TraceRecord } from '../session/index.js';
import { decomposedOf, frameTextOf, hasTooDeepFields, isBase64Raw, rawMismatches } from './trace-reader.js';
import { frameOfCanonicalRaw } from './canonical-frame.js';
import type { PayloadVerdict, Prejudgement } from './prejudgement.js';

// How one trace record is judged on its own and against its conversation: its frame, its id,
// its answer's correlation, and the time it carries. The inspector keeps the conversations.

export interface Conversation {
  correlator: Correlator;
  /** Records of broken frames that wait for a CALLERROR. */
  brokenFrames: Set<number>;
  rules: ConversationRules;
  /** The line of each record a CALL or broken frame waits on, for the unanswered-call finding. */
  lineOf: Map<number, number>;
  /** By sender: the id of a CALL whose id is no valid id, which its CALLERROR may answer with "-1". */
  unusableIdCalls: Map<Direction, string>;
}

export interface Judgement {
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
  /** The payload checks worked out before the conversation was known (see Prejudgement). */
  verdict?: PayloadVerdict;
}

/** Works out a record's Prejudgement; judgeRecord uses nothing else of it that it would compute itself. */
export function prejudgeRecord(record: TraceRecord, version: OcppVersion): Prejudgement {
  const atMs = timeOf(record);
  const canonical = frameOfCanonicalRaw(record, version);
  if (!canonical?.ok) return { atMs, canonical };
  const { frame } = canonical;
  if (!('payload' in frame)) return { atMs, canonical };
  const kind: PayloadKind = frame.type === MessageType.CallResult ? 'response' : 'request';
  const action = 'action' in frame ? frame.action : record.action;
  if (typeof action !== 'string') return { atMs, canonical };
  const { messageId, payload } = frame;
  // parseFrameValue accepted the frame: its payload nests within MAX_PAYLOAD_DEPTH.
  const problem = checkPayload(version, action, kind, payload, messageId, true);
  // As ConversationRules checks them: a canonical raw holds no literal to read (frameOfCanonicalRaw).
  const datatypes = checkDatatypes(schemasOf(version), { action, kind, direction: record.direction, payload, messageId });
  return { atMs, canonical, verdict: { action, kind, messageId, problem, datatypes } };
}

// The verdict's problem when it was worked out for this very payload check, else the check itself.
function payloadProblemOf(verdict: PayloadVerdict | undefined, version: OcppVersion, action: string, kind: PayloadKind, frame: Frame & { payload: unknown }): PayloadProblem | undefined {
  if (verdict && verdict.action === action && verdict.kind === kind && verdict.messageId === frame.messageId) return verdict.problem;
  // Every frame judged here was parsed, its nesting with it.
  return checkPayload(version, action, kind, frame.payload, frame.messageId, true);
}

// The action under which a broken frame whose action could not be read waits for a possible answer.
export const BROKEN_FRAME = '(invalid frame)';

/** Judges a record against its conversation, with what was judged of it alone (prejudgeRecord). */
export function judgeRecord(record: TraceRecord, version: OcppVersion, conversation: Conversation, index: number, prejudged: Prejudgement): Judgement {
  const { atMs } = prejudged;
  const unkept = unkeptFrameFinding(record, version);
  if (unkept) return judgementOf([unkept]);
  const { correlator } = conversation;
  const { canonical, verdict } = prejudged;
  const parsed = canonical ?? parseFrame(judgedText(record), version);
  if (!parsed.ok && parsed.problem.frame?.type === MessageType.Call && answerIdOf(parsed.problem) !== parsed.problem.messageId) {
    conversation.unusableIdCalls.set(record.direction, parsed.problem.frame.messageId);
  }
  const judgement = parsed.ok ? withFrame(judgeFrame(answeredAs(parsed.frame, record.direction, conversation), record, version, correlator, index, atMs, verdict), parsed.frame)
    : parsed.problem.frame ? judgeBadId(parsed.problem, parsed.problem.frame, record, version, correlator, index, atMs)
    : judgeBroken(parsed.problem, record, version, conversation, index, atMs);
  // Fields whose own serialization is the raw frame cannot disagree with it (frameOfCanonicalRaw).
  const mismatches = canonical?.ok ? [] : rawMismatches(record, parsed.ok && typeof record.raw === 'string' && !isBase64Raw(record) ? decomposedOf(parsed.frame) : undefined);
  // The decomposed fields must say what the raw frame says (open-ocpp-trace raw fidelity rule).
  if (mismatches.length > 0) judgement.findings.unshift(createFinding(version, 'raw-mismatch', `record fields disagree with raw: ${mismatches.join(', ')}`, record.messageId));
  if (canonical) judgement.canonicalRaw = true;
  if (verdict) judgement.verdict = verdict;
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

// Every judgement has all its fields, so that it has one shape: the inspector reads them for every record.
function judgementOf(findings: Finding[], action?: string): Judgement {
  return { findings, awaitsAnswer: false, schemaValid: undefined, frame: undefined, action, correlatesWith: undefined, orphan: false, canonicalRaw: false, verdict: undefined };
}

function judgeFrame(frame: Frame, record: TraceRecord, version: OcppVersion, correlator: Correlator, index: number, atMs: number, verdict?: PayloadVerdict): Judgement {
  const { direction } = record;
  switch (frame.type) {
    case MessageType.Call: {
      const findings = correlator.onCall(direction, frame.messageId, frame.action, index, atMs);
      const problem = payloadProblemOf(verdict, version, frame.action, 'request', frame);
      if (problem) findings.push(problem.finding);
      const judgement = judgementOf(findings, frame.action);
      judgement.awaitsAnswer = true;
      judgement.schemaValid = !problem;
      return judgement;
    }
    case MessageType.Send: {
      const findings = correlator.onSend(direction, frame.messageId, frame.action);
      const problem = payloadProblemOf(verdict, version, frame.action, 'request', frame);
      return judgementOf(problem ? [...findings, problem.finding] : findings, frame.action);
    }
    case MessageType.CallResult: {
      const match = correlator.onResponse(direction, frame.messageId, 'CALLRESULT', atMs);
      const problem = match.action ? payloadProblemOf(verdict, version, match.action, 'response', frame) : undefined;
      return responseJudgement(match, problem ? [...match.findings, problem.finding] : match.findings);
    }
    case MessageType.CallError: {
      const match = correlator.onResponse(direction, frame.messageId, 'CALLERROR', atMs);
      return responseJudgement(match, [...match.findings, ...checkErrorFrame(frame, version)]);
    }
    default:
      return judgementOf(checkErrorFrame(frame, version));
  }
}

function responseJudgement(match: { action?: string; callRef?: number; findings: Finding[] }, findings: Finding[]): Judgement {
  const judgement = judgementOf(findings, match.action);
  judgement.correlatesWith = match.callRef;
  judgement.orphan = match.findings.some((finding) => finding.code === 'orphan-response');
  return judgement;
}

function judgeBroken(problem: FrameProblem, record: TraceRecord, version: OcppVersion, conversation: Conversation, index: number, atMs: number): Judgement {
  // A broken CALL may be answered with its id, or "-1"; whether it must be depends on the version (isAnswerOwed).
  if (problem.reply !== 'callerror') return judgementOf([findingOfFrameProblem(version, problem)]);
  conversation.brokenFrames.add(index);
  const dropped = conversation.correlator.onBrokenCall(record.direction, problem.messageId ?? UNREADABLE_MESSAGE_ID, problem.action ?? BROKEN_FRAME, index, atMs, isAnswerOwed(version, problem));
  const judgement = judgementOf([findingOfFrameProblem(version, problem), ...dropped]);
  judgement.awaitsAnswer = true;
  return judgement;
}

// What the conversation rules see of a record: the frame as parsed, and the action correlation found.
export function observedFrame(record: TraceRecord, judged: Judgement): ObservedFrame {
  // A canonical raw holds no number literal other than String(value): the datatype rules need not read it.
  const frame = judged.frame;
  if (!frame) return { direction: record.direction, messageType: 'INVALID', raw: frameTextOf(record) };
  // The datatypes were checked already when the verdict is for the check the rules would make.
  const verdict = judged.verdict;
  const checked = verdict && verdict.action === judged.action && verdict.kind === (frame.type === MessageType.CallResult ? 'response' : 'request');
  const isError = 'errorCode' in frame;
  // All fields, set or not: one object shape for the rules, which read it for every record.
  return {
    direction: record.direction, messageType: nameOfMessageType(frame.type), messageId: frame.messageId, action: judged.action,
    // A worker thread leaves out a request payload that no rule reads any more (trace-workers.ts).
    payload: isError ? undefined : frame.payload, errorCode: isError ? frame.errorCode : undefined,
    raw: typeof record.raw === 'string' && !judged.canonicalRaw ? record.raw : undefined,
    schemaValid: judged.schemaValid, datatypeFindings: checked ? verdict.datatypes : undefined,
  };
}

export function timeOf(record: TraceRecord): number {
  const parsed = typeof record.timestamp === 'string' ? (utcTimeOf(record.timestamp) ?? Date.parse(record.timestamp)) : Date.parse(record.timestamp);
  return Number.isNaN(parsed) ? 0 : parsed;
}

/**
 * The time of a timestamp in the form the harness writes, `2026-11-21T00:00:00.000Z`, read without
 * Date.parse (a good part of the work per record); undefined for any other form, and for a day
 * its month does not have, which Date.parse reads then.
 */
function utcTimeOf(text: string): number | undefined {
  const fields = text.length === 24 && text[19] === '.' && text[23] === 'Z' ? dateTimeFieldsOf(text) : undefined;
  if (!fields) return undefined;
  const [year, month, day, hour, minute, second] = fields;
  const ms = digitsValue(text, 20, 23);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}
