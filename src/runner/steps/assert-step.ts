import { directionFrom } from '../../protocol/index.js';
import type { TraceRecord } from '../../session/index.js';
import { describePattern, matchPayload, readPath, type AssertStep, type MessageSelector } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { failStep, preview } from '../step-stop.js';

/** Judges an assertion over the messages of the case so far (or since a named step). */
export function runAssert(step: AssertStep, run: CaseRun, scope: StepScope): string {
  const { assertion } = step;
  const messages = selected(run, assertion.selector, assertion.since, scope);
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
      return `${messages.length} × ${what}`;
    }
    default:
      return judgeIncreasing(messages, assertion.path, what);
  }
}

function judgeIncreasing(messages: TraceRecord[], path: string, what: string): string {
  let previous: number | undefined;
  for (const message of messages) {
    const found = readPath(message.payload, path);
    const value = found.found ? Number(found.value) : Number.NaN;
    if (Number.isNaN(value)) throw failStep(`${path} in every ${what}`, `no number at ${path} in ${preview(message.payload)}`);
    if (previous !== undefined && value <= previous) throw failStep(`${path} increasing across ${what}`, `${value} after ${previous}`);
    previous = value;
  }
  return `${path} increasing over ${messages.length} × ${what}`;
}

function selected(run: CaseRun, selector: MessageSelector, since: string | undefined, scope: StepScope): TraceRecord[] {
  const start = since === undefined ? 0 : (run.marks.get(since) ?? run.records.length);
  const sutRole = run.testCase.sut;
  const direction = directionFrom(selector.from === 'harness' ? (sutRole === 'cs' ? 'csms' : 'cs') : sutRole);
  const pattern = selector.match === undefined ? undefined : run.render(selector.match, scope);
  return run.records.slice(start).filter((record) =>
    record.messageType === 'CALL' && record.direction === direction && record.action === selector.action &&
    (pattern === undefined || matchPayload(pattern, record.payload, run.matchOptions).length === 0));
}

function describeSelector(selector: MessageSelector, run: CaseRun, scope: StepScope): string {
  const pattern = selector.match === undefined ? '' : ` matching ${describePattern(run.render(selector.match, scope))}`;
  return `${selector.action}Request${pattern}${selector.from === 'harness' ? ' from the harness' : ''}`;
}

function sinceText(since: string | undefined): string {
  return since === undefined ? '' : ` since step ${since}`;
}
