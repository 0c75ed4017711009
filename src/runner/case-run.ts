import type { Payload } from '../protocol/index.js';
import type { CallReply, TraceRecord } from '../session/index.js';
import { RUN_UNIQUE_INTEGERS, matchPayload, renderValue, type MessageExpectation, type MessageSelector, type TemplateContext, type TestCase } from '../testcase/index.js';
import type { CaseEnvironment } from './case-environment.js';
import { csmsEndpointsView } from './csms-endpoints.js';
import type { PendingCall } from './station-link.js';
import { failStep, type StepStop } from './step-stop.js';

/** Template scope of a step: the parameters of the state it belongs to, and the forEach item. */
export interface StepScope {
  params?: Record<string, unknown>;
  item?: Record<string, unknown>;
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
 */
export class CaseRun {
  readonly captured: Record<string, unknown> = {};
  /** Record count at the start of each named step, for `since`. */
  readonly marks = new Map<string, number>();
  /** CALLs already answered as background traffic but not yet consumed by an expect step. */
  private readonly seen: PendingCall[] = [];
  /** CALLs nobody has answered yet, waiting for a step that expects them. */
  private readonly inbox: PendingCall[] = [];
  private readonly forbids: MessageSelector[][] = [];
  private waiter: Waiter | undefined;
  private stop: StepStop | undefined;
  private readonly stopListeners = new Set<() => void>();
  private finished = false;

  /** The harness's CSMS endpoints as this case sees them (`csms.*`), harness as CSMS only. */
  private readonly csms: Record<string, unknown> | undefined;

  /** `unique.<name>`: drawn on first use, then the same for the rest of the case. */
  private readonly uniqueValues = new Map<string, number>();
  private readonly unique = (name: string): number => {
    const value = this.uniqueValues.get(name) ?? RUN_UNIQUE_INTEGERS.next(name);
    this.uniqueValues.set(name, value);
    return value;
  };

  /** `records`: the case's trace records, in order, filled as they happen. */
  constructor(readonly testCase: TestCase, readonly env: CaseEnvironment, readonly records: TraceRecord[]) {
    this.csms = env.link.options.role === 'csms' ? csmsEndpointsView(env.link, env.newRootPort) : undefined;
  }

  /** Template context for a step's payloads and patterns. */
  templateContext(scope: StepScope = {}): TemplateContext {
    return { config: this.env.templateConfig, captured: this.captured, ...scope, ...(this.env.files ? { files: this.env.files } : {}), ...(this.env.pki ? { pki: this.env.pki } : {}), ...(this.csms ? { csms: this.csms } : {}), unique: this.unique, clock: this.env.clock };
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

  /** Routes a CALL from the SUT: to the waiting step, else answered as background, else kept for a later step. */
  deliver(pending: PendingCall): void {
    if (this.finished) return this.answerLeftover(pending);
    const forbidden = this.forbiddenBy(pending);
    if (forbidden) {
      this.answerBackground(pending);
      return this.stopWith(failStep(`no ${forbidden.action} while this step runs`, `the SUT sent ${pending.call.action} ${JSON.stringify(pending.call.payload)}`));
    }
    if (this.waiter && this.waiter.claim(pending) === 'take') {
      const waiter = this.waiter;
      this.waiter = undefined;
      return waiter.resolve(pending);
    }
    if (this.hasBackgroundReply(pending.call.action)) {
      this.answerBackground(pending);
      this.seen.push(pending);
    } else {
      this.inbox.push(pending);
    }
  }

  /**
   * Resolves with the first CALL — already received and unconsumed, or arriving within the
   * timeout — that `claim` takes; undefined on timeout or when the case is stopped.
   */
  awaitCall(claim: (pending: PendingCall) => Claim, timeoutMs: number): Promise<PendingCall | undefined> {
    for (const queue of [this.inbox, this.seen]) {
      const index = queue.findIndex((pending) => claim(pending) === 'take');
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0]);
    }
    if (this.stop) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const finish = (pending: PendingCall | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        if (this.waiter === waiter) this.waiter = undefined;
        resolve(pending);
      };
      const waiter: Waiter = { claim, resolve: finish };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const unsubscribe = this.onStop(() => finish(undefined));
      this.waiter = waiter;
    });
  }

  /** The CALLs received but not consumed by any step, for "Actual:" lines. */
  unconsumed(): PendingCall[] {
    return [...this.inbox, ...this.seen].sort((a, b) => a.receivedAtMs - b.receivedAtMs);
  }

  /** Answers a CALL per an expectation (its reply, error or silence), else per the background defaults. */
  answer(pending: PendingCall, expectation: MessageExpectation | undefined, scope: StepScope): void {
    if (pending.answered) return;
    if (expectation?.noReply) return pending.respond({ noReply: true });
    if (expectation?.replyError) return pending.respond({ error: expectation.replyError.code, description: expectation.replyError.description ?? '' });
    if (expectation?.reply) return pending.respond({ payload: this.render(expectation.reply, scope) as Payload });
    this.answerBackground(pending);
  }

  /** Ends the case: later CALLs and those still waiting get the leftover answer. */
  finish(): void {
    this.finished = true;
    this.waiter?.resolve(undefined);
    for (const pending of this.inbox.splice(0)) this.answerLeftover(pending);
    this.seen.length = 0;
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

  /** Options for payload matching. */
  get matchOptions() {
    return { timeToleranceMs: this.env.config.timeouts.timeToleranceMs };
  }

  private hasBackgroundReply(action: string): boolean {
    return this.env.backgroundReplies[action] !== undefined;
  }

  private answerBackground(pending: PendingCall): void {
    const template = this.env.backgroundReplies[pending.call.action];
    pending.respond(template === undefined ? { payload: {} } : { payload: this.render(template) as Payload });
  }

  private answerLeftover(pending: PendingCall): void {
    if (this.hasBackgroundReply(pending.call.action)) return this.answerBackground(pending);
    const reply: CallReply = { error: 'GenericError', description: `ocpp-harness: no step of ${this.testCase.id} expected ${pending.call.action} at this point` };
    pending.respond(reply);
  }
}
