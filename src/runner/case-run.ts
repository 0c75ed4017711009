import { directionFrom, oppositeOf, type Direction, type Payload } from '../protocol/index.js';
import type { CallOutcome, Session, TraceRecord } from '../session/index.js';
import { createCsr, DEFAULT_OPERATOR, keyFitsCertificate } from '../pki/index.js';
import { RUN_UNIQUE_INTEGERS, matchPayload, readCapture, renderValue, type Capture, type MessageExpectation, type MessageSelector, type TemplateContext, type TestCase } from '../testcase/index.js';
import { answerCall, describeAnswer, type InvalidReply, type ReplyBasis } from './answer-policy.js';
import type { CaseEnvironment } from './case-environment.js';
import type { CaseRecords } from './case-records.js';
import { generateHexPassword, generatePassword } from './case-layout.js';
import { csmsEndpointsView } from './csms-endpoints.js';
import { targetView } from './target-view.js';
import { roleOf } from './harness-side.js';
import { RelayLedger } from './relay.js';
import type { StepResult } from './results.js';
import type { PendingCall } from './sut-link.js';
import { StepRecords } from './step-records.js';
import { errorStep, failStep, type StepStop } from './step-stop.js';

/** Template scope of a step: the parameters of the state it belongs to, and the forEach item. */
export interface StepScope {
  params?: Record<string, unknown>;
  /** The forEach item: a connector or EVSE of the configuration, or an element of a literal list. */
  item?: unknown;
}

/** An expectation a coming step will wait for, with the scope its templates render in (see lookahead.ts). */
export interface Upcoming {
  expectation: MessageExpectation;
  scope: StepScope;
}

/** A waiter's verdict on an incoming CALL: take it, or leave it to background handling. */
export type Claim = 'take' | 'skip';

interface Waiter {
  claim: (pending: PendingCall) => Claim;
  resolve: (pending: PendingCall | undefined) => void;
}

/**
 * The mutable state of one running case: captured values, the SUT's CALLs not yet consumed by a
 * step, the forbidden messages in force, and the case's own records. Steps read and consume from
 * here; nothing in it outlives the case.
 *
 * Issue 11: the wire never waits. A CALL no running step takes is answered at once: per the next
 * expectation of the case when it meets it (see lookahead.ts), else with the background or
 * default reply; it is kept, so that a later expect step may still consume it.
 */
export class CaseRun {
  readonly captured: Record<string, unknown> = {};
  /** Record count at the start of each named step, for `since`. */
  readonly marks = new Map<string, number>();
  /** What device actions passed on to the SUT, and which checks rested on it or on what the harness sent. */
  readonly relay = new RelayLedger((messageId) => this.harnessPayloadsBefore(messageId));
  /** CALLs answered while no step took them, not yet consumed by an expect step. */
  private readonly seen = new KeptCalls();
  /** Every CALL of the case, in arrival order, for "meanwhile" lines. */
  private readonly received = new KeptCalls();
  /** The expectations of the first step after the running one that takes a CALL. */
  private upcoming: () => readonly Upcoming[] = () => [];
  private readonly replyBasis: ReplyBasis;
  private readonly forbids: MessageSelector[][] = [];
  private waiter: Waiter | undefined;
  private stop: StepStop | undefined;
  private readonly stopListeners = new Set<() => void>();
  private finished = false;
  /** The trace records the running step took part in. */
  private stepRecords: StepRecords | undefined;
  private readonly sutDirection: Direction;

  /** The harness's CSMS endpoints as this case sees them (`csms.*`), harness as CSMS only. */
  private readonly csms: Record<string, unknown> | undefined;

  /** The CSMS under test as this case sees it (`target.*`), harness as station only. */
  private readonly target: Record<string, unknown> | undefined;

  /** `unique.<name>`: drawn on first use, then the same for the rest of the case. */
  private readonly uniqueValues = new Map<string, number>();
  private readonly unique = (name: string): number => {
    const value = this.uniqueValues.get(name) ?? RUN_UNIQUE_INTEGERS.next(name);
    this.uniqueValues.set(name, value);
    return value;
  };

  /** `secret.<name>`: a fresh password on first use, then the same for the rest of the case; a name starting `hex`: a 1.6 AuthorizationKey (hexadecimal). */
  private readonly secretValues = new Map<string, string>();
  private readonly secret = (name: string): string => {
    const value = this.secretValues.get(name) ?? (name.startsWith('hex') ? generateHexPassword() : generatePassword());
    this.secretValues.set(name, value);
    return value;
  };

  /**
   * `csr.<name>`: harness as station, a CSR with a new key on first use (A02.FR.02), then the same for
   * the rest of the case. The private key stays here, in memory: it is never traced or written.
   */
  private readonly csrKeys = new Map<string, { csrPem: string; privateKeyPem: string }>();
  private readonly csr = (name: string): string => {
    const drawn = this.csrKeys.get(name) ?? createCsr({ commonName: this.env.config.stationId, organization: this.env.config.security.organizationName ?? DEFAULT_OPERATOR });
    this.csrKeys.set(name, drawn);
    return drawn.csrPem;
  };

  /** The private key of the case's CSR a certificate was issued for (its leaf has that key), if any. */
  csrKeyFor(certificatePem: string): string | undefined {
    return [...this.csrKeys.values()].find((drawn) => keyFitsCertificate(certificatePem, drawn.privateKeyPem))?.privateKeyPem;
  }

  /** The case's trace records, in order, filled as they happen (up to CASE_RECORDS_IN_MEMORY). */
  readonly records: readonly TraceRecord[];

  constructor(readonly testCase: TestCase, readonly env: CaseEnvironment, private readonly caseRecords: CaseRecords) {
    this.records = caseRecords.records;
    this.csms = env.link.options.side === 'as-csms' ? csmsEndpointsView(env.link, env.newRootPort) : undefined;
    this.target = env.link.options.side === 'as-station' ? targetView(env.link) : undefined;
    this.sutDirection = directionFrom(testCase.sut);
    this.replyBasis = { version: testCase.ocpp, config: env.config, backgroundReplies: env.backgroundReplies, render: (template) => this.render(template), clock: env.clock };
  }

  /** How many of the case's records came past the in-memory limit (they are in the trace file only). */
  get recordsNotKept(): number {
    return this.caseRecords.notKept;
  }

  /** Tells the case run where the next expectations after the step that starts now are found. */
  runningBefore(upcoming: () => readonly Upcoming[]): void {
    this.upcoming = upcoming;
  }

  /**
   * Makes `step` the one later record notes belong to; returns the function that ends it and sets
   * `step.records`. A step within a step (a state's) takes its own records.
   */
  recordsFor(step: StepResult): () => void {
    const previous = this.stepRecords;
    const noted = new StepRecords(this.records);
    this.stepRecords = noted;
    return () => {
      step.records = noted.resolve(this.env.traceOffset ?? 0);
      this.stepRecords = previous;
    };
  }

  /** Notes records the running step judged (an assertion's messages). */
  judged(records: readonly TraceRecord[]): void {
    this.stepRecords?.noteRecords(records);
  }

  /** Sends a CALL to the SUT for the running step, which takes the CALL and its answer. */
  async call(session: Session, action: string, payload: Payload, options: { timeoutMs: number }): Promise<CallOutcome> {
    const outcome = await session.call(action, payload, options);
    if (outcome.messageId !== undefined) this.stepRecords?.noteCall(outcome.messageId, directionFrom(roleOf(this.env.link.options.side)));
    return outcome;
  }

  /**
   * The payloads the harness sent to the SUT in this case (its CALLs and its answers) before the
   * SUT's frame with `messageId` (all of them when no such frame is recorded).
   */
  private harnessPayloadsBefore(messageId: string | undefined): unknown[] {
    const at = messageId === undefined ? -1 : this.records.findIndex((record) => record.messageId === messageId && record.direction === this.sutDirection);
    const harness = oppositeOf(this.sutDirection);
    return (at < 0 ? this.records : this.records.slice(0, at))
      .filter((record) => record.direction === harness && (record.messageType === 'CALL' || record.messageType === 'CALLRESULT'))
      .map((record) => record.payload);
  }

  /** Template context for a step's payloads and patterns. */
  templateContext(scope: StepScope = {}): TemplateContext {
    return { config: this.env.templateConfig, captured: this.captured, ...scope, ...(this.env.files ? { files: this.env.files } : {}), ...(this.env.pki ? { pki: this.env.pki } : {}), ...(this.csms ? { csms: this.csms } : {}), ...(this.target ? { target: this.target } : {}), unique: this.unique, secret: this.secret, csr: this.csr, clock: this.env.clock };
  }

  /** Renders templates in a value for a step's scope. */
  render(value: unknown, scope: StepScope = {}): unknown {
    return renderValue(value, this.templateContext(scope));
  }

  /** A failure that happened while a step was waiting (a forbidden message), if any. */
  get pendingStop(): StepStop | undefined {
    return this.stop;
  }

  /** Calls `listener` when the case is stopped from outside the current step (returns an unsubscribe). */
  onStop(listener: () => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  /** Puts forbidden messages in force for the duration of a step (returns the function that lifts them). */
  forbid(selectors: MessageSelector[] | undefined): () => void {
    if (!selectors || selectors.length === 0) return () => undefined;
    this.forbids.push(selectors);
    return () => this.forbids.splice(this.forbids.indexOf(selectors), 1);
  }

  /** Routes a CALL from the SUT: to the waiting step, else answered at once and kept for a later step. */
  deliver(pending: PendingCall): void {
    if (this.finished) return void this.answer(pending, undefined, {});
    this.received.keep(pending);
    const forbidden = this.forbiddenBy(pending);
    if (forbidden) {
      this.answer(pending, undefined, {});
      return this.stopWith(failStep(`no ${forbidden.action} while this step runs`, `the SUT sent ${pending.call.action} ${JSON.stringify(pending.call.payload)}`));
    }
    if (this.waiter && this.waiter.claim(pending) === 'take') {
      const waiter = this.waiter;
      this.waiter = undefined;
      return waiter.resolve(pending);
    }
    const met = this.upcoming().find(({ expectation, scope }) => this.meets(pending, expectation, scope));
    this.seen.keep(pending);
    // The step captures before it answers; so does its early answer, into a copy (the step keeps the values when it runs).
    const captured = met ? { ...this.captured, ...capturesOf(met, pending, this) } : this.captured;
    const invalid = answerCall(pending, met?.expectation, (template) => renderValue(template, { ...this.templateContext(met?.scope), captured }), this.replyBasis);
    // A coming step's reply may name a value the running step has yet to capture: the CALL keeps
    // its default answer and the step still consumes it. Anything else is a case or config bug.
    if (invalid && !(invalid.source === 'case' && invalid.kind === 'template')) this.stopWith(invalidReplyStop(invalid));
  }

  /**
   * Resolves with the first CALL — already received and unconsumed, or arriving within the
   * timeout — that `claim` takes; undefined on timeout or when the case is stopped.
   */
  awaitCall(claim: (pending: PendingCall) => Claim, timeoutMs: number): Promise<PendingCall | undefined> {
    const index = this.seen.calls.findIndex((pending) => claim(pending) === 'take');
    if (index >= 0) return Promise.resolve(this.took(this.seen.calls.splice(index, 1)[0]!));
    if (this.stop) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const finish = (pending: PendingCall | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        if (this.waiter === waiter) this.waiter = undefined;
        resolve(pending && this.took(pending));
      };
      const waiter: Waiter = { claim, resolve: finish };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const unsubscribe = this.onStop(() => finish(undefined));
      this.waiter = waiter;
    });
  }

  /**
   * Resolves once `holds()` is true — checked after each CALL or event the SUT adds to the case's
   * records — or after the timeout, or when the case is stopped.
   */
  untilRecords(holds: () => boolean, timeoutMs: number): Promise<void> {
    const { link } = this.env;
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        link.off('call', check);
        link.off('sutEvent', check);
        unsubscribe();
        resolve();
      };
      // The record of a CALL is written before the CALL is handed on; the check runs after both.
      const check = () => setImmediate(() => holds() && finish());
      const timer = setTimeout(finish, timeoutMs);
      const unsubscribe = this.onStop(finish);
      link.on('call', check);
      link.on('sutEvent', check);
    });
  }

  /** A CALL the running step takes: it takes the CALL's record and its answer's. */
  private took(pending: PendingCall): PendingCall {
    this.stepRecords?.noteCall(pending.call.messageId, this.sutDirection);
    return pending;
  }

  /** "X (answered with the default reply), ..." for the CALLs received but not consumed by any step, or "" ("Actual:" lines). */
  unconsumed(): string {
    return this.seen.describe(0);
  }

  /** "; meanwhile the SUT sent X (answered with the default reply), ..." for the CALLs received since `sinceMs`, or "". */
  meanwhile(sinceMs: number): string {
    const calls = this.received.describe(sinceMs);
    return calls === '' ? '' : `; meanwhile the SUT sent ${calls}`;
  }

  /**
   * Answers a CALL per an expectation (its reply, error or silence), else with the background or
   * default reply. A case or background reply its schema rejects is not sent (the default reply
   * is) and stops the running step as an error: a bug of the case or the configuration.
   */
  answer(pending: PendingCall, expectation: MessageExpectation | undefined, scope: StepScope): void {
    const invalid = answerCall(pending, expectation, (template) => this.render(template, scope), this.replyBasis);
    if (invalid && !this.finished) this.stopWith(invalidReplyStop(invalid));
  }

  /** Ends the case: later CALLs get the background or default reply. */
  finish(): void {
    this.finished = true;
    this.waiter?.resolve(undefined);
    this.seen.calls.length = 0;
  }

  /** Stops the running step from outside (a forbidden message, or an interrupted run). */
  stopWith(stop: StepStop): void {
    this.stop ??= stop;
    for (const listener of [...this.stopListeners]) listener();
  }

  private forbiddenBy(pending: PendingCall): MessageSelector | undefined {
    for (const selectors of this.forbids) {
      for (const selector of selectors) {
        if (selector.action !== pending.call.action) continue;
        const pattern = selector.match === undefined ? undefined : this.render(selector.match);
        if (pattern === undefined || matchPayload(pattern, pending.call.payload, this.matchOptions).length === 0) return selector;
      }
    }
    return undefined;
  }

  /** True when a CALL is of the expectation's action and matches its pattern, rendered now in the scope. */
  meets(pending: PendingCall, expectation: MessageExpectation, scope: StepScope): boolean {
    if (pending.call.action !== expectation.action) return false;
    if (expectation.match === undefined) return true;
    try {
      return matchPayload(this.render(expectation.match, scope), pending.call.payload, this.matchOptions).length === 0;
    } catch {
      // A pattern naming a value not captured yet cannot be judged now: the expect step judges it when it runs.
      return false;
    }
  }

  /** Options for payload matching. */
  get matchOptions() {
    return { timeToleranceMs: this.env.config.timeouts.timeToleranceMs };
  }
}

/**
 * Issue 14: CALLs a case keeps for its steps and its report lines, at most CALLS_KEPT; a peer
 * that floods the case gets every CALL answered, but the case remembers only the first ones and
 * counts the rest.
 */
class KeptCalls {
  readonly calls: PendingCall[] = [];
  private notKept = 0;
  private lastNotKeptAtMs = Number.NEGATIVE_INFINITY;

  keep(pending: PendingCall): void {
    if (this.calls.length < CALLS_KEPT) this.calls.push(pending);
    else {
      this.notKept++;
      this.lastNotKeptAtMs = pending.receivedAtMs;
    }
  }

  /**
   * The kept CALLs received since `sinceMs` as one line: identical descriptions once with "×n",
   * at most LINE_ENTRIES of them, and how many more there were.
   */
  describe(sinceMs: number): string {
    const counts = new Map<string, number>();
    for (const pending of this.calls) {
      if (pending.receivedAtMs < sinceMs) continue;
      const text = `${pending.call.action} (${describeAnswer(pending)})`;
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    const entries = [...counts].map(([text, count]) => (count === 1 ? text : `${text} ×${count}`));
    const shown = entries.slice(0, LINE_ENTRIES);
    if (entries.length > LINE_ENTRIES) shown.push(`${entries.length - LINE_ENTRIES} other kinds`);
    if (this.notKept > 0 && this.lastNotKeptAtMs >= sinceMs) shown.push(`${this.notKept} more CALLs not kept (the trace has them)`);
    return shown.join(', ');
  }
}

const CALLS_KEPT = 1_000;
const LINE_ENTRIES = 10;

/** The values an upcoming expectation's captures would keep from a CALL (those it can read now; the step judges the rest). */
function capturesOf({ expectation, scope }: Upcoming, pending: PendingCall, run: CaseRun): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, capture] of Object.entries(expectation.capture ?? {})) {
    try {
      const found = readCapture(pending.call.payload, typeof capture === 'string' ? capture : (run.render(capture, scope) as Capture), run.matchOptions);
      if (found.found) values[name] = found.value;
    } catch {
      // A capture naming a value not captured yet: the step reads it when it runs.
    }
  }
  return values;
}

function invalidReplyStop({ action, source, kind, problem }: InvalidReply): StepStop {
  const whose = source === 'case' ? "the case's reply" : 'the configured background reply';
  const what = kind === 'schema' ? `breaks its schema: ${problem}` : `cannot be rendered: ${problem}`;
  return errorStep(`a valid ${action}Response to send`, `${whose} to ${action} ${what}; the default reply was sent instead`);
}
