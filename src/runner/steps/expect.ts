import {
  capturesSchema, describePattern, matchPayload, messageExpectationSchema, patternSchema, type MessageExpectation, type Mismatch, type Step, type StepCheckContext, type FieldPath,
} from '../../testcase/index.js';
import type { CaseRun, Claim, StepScope } from '../case-run.js';
import type { PendingCall } from '../sut-link.js';
import { failStep, jsonText } from '../step-stop.js';
import { captureValues } from './capture-values.js';
import type { StepKind } from './step-kind.js';

/** Wait for a CALL from the SUT matching one of the alternatives, and answer it. */
export interface ExpectStep extends Step {
  kind: 'expect';
  alternatives: MessageExpectation[];
  /** Messages the SUT may send before the expected one; they are answered and recorded. */
  allow: MessageExpectation[];
}

const { match, capture, reply, replyError, noReply } = messageExpectationSchema.properties;

/** `expect: Action` (with match, capture, reply...) or `expect: { anyOf: [...] }`. */
export const expectKind: StepKind<ExpectStep> = {
  name: 'expect',
  summary: 'Wait for a CALL from the SUT, answer it, and keep values from it.',
  fields: {
    expect: {
      description: 'Wait for a CALL from the SUT: an action name, or { anyOf: [ {action, match, capture, reply}, ... ] }.',
      oneOf: [
        { type: 'string' },
        { type: 'object', additionalProperties: false, required: ['anyOf'], properties: { anyOf: { type: 'array', minItems: 1, items: messageExpectationSchema } } },
      ],
    },
    match: patternSchema, capture: capturesSchema, reply, replyError, noReply,
    allow: { type: 'array', items: messageExpectationSchema, description: 'Messages the SUT may send before the expected one (answered and recorded).' },
  },
  timeout: 'messageMs',
  normalise: (raw, common) => ({ ...common, kind: 'expect', alternatives: alternativesOf(raw), allow: (raw['allow'] ?? []) as MessageExpectation[] }),
  check: checkExpect,
  describe: (step) => `expect ${step.alternatives.map((a) => `${a.action}Request`).join(' or ')}`,
  captures: (step) => step.alternatives.flatMap((alternative) => Object.keys(alternative.capture ?? {})),
  expectations: (step, scopes) => [
    ...scopes.flatMap((scope) => step.alternatives.map((expectation) => ({ expectation, scope }))),
    ...step.allow.map((expectation) => ({ expectation, scope: {} })),
  ],
  run: async (step, { run, items, timeoutMs }) => (await runExpect(step, run, items, timeoutMs)).summary,
};

function alternativesOf(raw: Record<string, unknown>): MessageExpectation[] {
  const expected = raw['expect'];
  if (typeof expected !== 'string') return (expected as { anyOf: MessageExpectation[] }).anyOf;
  const expectation: MessageExpectation = { action: expected };
  for (const key of ['match', 'capture', 'reply', 'replyError', 'noReply'] as const) {
    if (raw[key] !== undefined) (expectation as unknown as Record<string, unknown>)[key] = raw[key];
  }
  return [expectation];
}

function checkExpect(raw: Record<string, unknown>, path: FieldPath, check: StepCheckContext): void {
  const expected = raw['expect'];
  const alternatives = typeof expected === 'string' ? [{ ...raw, action: expected }] : ((expected as { anyOf: Array<Record<string, unknown>> }).anyOf);
  alternatives.forEach((alternative, index) => {
    const where = typeof expected === 'string' ? path : [...path, 'expect', 'anyOf', index];
    check.action(String(alternative['action']), typeof expected === 'string' ? [...path, 'expect'] : [...where, 'action']);
    check.match(alternative['match'], [...where, 'match']);
    check.captures(alternative['capture'], [...where, 'capture']);
    check.templates(alternative['reply'], [...where, 'reply']);
  });
  ((raw['allow'] ?? []) as Array<Record<string, unknown>>).forEach((allowed, index) => {
    check.action(String(allowed['action']), [...path, 'allow', index, 'action']);
    check.match(allowed['match'], [...path, 'allow', index, 'match']);
    check.templates(allowed['reply'], [...path, 'allow', index, 'reply']);
  });
}

/** One thing the step still waits for: a forEach item (or the single case) and its rendered alternatives. */
interface Wanted {
  scope: StepScope;
  alternatives: Array<{ expectation: MessageExpectation; pattern: unknown }>;
}

/**
 * Runs an expect step: waits for a CALL from the SUT matching one alternative (per forEach
 * item, in any order), answers it (unless the lookahead already did), and captures values. A
 * CALL of an expected action that does not match fails the step, also one already answered with
 * the default reply; an action with a configured background reply is background traffic instead
 * (answered as such, and the step keeps waiting).
 */
export async function runExpect(step: ExpectStep, run: CaseRun, items: StepScope[], timeoutMs: number): Promise<{ summary: string; matched: MessageExpectation[] }> {
  const wanted: Wanted[] = items.map((scope) => ({ scope, alternatives: step.alternatives.map((expectation) => ({ expectation, pattern: renderPattern(run, expectation, scope) })) }));
  const allowed = step.allow.map((expectation) => ({ expectation, pattern: renderPattern(run, expectation, {}) }));
  const expectedActions = new Set(step.alternatives.map((alternative) => alternative.action));
  const deadline = performance.now() + timeoutMs;
  const seen: string[] = [];
  const matched: MessageExpectation[] = [];
  while (wanted.length > 0) {
    const claim = (pending: PendingCall): Claim => (claimOf(pending, wanted, allowed, expectedActions, run) ? 'take' : 'skip');
    const pending = await run.awaitCall(claim, Math.max(0, deadline - performance.now()));
    if (run.pendingStop) throw run.pendingStop;
    if (!pending) throw failStep(expectedLines(wanted), nothingLine(run, timeoutMs));
    seen.push(pending.call.action);
    const hit = consume(pending, wanted, allowed, run);
    if (hit && matched.length === 0) markFrom(step, pending, run);
    if (hit) matched.push(hit);
  }
  return { summary: `received ${seen.join(', ')}`, matched };
}

/**
 * `since: <id>` of an expect step counts from the message it took, which may have come before the
 * step began (answered early while a synchronous device action ran), not from the step's start.
 */
function markFrom(step: ExpectStep, pending: PendingCall, run: CaseRun): void {
  if (!step.id) return;
  const at = run.records.findLastIndex((record) => record.messageType === 'CALL' && record.messageId === pending.call.messageId && record.action === pending.call.action);
  if (at >= 0 && at < (run.marks.get(step.id) ?? Infinity)) run.marks.set(step.id, at);
}

function renderPattern(run: CaseRun, expectation: MessageExpectation, scope: StepScope): unknown {
  return expectation.match === undefined ? undefined : run.render(expectation.match, scope);
}

function matches(pending: PendingCall, action: string, pattern: unknown, run: CaseRun): boolean {
  return pending.call.action === action && (pattern === undefined || matchPayload(pattern, pending.call.payload, run.matchOptions).length === 0);
}

function claimOf(pending: PendingCall, wanted: Wanted[], allowed: Wanted['alternatives'], expected: Set<string>, run: CaseRun): boolean {
  if (wanted.some((entry) => entry.alternatives.some(({ expectation, pattern }) => matches(pending, expectation.action, pattern, run)))) return true;
  if (allowed.some(({ expectation, pattern }) => matches(pending, expectation.action, pattern, run))) return true;
  // The expected action with the wrong content is the SUT's mistake, unless it is background traffic.
  return expected.has(pending.call.action) && pending.answeredWith !== 'background' && run.env.backgroundReplies[pending.call.action] === undefined;
}

/** Answers a taken CALL; returns the expectation it fulfilled (undefined for an allowed extra). */
function consume(pending: PendingCall, wanted: Wanted[], allowed: Wanted['alternatives'], run: CaseRun): MessageExpectation | undefined {
  const { call } = pending;
  for (const [index, entry] of wanted.entries()) {
    const hit = entry.alternatives.find(({ expectation, pattern }) => matches(pending, expectation.action, pattern, run));
    if (!hit) continue;
    if (call.problem) {
      run.answer(pending, undefined, entry.scope);
      throw failStep(`a valid ${call.action}Request`, `${call.action}Request breaks its schema: ${call.problem.description} [${call.problem.finding.rule}]`);
    }
    captureValues(hit.expectation.capture, call.payload, run, entry.scope, `${call.action}Request`);
    run.relay.note(call.action, hit.pattern, call.payload, call.messageId);
    run.answer(pending, hit.expectation, entry.scope);
    if (run.pendingStop) throw run.pendingStop;
    wanted.splice(index, 1);
    return hit.expectation;
  }
  const allowance = allowed.find(({ expectation, pattern }) => matches(pending, expectation.action, pattern, run));
  if (allowance) {
    run.answer(pending, allowance.expectation, {});
    if (run.pendingStop) throw run.pendingStop;
    return undefined;
  }
  // Issue 11: a mismatching CALL still gets a valid answer (the background or default reply).
  run.answer(pending, undefined, {});
  throw failStep(expectedLines(wanted), mismatchLine(pending, wanted, run));
}

function expectedLines(wanted: Wanted[]): string[] {
  return wanted.flatMap((entry) => entry.alternatives.map(({ expectation, pattern }) => `${expectation.action}Request${pattern === undefined ? '' : ` matching ${describePattern(pattern)}`}`));
}

function mismatchLine(pending: PendingCall, wanted: Wanted[], run: CaseRun): string {
  const candidates = wanted.flatMap((entry) => entry.alternatives).filter(({ expectation }) => expectation.action === pending.call.action);
  const mismatches: Mismatch[] = candidates.flatMap(({ pattern }) => (pattern === undefined ? [] : matchPayload(pattern, pending.call.payload, run.matchOptions)));
  const details = mismatches.slice(0, 4).map((m) => `${m.path || '(payload)'}: expected ${m.expected}, got ${m.actual}`).join('; ');
  const answered = pending.answeredWith === 'default' ? '; it was answered with the default reply' : '';
  return `${pending.call.action}Request ${jsonText(pending.call.payload)}${details ? ` (${details})` : ''}${answered}`;
}

function nothingLine(run: CaseRun, timeoutMs: number): string {
  const others = run.unconsumed();
  return others !== '' ? `nothing matching within ${timeoutMs} ms; received instead: ${others}` : `nothing within ${timeoutMs} ms`;
}
