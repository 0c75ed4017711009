import {
  ConversationRules, Correlator, FindingGroups, DEFAULT_CONVERSATION_MEMORY, schemasOf, createFinding, type Finding, type UnansweredCall, type OcppVersion, type Severity,
} from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import { hasTooDeepFields, versionOfRecord, type TraceLine } from './trace-reader.js';
import { loadTraceLines, type TraceInput } from './trace-source.js';
import { type Conversation, BROKEN_FRAME, judgeRecord, observedFrame, prejudgeRecord } from './record-judgement.js';

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
    // A worker thread may have done the stateless part already (trace-workers.ts); else it is done here.
    const prejudged = line.prejudged ?? prejudgeRecord(record, version);
    const { atMs } = prejudged;
    const judged = judgeRecord(record, version, conversation, line.index, prejudged);
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
