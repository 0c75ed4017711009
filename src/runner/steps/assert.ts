import { directionFrom } from '../../protocol/index.js';
import type { TraceRecord } from '../../session/index.js';
import { describePattern, matchPayload, text, type AssertSelector, type Step } from '../../testcase/index.js';
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
  describe: ({ assertion }) => `assert ${assertion.type} ${'event' in assertion.selector ? `${assertion.selector.event} event` : assertion.selector.action}`,
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
  return kind.judge(assertion, messages, describeSelector(assertion.selector, run, scope), assertion.since === undefined ? '' : ` since step ${assertion.since}`);
}

function selected(run: CaseRun, selector: AssertSelector, since: string | undefined, scope: StepScope): TraceRecord[] {
  const start = since === undefined ? 0 : (run.marks.get(since) ?? run.records.length);
  const sutRole = run.testCase.sut;
  const direction = directionFrom(selector.from === 'harness' ? roleOf(harnessSideAgainst(sutRole)) : sutRole);
  const pattern = selector.match === undefined ? undefined : run.render(selector.match, scope);
  const isSelected = 'event' in selector
    ? (record: TraceRecord) => record.messageType === 'EVENT' && record.meta.event?.kind === selector.event
    : (record: TraceRecord) => record.messageType === 'CALL' && record.action === selector.action;
  return run.records.slice(start).filter((record) =>
    record.direction === direction && isSelected(record) &&
    (pattern === undefined || matchPayload(pattern, contentOf(record), run.matchOptions).length === 0));
}

function describeSelector(selector: AssertSelector, run: CaseRun, scope: StepScope): string {
  const pattern = selector.match === undefined ? '' : ` matching ${describePattern(run.render(selector.match, scope))}`;
  const what = 'event' in selector ? `${selector.event} event` : `${selector.action}Request`;
  return `${what}${pattern}${selector.from === 'harness' ? ' from the harness' : ''}`;
}
