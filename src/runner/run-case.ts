import { directionFrom, type Finding } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import type { ConfigurationSetting, Step, TestCase } from '../testcase/index.js';
import type { CaseEnvironment } from './case-environment.js';
import type { CaseRecords } from './case-records.js';
import { CaseRun, type StepScope } from './case-run.js';
import { itemScopes } from './items.js';
import { isDeciding, judge } from './judge.js';
import { nextExpectations, type Continuation } from './lookahead.js';
import type { CaseResult, StepResult } from './results.js';
import { ProtocolStop, StepStop, errorStep } from './step-stop.js';
import { stepApplies } from './step-when.js';
import { stepTimeoutMs } from './timeouts.js';
import { STEP_KINDS } from './steps/index.js';
import type { SendStep } from './steps/send.js';

interface StepContext {
  index: string;
  scope: StepScope;
  /** What runs after this step, for the lookahead (issue 11). */
  after: Continuation | undefined;
}

/** A case in progress: the run state and the results of its steps so far. */
interface Execution {
  run: CaseRun;
  results: StepResult[];
  /** The requirement ids of the steps the running one is nested in (a `use` step's), innermost last. */
  enclosing: string[][];
}

/**
 * Runs one test case against the SUT: preparations (reusable states, configuration), steps,
 * post-scenario assertions; then judges the protocol findings about the SUT. Returns the result;
 * never throws for anything the SUT does.
 */
export async function runCase(testCase: TestCase, env: CaseEnvironment, records: CaseRecords): Promise<CaseResult> {
  const startedAt = new Date();
  const run = new CaseRun(testCase, env, records);
  const execution: Execution = { run, results: [], enclosing: [] };
  const onCall = run.deliver.bind(run);
  env.link.on('call', onCall);
  // Issue 13: a violation on a frame of the SUT fails the case; the step waiting stops at once.
  const sutDirection = directionFrom(testCase.sut);
  const onFinding = (finding: Finding, record: TraceRecord) => {
    if (record.direction === sutDirection && isDeciding(finding, testCase)) run.stopWith(new ProtocolStop(finding));
  };
  env.link.on('finding', onFinding);
  const onAbort = () => run.stopWith(errorStep('the run to continue', 'the run was interrupted'));
  env.signal.addEventListener('abort', onAbort);
  let stop: StepStop | undefined;
  let failedStep: StepResult | undefined;
  const post: Continuation = { steps: testCase.post, scope: {}, next: undefined };
  const main: Continuation = { steps: testCase.steps, scope: {}, next: post };
  try {
    await runPreparations(testCase, execution, main);
    await runSteps(testCase.steps, execution, '', {}, post);
    await runSteps(testCase.post, execution, 'post.', {}, undefined);
  } catch (error) {
    stop = error instanceof StepStop ? error : errorStep('the harness to run the step', `harness error: ${(error as Error).stack ?? String(error)}`);
    failedStep = execution.results.findLast((result) => result.status !== 'pass') ?? execution.results.at(-1);
  } finally {
    env.signal.removeEventListener('abort', onAbort);
    run.finish();
    env.link.off('call', onCall);
    env.link.off('finding', onFinding);
    env.link.clearRefusals();
    env.link.setContext(undefined, undefined);
  }
  return judge(testCase, { startedAt, steps: execution.results, records, stop, failedStep, relayed: run.relay.relayed, checks: run.relay.origins });
}

// Part 6 "Before": the configuration state is set first, then the reusable states are reached.
async function runPreparations(testCase: TestCase, execution: Execution, then: Continuation): Promise<void> {
  const steps: Step[] = [...configurationSteps(testCase, testCase.before.configuration), ...testCase.before.states];
  for (const [i, step] of steps.entries()) await runStep(step, execution, { index: `before.${i + 1}`, scope: {}, after: { steps: steps.slice(i + 1), scope: {}, next: then } });
}

// Configuration state (Part 6 "Before"): the harness sets the variables on the station first.
function configurationSteps(testCase: TestCase, settings: ConfigurationSetting[]): SendStep[] {
  if (settings.length === 0) return [];
  const accepted = (optional?: boolean) => (optional ? { $exists: true } : { $in: ['Accepted', 'RebootRequired'] });
  if (testCase.ocpp === '1.6') {
    return settings.map((setting) => ({
      kind: 'send', action: 'ChangeConfiguration', title: `configuration state: ${setting.variable}`,
      payload: { key: setting.variable, value: asText(setting.value) }, match: { status: accepted(setting.optional) },
    }));
  }
  return [{
    kind: 'send', action: 'SetVariables', title: 'configuration state',
    payload: { setVariableData: settings.map((setting) => ({ component: componentOf(setting), variable: { name: setting.variable, ...(setting.instance ? { instance: setting.instance } : {}) }, attributeValue: asText(setting.value) })) },
    match: { setVariableResult: settings.map((setting) => ({ attributeStatus: accepted(setting.optional) })) },
  }];
}

// Configuration values are strings on the wire (attributeValue, ChangeConfiguration value): a lone
// template such as '{{config.timing.heartbeatIntervalS}}' would otherwise keep its number type.
function asText(value: unknown): unknown {
  const lone = typeof value === 'string' ? /^\{\{\s*([^{}#/]+?)\s*\}\}$/.exec(value) : null;
  return lone ? `{{string (${lone[1]})}}` : value;
}

function componentOf(setting: ConfigurationSetting): Record<string, unknown> {
  return { name: setting.component ?? '', ...(setting.componentInstance ? { instance: setting.componentInstance } : {}), ...(setting.evse ? { evse: setting.evse } : {}) };
}

/** Runs a list of steps; `then` is what runs once the list is done (the enclosing list's rest). */
async function runSteps(steps: readonly Step[], execution: Execution, prefix: string, scope: StepScope, then: Continuation | undefined): Promise<void> {
  for (const [i, step] of steps.entries()) await runStep(step, execution, { index: `${prefix}${i + 1}`, scope, after: { steps: steps.slice(i + 1), scope, next: then } });
}

async function runStep(step: Step, execution: Execution, context: StepContext): Promise<void> {
  const { run } = execution;
  if (step.id) run.marks.set(step.id, run.records.length);
  run.env.link.setContext(run.testCase.id, context.index);
  run.runningBefore(() => nextExpectations(context.after, run));
  // Issue 13: a step inside a state cites nothing of its own; the innermost enclosing `use` step's ids apply.
  const requirementIds = step.checks && step.checks.length > 0 ? step.checks : (execution.enclosing.at(-1) ?? []);
  const result: StepResult = {
    index: context.index, kind: step.kind, title: step.title ?? STEP_KINDS.of(step).describe(step), status: 'pass',
    startedAt: new Date().toISOString(), durationMs: 0, requirementIds, records: [],
  };
  execution.results.push(result);
  if (!stepApplies(step, run, context.scope)) {
    result.status = 'skipped';
    result.detail = `not in this configuration (when: ${step.when})`;
    return;
  }
  const kind = STEP_KINDS.of(step);
  const timeoutMs = stepTimeoutMs(step, kind, run, context.scope);
  run.env.onStep?.({ index: context.index, title: result.title, timeoutMs });
  const started = performance.now();
  const lift = run.forbid(step.forbid);
  const leaveRelay = run.relay.enter(result);
  const endRecords = run.recordsFor(result);
  execution.enclosing.push(requirementIds);
  try {
    const detail = await executeStep(step, execution, context, timeoutMs);
    if (detail) result.detail = detail;
  } catch (error) {
    const stop = error instanceof StepStop ? error : errorStep('the harness to run the step', `harness error: ${(error as Error).message}`);
    result.status = stop.verdict === 'inconclusive' ? 'inconclusive' : stop.verdict;
    result.detail = stop.actual;
    throw stop;
  } finally {
    execution.enclosing.pop();
    lift();
    leaveRelay();
    endRecords();
    result.durationMs = Math.round(performance.now() - started);
  }
}

// A step runs as its kind says, with its timeout (timeouts.ts) and its forEach items.
function executeStep(step: Step, execution: Execution, context: StepContext, timeoutMs: number): Promise<string | undefined> {
  const { run } = execution;
  return STEP_KINDS.of(step).run(step, {
    run, index: context.index, scope: context.scope, after: context.after,
    items: itemScopes(step.forEach, run, context.scope),
    timeoutMs,
    runSteps: (steps, prefix, scope, then) => runSteps(steps, execution, prefix, scope, then),
  });
}
