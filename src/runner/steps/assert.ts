import { directionFrom } from '../../protocol/index.js';
import type { TraceRecord } from '../../session/index.js';
import { describePattern, matchPayload, text, type AssertSelector, type Pattern, type Step } from '../../testcase/index.js';
import { CASE_RECORDS_IN_MEMORY } from '../case-records.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { inconclusiveStep } from '../step-stop.js';
import { harnessSideAgainst, roleOf } from '../harness-side.js';
import { ASSERTION_KINDS, contentOf, type Assertion, type AssertionKind } from './assertions/index.js';
import { perItem, type StepKind } from './step-kind.js';

/** Assert over the history of the case. */
export interface AssertStep extends Step {
  kind: 'assert';
  assertion: Assertion;
}

const assertionKind = (assertion: Assertion): AssertionKind => ASSERTION_KINDS.find((kind) => kind.name === assertion.type)!;

/** `assert: { <assertion kind>: <selector>, since? }`. */
export const assertKind: StepKind<AssertStep> = {
  name: 'assert',
  summary: 'Judge the messages (or events) of the case so far, or since a named step.',
  fields: {
    assert: {
      type: 'object', additionalProperties: false,
      oneOf: ASSERTION_KINDS.map((kind) => ({ required: [kind.name] })),
      properties: { ...Object.fromEntries(ASSERTION_KINDS.map((kind) => [kind.name, kind.schema])), since: text('Step id from which to look.') },
    },
  },
  // What must be there may still be on its way: it is awaited for as long as a message.
  timeout: 'messageMs',
  passive: true,
  normalise: (raw, common) => {
    const value = raw['assert'] as Record<string, unknown>;
    const since = typeof value['since'] === 'string' ? { since: value['since'] } : {};
    const kind = ASSERTION_KINDS.find((candidate) => value[candidate.name] !== undefined)!;
    return { ...common, kind: 'assert', assertion: kind.normalise(value[kind.name] as Record<string, unknown>, since) };
  },
  check: (raw, path, check) => {
    const value = raw['assert'] as Record<string, unknown>;
    for (const kind of ASSERTION_KINDS) {
      if (value[kind.name]) check.selector(value[kind.name] as Record<string, unknown>, [...path, 'assert', kind.name]);
    }
    const since = value['since'];
    if (typeof since === 'string' && !check.hasStepId(since)) check.report([...path, 'assert', 'since'], `no step has id "${since}"`);
  },
  describe: ({ assertion }) => `assert ${assertion.type} ${selectorName(assertion.selector)}`,
  run: perItem(runAssert),
};

/**
 * Judges an assertion over the messages of the case so far (or since a named step). What must be
 * there (`some`, a `count` minimum) may still be on its way: a station sends one CALL at a time, so
 * EVSE 2's report can follow EVSE 1's by milliseconds. Such an assertion is judged over a window of
 * `timeoutMs`, passing as soon as it holds; what must not be there is judged at once.
 */
export async function runAssert(step: AssertStep, run: CaseRun, scope: StepScope, timeoutMs: number): Promise<string> {
  const { assertion } = step;
  const kind = assertionKind(assertion);
  const count = () => selected(run, assertion.selector, assertion.since, scope).length;
  if (!kind.enough(assertion, count())) await run.untilRecords(() => kind.enough(assertion, count()), timeoutMs);
  const messages = selected(run, assertion.selector, assertion.since, scope);
  // Issue 14: past CASE_RECORDS_IN_MEMORY records the case reads no more; a judgement over part of them would be a guess.
  if (run.recordsNotKept > 0) {
    throw inconclusiveStep(`the case's records to judge (at most ${CASE_RECORDS_IN_MEMORY} are kept in memory)`, `the SUT's traffic gave ${CASE_RECORDS_IN_MEMORY + run.recordsNotKept} records; the trace file has them all`);
  }
  run.judged(messages);
  return kind.judge(assertion, messages, describeSelector(assertion.selector, run, scope), assertion.since === undefined ? '' : ` since step ${assertion.since}`, run.records, run.env.config.evses);
}

function selected(run: CaseRun, selector: AssertSelector, since: string | undefined, scope: StepScope): TraceRecord[] {
  const start = since === undefined ? 0 : (run.marks.get(since) ?? run.records.length);
  const sutRole = run.testCase.sut;
  const direction = directionFrom(selector.from === 'harness' ? roleOf(harnessSideAgainst(sutRole)) : sutRole);
  const wanted = alternativesOf(selector).map(({ isKind, match }) => ({ isKind, pattern: match === undefined ? undefined : run.render(match, scope) }));
  return run.records.slice(start).filter((record) => record.direction === direction && wanted.some(({ isKind, pattern }) =>
    isKind(record) && (pattern === undefined || matchPayload(pattern, contentOf(record), run.matchOptions).length === 0)));
}

/** One kind of record a selector counts, with its own pattern and name. */
interface Alternative {
  isKind: (record: TraceRecord) => boolean;
  match: Pattern | undefined;
  what: string;
}

// A selector names one kind of record (an action's CALLs, an event kind) or, with anyOf, several
// actions, each matched by its own pattern.
function alternativesOf(selector: AssertSelector): Alternative[] {
  if ('event' in selector) return [{ isKind: (record) => record.messageType === 'EVENT' && record.meta.event?.kind === selector.event, match: selector.match, what: `${selector.event} event` }];
  const actions = 'anyOf' in selector ? selector.anyOf : [selector];
  return actions.map(({ action, match }) => ({ isKind: (record) => record.messageType === 'CALL' && record.action === action, match, what: `${action}Request` }));
}

function describeSelector(selector: AssertSelector, run: CaseRun, scope: StepScope): string {
  const described = alternativesOf(selector).map(({ match, what }) => `${what}${match === undefined ? '' : ` matching ${describePattern(run.render(match, scope))}`}`);
  return `${described.join(' or ')}${selector.from === 'harness' ? ' from the harness' : ''}`;
}

/** What a report calls the selector: the event kind, or the action(s). */
function selectorName(selector: AssertSelector): string {
  if ('event' in selector) return `${selector.event} event`;
  return 'anyOf' in selector ? selector.anyOf.map((alternative) => alternative.action).join(' or ') : selector.action;
}
