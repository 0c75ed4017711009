import { directionFrom } from '../../protocol/index.js';
import type { TraceRecord } from '../../session/index.js';
import { describePattern, matchPayload, readPath, type AssertSelector, type AssertStep } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { harnessSideAgainst, roleOf } from '../harness-side.js';
import { failStep, preview } from '../step-stop.js';

/**
 * Judges an assertion over the messages of the case so far (or since a named step). What must be
 * there (`some`, a `count` minimum) may still be on its way: a station sends one CALL at a time, so
 * EVSE 2's report can follow EVSE 1's by milliseconds. Such an assertion is judged over a window of
 * `timeoutMs`, passing as soon as it holds; what must not be there is judged at once.
 */
export async function runAssert(step: AssertStep, run: CaseRun, scope: StepScope, timeoutMs: number): Promise<string> {
  const { assertion } = step;
  const enough = (count: number) => (assertion.type === 'some' ? count > 0 : assertion.type === 'count' ? count >= (assertion.min ?? 0) && (!assertion.in || assertion.in.includes(count)) : true);
  const count = () => selected(run, assertion.selector, assertion.since, scope).length;
  if (!enough(count())) await run.untilRecords(() => enough(count()), timeoutMs);
  const messages = selected(run, assertion.selector, assertion.since, scope);
  run.judged(messages);
  const what = describeSelector(assertion.selector, run, scope);
  switch (assertion.type) {
    case 'none':
      if (messages.length > 0) throw failStep(`no ${what}${sinceText(assertion.since)}`, `${messages.length} found, first: ${preview(messages[0]!.payload)}`);
      return `no ${what}`;
    case 'some':
      if (messages.length === 0) throw failStep(`at least one ${what}${sinceText(assertion.since)}`, 'none');
      return `${messages.length} × ${what}`;
    case 'count': {
      const { min = 0, max = Number.POSITIVE_INFINITY } = assertion;
      if (messages.length < min || messages.length > max) throw failStep(`${min}${max === Number.POSITIVE_INFINITY ? ' or more' : ` to ${max}`} × ${what}${sinceText(assertion.since)}`, `${messages.length}`);
      if (assertion.in && !assertion.in.includes(messages.length)) throw failStep(`${assertion.in.join(' or ')} × ${what}${sinceText(assertion.since)}`, `${messages.length}`);
      return `${messages.length} × ${what}`;
    }
    default:
      return judgeIncreasing(messages, assertion.path, what);
  }
}

function judgeIncreasing(messages: TraceRecord[], path: string, what: string): string {
  let previous: number | undefined;
  for (const message of messages) {
    const found = readPath(contentOf(message), path);
    const value = found.found ? Number(found.value) : Number.NaN;
    if (Number.isNaN(value)) throw failStep(`${path} in every ${what}`, `no number at ${path} in ${preview(contentOf(message))}`);
    if (previous !== undefined && value <= previous) throw failStep(`${path} increasing across ${what}`, `${value} after ${previous}`);
    previous = value;
  }
  return `${path} increasing over ${messages.length} × ${what}`;
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

/** What a pattern is matched against: a CALL's payload, an EVENT's fields. */
function contentOf(record: TraceRecord): unknown {
  return record.messageType === 'EVENT' ? record.meta.event : record.payload;
}

function describeSelector(selector: AssertSelector, run: CaseRun, scope: StepScope): string {
  const pattern = selector.match === undefined ? '' : ` matching ${describePattern(run.render(selector.match, scope))}`;
  const what = 'event' in selector ? `${selector.event} event` : `${selector.action}Request`;
  return `${what}${pattern}${selector.from === 'harness' ? ' from the harness' : ''}`;
}

function sinceText(since: string | undefined): string {
  return since === undefined ? '' : ` since step ${since}`;
}
