import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  ConversationRules, Correlator, FindingGroups, MessageType, answerIdOf, checkErrorFrame, checkPayloadWith, createFinding, directionFrom,
  errorDescription, isRpcErrorCode, findingOfFrameProblem, nameOfMessageType, oppositeOf, parseFrame, schemasOf, serializeFrame, wireErrorCode,
  type CallErrorFrame, type Direction, type Finding, type Frame, type FrameProblem, type OcppVersion,
  type Payload, type Role, type SchemaRegistry,
} from '../protocol/index.js';
import type { CloseInfo, PeerFault } from '../transport/index.js';
import { handlerFailure, isPromiseLike, type CallHandler, type CallOutcome, type CallReply, type FaultyCall, type IncomingCall } from './call-outcome.js';
import { OutgoingCalls, type QueuedCall } from './outgoing-calls.js';
import { recordOfPeerFault } from './peer-fault-record.js';
import type { SessionEvents, SessionOptions } from './session-options.js';
import { createRecord, recordFieldsOf, type RecordFields, type TraceContext, type TraceEvent, type TraceMessageType, type TraceRecord } from './trace-record.js';

const DEFAULT_CALL_TIMEOUT_MS = 30_000;
/** Per-connection correlation memory, live: room for a flood burst the harness has not answered yet. */
const LIVE_CONVERSATION_MEMORY = 200_000;

/**
 * One OCPP-J conversation over one connection, in either role: framing, schema checks,
 * correlation, timeouts and the trace. Our CALLs go out one at a time; the peer's CALLs go to
 * the call handler; everything that crosses the wire is recorded before it is acted on.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly version: OcppVersion;
  readonly role: Role;
  /** Issue 14: a flood of one finding keeps its first few in full and counts the rest. */
  private readonly findingGroups = new FindingGroups();
  /** Test and step ids stamped on every following record. */
  readonly context: TraceContext;
  private readonly ours: Direction;
  private readonly theirs: Direction;
  private readonly correlator: Correlator;
  private readonly rules: ConversationRules;
  private readonly outgoing: OutgoingCalls;
  private readonly callTimeoutMs: number;
  private readonly validate: boolean;
  private readonly schemas: SchemaRegistry;
  private handler: CallHandler | undefined;
  private refCounter = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;

  constructor(private readonly options: SessionOptions) {
    super();
    this.version = options.version;
    this.role = options.role;
    this.ours = directionFrom(options.role);
    this.theirs = oppositeOf(this.ours);
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.validate = options.validate ?? true;
    this.schemas = schemasOf(this.version);
    // Live, the harness answers every CALL it receives, a turn after it came: the CALLs open at once
    // are those of one flood burst, never abandoned ones, so giving up on the oldest (a trace
    // reader's bound) would blame the SUT for the harness's own pending answer.
    this.correlator = new Correlator(this.version, { callTimeoutMs: this.callTimeoutMs, memory: LIVE_CONVERSATION_MEMORY });
    // The heartbeat spacing is judged on a real station only: as a station, the harness is scripted.
    this.rules = new ConversationRules(this.schemas, { heartbeat: options.role === 'csms' });
    this.outgoing = new OutgoingCalls((call) => this.onCallTimeout(call));
    const connection = options.connection;
    this.context = { ocppVersion: this.version, chargePointId: connection.handshake.stationId, connectionId: connection.id, ...options.context };
    this.recordEvent('cp-to-csms', { kind: 'ws-open', handshake: connection.handshake });
    connection.on('message', (text, isBinary, arrivedAtMs) => this.onMessage(text, isBinary, arrivedAtMs));
    connection.on('fault', (fault) => this.onFault(fault));
    connection.on('close', (info) => this.onClose(info));
    connection.on('pong', () => (this.awaitingPong = false));
    if (options.pingIntervalMs) this.startPinging(options.pingIntervalMs);
  }

  /** The findings of the conversation so far, repeated ones grouped (see FindingGroups). */
  get findings(): Finding[] {
    return this.findingGroups.list();
  }

  /** True while the connection is open. */
  get isOpen(): boolean {
    return this.options.connection.isOpen;
  }

  /** The station identity of the connection. */
  get stationId(): string {
    return this.context.chargePointId;
  }

  /** Sets the function that answers the peer's CALLs (without one, they get NotSupported). */
  setCallHandler(handler: CallHandler | undefined): void {
    this.handler = handler;
  }

  /** Sends a CALL when our previous one is settled, and resolves with how it ended. */
  call(action: string, payload: Payload, options: { timeoutMs?: number } = {}): Promise<CallOutcome> {
    return new Promise((resolve) => {
      const call: QueuedCall = { action, payload, timeoutMs: options.timeoutMs ?? this.callTimeoutMs, resolve };
      const ready = this.outgoing.enqueue(call);
      if (ready) this.transmitCall(ready);
    });
  }

  /** Sends an OCPP 2.1 SEND: an unconfirmed message that may go out while a CALL is on the wire. */
  send(action: string, payload: Payload): void {
    const messageId = randomUUID();
    const findings = this.correlator.onSend(this.ours, messageId, action);
    this.addPayloadFinding(findings, action, 'request', payload, messageId);
    this.transmit({ type: MessageType.Send, messageId, action, payload }, findings, action);
  }

  /**
   * Sends text exactly as given, bypassing every rule of our own (to exercise a peer with broken
   * or out-of-order frames). It is recorded and correlated like any other frame; `deliberate`
   * marks the record as invalid on purpose (a negative test), so its findings accuse no one.
   */
  sendRaw(text: string, options: { deliberate?: boolean } = {}): TraceRecord {
    const parsed = parseFrame(text, this.version);
    const at = performance.now();
    const mark = options.deliberate ? { meta: { deliberate: true } } : {};
    let record: TraceRecord;
    if (!parsed.ok) {
      record = this.record(this.ours, 'INVALID', { raw: text, ...mark }, [findingOfFrameProblem(this.version, parsed.problem)]);
      this.awaitAnswerToBroken(this.ours, parsed.problem, at);
    } else {
      const findings: Finding[] = [];
      const action = this.correlateOutgoing(parsed.frame, at, findings);
      record = this.record(this.ours, nameOfMessageType(parsed.frame.type), { ...recordFieldsOf(parsed.frame, action, text), ...mark }, findings);
    }
    this.options.connection.send(text);
    return record;
  }

  /** Closes the connection with a closing handshake. */
  close(code = 1000, reason = ''): Promise<CloseInfo> {
    this.options.connection.close(code, reason);
    return this.options.connection.whenClosed();
  }

  /** Resolves once the connection has closed. */
  whenClosed(): Promise<CloseInfo> {
    return this.options.connection.whenClosed();
  }

  private transmitCall(call: QueuedCall): void {
    const messageId = randomUUID();
    const findings = this.correlator.onCall(this.ours, messageId, call.action, this.refCounter, performance.now());
    this.addPayloadFinding(findings, call.action, 'request', call.payload, messageId);
    this.outgoing.markSent(call, messageId);
    const sent = this.transmit({ type: MessageType.Call, messageId, action: call.action, payload: call.payload }, findings, call.action);
    if (!sent) this.settle(messageId, { kind: 'closed', messageId });
  }

  private transmit(frame: Frame, findings: Finding[], action?: string): boolean {
    const interceptor = this.options.outgoing;
    if (!interceptor) return this.put(frame, findings, action);
    const verdict = interceptor(frame, action);
    if ('drop' in verdict) return true;
    if ('close' in verdict) {
      this.options.connection.terminate();
      return false;
    }
    if (!verdict.delayMs) return this.put(verdict.send, findings, action);
    setTimeout(() => this.put(verdict.send, findings, action), verdict.delayMs);
    return true;
  }

  private put(frame: Frame, findings: Finding[], action?: string): boolean {
    // The trace shows what crossed the wire: an answer built after the connection closed never did.
    if (!this.options.connection.isOpen) return false;
    const raw = serializeFrame(frame);
    this.record(this.ours, nameOfMessageType(frame.type), recordFieldsOf(frame, action, raw), findings);
    return this.options.connection.send(raw);
  }

  private settle(messageId: string, outcome: CallOutcome): boolean {
    const { settled, next } = this.outgoing.settle(messageId, outcome);
    if (next) this.transmitCall(next);
    return settled;
  }

  /** `at` is the arrival time: frames are dated and correlated by when they arrived (OCPP-J §4.1.1). */
  private onMessage(text: string, isBinary: boolean, at: number): void {
    const parsed = parseFrame(text, this.version);
    const findings: Finding[] = [];
    // OCPP-J §4.1.2: OCPP-J messages are UTF-8 text frames.
    if (isBinary) findings.push(createFinding(this.version, 'binary-frame', 'message arrived in a binary WebSocket frame'));
    if (!parsed.ok) return this.onBrokenFrame(text, parsed.problem, findings, at);
    const frame = parsed.frame;
    switch (frame.type) {
      case MessageType.Call:
        return this.onIncomingCall(frame.messageId, frame.action, frame.payload, text, findings, at);
      case MessageType.Send:
        return this.onIncomingSend(frame.messageId, frame.action, frame.payload, text, findings, at);
      case MessageType.CallResult:
        return this.onIncomingResult(frame.messageId, frame.payload, text, findings, at);
      default:
        return this.onIncomingError(frame, text, findings, at);
    }
  }

  private onIncomingCall(messageId: string, action: string, payload: Payload, raw: string, findings: Finding[], at: number): void {
    findings.push(...this.correlator.onCall(this.theirs, messageId, action, this.refCounter, at));
    const problem = this.validate ? checkPayloadWith(this.schemas, action, 'request', payload, messageId) : undefined;
    if (problem) findings.push(problem.finding);
    this.record(this.theirs, 'CALL', { messageId, action, payload, raw }, findings, undefined, at);
    // Answered on the next turn of the event loop, so that every frame that has arrived meanwhile
    // is recorded and correlated first: a second CALL sent before this answer is then seen as such.
    setImmediate(() => {
      const refuse = problem && (problem.errorCode === 'NotImplemented' || this.options.invalidCalls !== 'deliver');
      if (!refuse) return this.answer(problem ? { messageId, action, payload, problem } : { messageId, action, payload });
      const faulty: FaultyCall = { frame: 'call', errorCode: problem.errorCode, owed: true, messageId, readId: messageId, action, description: problem.description };
      this.answerFaulty(faulty, () => this.answer({ messageId, action, payload, problem }));
    });
  }

  private answer(call: IncomingCall): void {
    let reply: CallReply | PromiseLike<CallReply>;
    try {
      reply = this.handler ? this.handler(call) : { error: 'NotSupported', description: `no handler for ${call.action}` };
    } catch (error) {
      reply = handlerFailure(error);
    }
    // A handler that answers at once is answered at once: no promise on the common path.
    if (isPromiseLike(reply)) reply.then((settled) => this.sendReply(call, settled), (error: unknown) => this.sendReply(call, handlerFailure(error)));
    else this.sendReply(call, reply);
  }

  private sendReply(call: IncomingCall, reply: CallReply): void {
    // We withhold the answer on purpose: the peer may give up after its own timeout, which we
    // cannot know, and send its next CALL; that is not a second outstanding CALL (OCPP-J §4.1.1).
    if ('noReply' in reply) return this.correlator.onTimeout(this.theirs, call.messageId);
    if ('payload' in reply) {
      const findings: Finding[] = [];
      this.correlator.onResponse(this.ours, call.messageId, 'CALLRESULT', performance.now());
      this.addPayloadFinding(findings, call.action, 'response', reply.payload, call.messageId);
      this.transmit({ type: MessageType.CallResult, messageId: call.messageId, payload: reply.payload }, findings, call.action);
      return;
    }
    this.replyError(call.messageId, call.action, reply.error, reply.description ?? '', reply.details);
  }

  private replyError(messageId: string, action: string | undefined, code: string, description: string, details: Payload = {}): void {
    this.sendError(messageId, action, isRpcErrorCode(code) ? wireErrorCode(this.version, code) : code, description, details);
  }

  /** Sends a CALLERROR with `errorCode` exactly as given (wire spelling). */
  private sendError(messageId: string, action: string | undefined, errorCode: string, description: string, details: Payload = {}): void {
    this.correlator.onResponse(this.ours, messageId, 'CALLERROR', performance.now());
    const frame: CallErrorFrame = { type: MessageType.CallError, messageId, errorCode, errorDescription: errorDescription(description), errorDetails: details };
    this.transmit(frame, [], action);
  }

  private onIncomingSend(messageId: string, action: string, payload: Payload, raw: string, findings: Finding[], at: number): void {
    findings.push(...this.correlator.onSend(this.theirs, messageId, action));
    this.addPayloadFinding(findings, action, 'request', payload, messageId);
    const record = this.record(this.theirs, 'SEND', { messageId, action, payload, raw }, findings, undefined, at);
    // OCPP-J 2.1 §4.2.4: a SEND is never answered.
    this.emit('send', action, payload, record);
  }

  private onIncomingResult(messageId: string, payload: Payload, raw: string, findings: Finding[], at: number): void {
    const match = this.correlator.onResponse(this.theirs, messageId, 'CALLRESULT', at);
    findings.push(...match.findings);
    const problem = match.action && this.validate ? checkPayloadWith(this.schemas, match.action, 'response', payload, messageId) : undefined;
    if (problem) findings.push(problem.finding);
    this.record(this.theirs, 'CALLRESULT', { messageId, ...(match.action ? { action: match.action } : {}), payload, raw }, findings, undefined, at);
    this.settle(messageId, problem ? { kind: 'result', messageId, payload, problem } : { kind: 'result', messageId, payload });
  }

  private onIncomingError(frame: CallErrorFrame, raw: string, findings: Finding[], at: number): void {
    const { messageId, errorCode, errorDescription: description, errorDetails } = frame;
    let action: string | undefined;
    if (frame.type === MessageType.CallError) {
      const match = this.correlator.onResponse(this.theirs, messageId, 'CALLERROR', at);
      findings.push(...match.findings);
      action = match.action;
    }
    findings.push(...checkErrorFrame(frame, this.version));
    const fields = { messageId, ...(action ? { action } : {}), raw, error: { code: errorCode, description, details: errorDetails } };
    this.record(this.theirs, nameOfMessageType(frame.type), fields, findings, undefined, at);
    if (frame.type === MessageType.CallError) this.settle(messageId, { kind: 'error', messageId, errorCode, errorDescription: description, errorDetails });
  }

  private onBrokenFrame(raw: string, problem: FrameProblem, findings: Finding[], at: number): void {
    findings.push(findingOfFrameProblem(this.version, problem));
    this.record(this.theirs, 'INVALID', { raw, ...(problem.messageId ? { messageId: problem.messageId } : {}) }, findings, undefined, at);
    const owedId = this.awaitAnswerToBroken(this.theirs, problem, at);
    const faulty: FaultyCall = { frame: 'broken', errorCode: problem.errorCode, owed: owedId !== undefined, messageId: answerIdOf(problem), description: problem.description };
    if (problem.messageId !== undefined) faulty.readId = problem.messageId;
    if (problem.action !== undefined) faulty.action = problem.action;
    setImmediate(() => this.answerFaulty(faulty));
  }

  /**
   * Answers a faulty frame by the OCPP-J rule (a CALLERROR with the rule's code and id, or nothing
   * when none is owed), unless a reference's fault policy says otherwise. `process` handles a
   * well-framed CALL as if it were valid.
   */
  private answerFaulty(call: FaultyCall, process?: () => void): void {
    const byRule = !call.owed ? { answer: 'none' as const } : { answer: 'callerror' as const, errorCode: wireErrorCode(this.version, call.errorCode), messageId: call.messageId };
    const answer = this.options.faultyCalls?.(call, this.version) ?? byRule;
    switch (answer.answer) {
      case 'callerror':
        return this.sendError(answer.messageId, call.action, answer.errorCode, call.description);
      case 'close':
        return this.options.connection.terminate();
      case 'process':
        return process?.();
      default:
        return undefined;
    }
  }

  /**
   * OCPP-J 2.0.1 §4.2.3: a broken CALL is answered with its id, or "-1" when the id could not be
   * read. An id that breaks string[36] (empty, over 36 characters) is no id an answer may carry
   * either: we never send an invalid frame, so it is answered with "-1" too (issue 13). The CALL
   * is registered under the answer's id, so the answer correlates like any other; returns it.
   */
  private awaitAnswerToBroken(direction: Direction, problem: FrameProblem, at: number): string | undefined {
    if (problem.reply !== 'callerror') return undefined;
    const messageId = answerIdOf(problem);
    // A frame that reads as a CALL (only its id is wrong) is a CALL; garbage may not even have meant
    // one, so it never makes the sender's next CALL concurrent (OCPP-J §4.1.1 counts CALLs).
    if (problem.frame) this.correlator.onCall(direction, messageId, problem.action ?? '(invalid frame)', this.refCounter, at);
    else this.correlator.onBrokenCall(direction, messageId, problem.action ?? '(invalid frame)', this.refCounter, at, true);
    return messageId;
  }

  private onCallTimeout(call: QueuedCall): void {
    const messageId = call.messageId!;
    this.correlator.onTimeout(this.ours, messageId);
    const finding = createFinding(this.version, 'call-timeout', `no answer to CALL ${call.action} (message id "${messageId}") within ${call.timeoutMs} ms`, messageId);
    this.recordEvent(this.ours, { kind: 'call-timeout', messageId, action: call.action, timeoutMs: call.timeoutMs }, [finding]);
    this.settle(messageId, { kind: 'timeout', messageId, timeoutMs: call.timeoutMs });
  }

  /** Issue 14: what the peer did that made the connection close is a finding on the peer, traced before the close. */
  private onFault(fault: PeerFault): void {
    const traced = recordOfPeerFault(this.version, fault);
    if (traced.messageType === 'INVALID') this.record(this.theirs, 'INVALID', traced.fields, [traced.finding], undefined, traced.atMs);
    else this.recordEvent(this.theirs, traced.event, [traced.finding]);
  }

  private onClose(info: CloseInfo): void {
    clearInterval(this.pingTimer);
    const closer = info.initiatedBy === 'local' ? this.ours : this.theirs;
    this.recordEvent(closer, { kind: 'ws-close', close: info });
    this.outgoing.settleAll((call) => (call.messageId ? { kind: 'closed', messageId: call.messageId } : { kind: 'closed' }));
    this.emit('close', info);
  }

  private startPinging(intervalMs: number): void {
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong) {
        const finding = createFinding(this.version, 'pong-missing', `no pong within ${intervalMs} ms of a ping`);
        this.recordEvent(this.theirs, { kind: 'pong-missing', waitedMs: intervalMs }, [finding]);
      }
      this.awaitingPong = true;
      this.options.connection.ping();
    }, intervalMs);
  }

  private correlateOutgoing(frame: Frame, at: number, findings: Finding[]): string | undefined {
    if (frame.type === MessageType.Call) {
      findings.push(...this.correlator.onCall(this.ours, frame.messageId, frame.action, this.refCounter, at));
      return frame.action;
    }
    if (frame.type === MessageType.Send) return frame.action;
    if (frame.type === MessageType.CallResultError) return undefined;
    const match = this.correlator.onResponse(this.ours, frame.messageId, frame.type === MessageType.CallResult ? 'CALLRESULT' : 'CALLERROR', at);
    findings.push(...match.findings);
    return match.action;
  }

  private addPayloadFinding(findings: Finding[], action: string, kind: 'request' | 'response', payload: Payload, messageId: string): void {
    if (!this.validate) return;
    const problem = checkPayloadWith(this.schemas, action, kind, payload, messageId);
    if (problem) findings.push(problem.finding);
  }

  private recordEvent(direction: Direction, event: TraceEvent, findings: Finding[] = []): TraceRecord {
    return this.record(direction, 'EVENT', {}, findings, event);
  }

  private record(direction: Direction, messageType: TraceMessageType, fields: RecordFields, findings: Finding[], event?: TraceEvent, atMs?: number): TraceRecord {
    this.refCounter++;
    if (messageType !== 'EVENT') {
      const frame = { direction, messageType, ...fields, ...(fields.error ? { errorCode: fields.error.code } : {}) };
      findings.push(...this.rules.check(frame, atMs ?? performance.now()));
    }
    const record = createRecord(this.context, direction, messageType, fields, findings, event, atMs);
    this.options.trace.write(record);
    this.emit('record', record);
    for (const finding of findings) {
      this.findingGroups.add(this.options.connection.id, finding, record.timestamp);
      this.emit('finding', finding, record);
    }
    return record;
  }
}
