import { directionFrom } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import { type ConfigurationSetting, type ExpectStep, type MessageExpectation, type PayloadTemplate, type SendStep, type Step, type TestCase } from '../testcase/index.js';
import type { CaseEnvironment } from './case-environment.js';
import { CaseRun, type StepScope } from './case-run.js';
import { harnessFrameFindings } from './harness-frames.js';
import { itemsFor } from './items.js';
import { nextExpectations, type Continuation } from './lookahead.js';
import type { CaseFailure, CaseResult, StepResult } from './results.js';
import { runAction } from './steps/action-step.js';
import { runAssert } from './steps/assert-step.js';
import { runConnection } from './steps/connection-step.js';
import { runExpect } from './steps/expect-step.js';
import { runSend } from './steps/send-step.js';
import { runWait } from './steps/wait-step.js';
import { callState } from './state-call.js';
import { StepStop, errorStep } from './step-stop.js';

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
}

/**
 * Runs one test case against the SUT: preparations (reusable states, configuration), steps,
 * post-scenario assertions; then judges the protocol findings about the SUT. Returns the result;
 * never throws for anything the SUT does.
 */
export async function runCase(testCase: TestCase, env: CaseEnvironment, records: TraceRecord[]): Promise<CaseResult> {
  const startedAt = new Date();
  const run = new CaseRun(testCase, env, records);
  const execution: Execution = { run, results: [] };
  const onCall = run.deliver.bind(run);
  env.link.on('call', onCall);
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
    env.link.clearRefusals();
    env.link.setContext(undefined, undefined);
  }
  return judge(testCase, execution, startedAt, stop, failedStep);
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
  const result: StepResult = {
    index: context.index, kind: step.kind, title: step.title ?? describeStep(step), status: 'pass',
    startedAt: new Date().toISOString(), durationMs: 0, requirementIds: step.checks ?? [], records: [],
  };
  execution.results.push(result);
  const started = performance.now();
  const lift = run.forbid(step.forbid);
  const leaveRelay = run.relay.enter(result);
  const endRecords = run.recordsFor(result);
  try {
    const detail = await executeStep(step, execution, context);
    if (detail) result.detail = detail;
  } catch (error) {
    const stop = error instanceof StepStop ? error : errorStep('the harness to run the step', `harness error: ${(error as Error).message}`);
    result.status = stop.verdict === 'inconclusive' ? 'inconclusive' : stop.verdict;
    result.detail = stop.actual;
    throw stop;
  } finally {
    lift();
    leaveRelay();
    endRecords();
    result.durationMs = Math.round(performance.now() - started);
  }
}

async function executeStep(step: Step, execution: Execution, context: StepContext): Promise<string | undefined> {
  const { run } = execution;
  const timeoutMs = step.timeoutMs === undefined ? run.env.config.timeouts.messageMs : Number(run.render(step.timeoutMs, context.scope));
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw errorStep('a timeout in milliseconds', `timeoutMs "${String(step.timeoutMs)}" gives ${timeoutMs}`);
  const items = step.forEach ? itemsFor(run.env.config, step.forEach, run.testCase.ocpp).map((item) => ({ ...context.scope, item })) : [context.scope];
  switch (step.kind) {
    case 'expect':
      return (await runExpect(step, run, items, timeoutMs)).summary;
    case 'use':
      if (!step.forEach) return runUse(step.state, step.with, execution, context);
      // Once per item, each run's steps numbered under the item: 2.1.3 is step 3 for the first item;
      // the state's run for the next item is what follows one item's run.
      for (const [i, scope] of items.entries()) {
        const after = items.slice(i + 1).reduceRight<Continuation | undefined>((next, itemScope) => ({ steps: [{ kind: 'use', state: step.state, with: step.with }], scope: itemScope, next }), context.after);
        await runUse(step.state, step.with, execution, { index: `${context.index}.${i + 1}`, scope, after });
      }
      return `state ${step.state} reached for ${items.length} ${step.forEach === 'evse' ? 'EVSE(s)' : 'connector(s)'}`;
    case 'anyOf':
      return runAnyOf(step.branches, execution, context, timeoutMs);
    default:
      break;
  }
  const details: string[] = [];
  for (const scope of items) details.push(await runSimpleStep(step, run, scope, timeoutMs));
  return details.join('; ');
}

function runSimpleStep(step: Step, run: CaseRun, scope: StepScope, timeoutMs: number): Promise<string> | string {
  switch (step.kind) {
    case 'send': return runSend(step, run, scope, timeoutMs);
    case 'action': return runAction(step, run, scope);
    // Waiting for a connection defaults to the connect timeout; a step's own timeoutMs wins.
    case 'wait': return runWait(step, run, scope, step.until === 'connected' && step.timeoutMs === undefined ? run.env.config.timeouts.connectMs : timeoutMs);
    case 'connection': return runConnection(step, run, step.timeoutMs === undefined ? run.env.config.timeouts.connectMs : timeoutMs);
    case 'assert': return runAssert(step, run, scope, timeoutMs);
    default: throw errorStep('a known step kind', `step kind ${step.kind} cannot run here`);
  }
}

async function runUse(name: string, given: Record<string, unknown>, execution: Execution, context: StepContext): Promise<string> {
  const called = callState(name, given, execution.run, context.scope);
  await runSteps(called.state.steps, execution, `${context.index}.`, called.scope, context.after);
  return `state ${name} reached`;
}

/** How an anyOf branch opens: its first expect, and the rest of the state it uses, when it starts with one. */
interface BranchOpening {
  first: ExpectStep;
  state?: { name: string; rest: readonly Step[]; scope: StepScope };
}

// Alternatives: wait for the first message any branch expects, then continue with that branch.
async function runAnyOf(branches: Step[][], execution: Execution, context: StepContext, timeoutMs: number): Promise<string> {
  const openings = branches.map((branch) => openBranch(branch, execution.run, context.scope));
  const combined: ExpectStep = { kind: 'expect', alternatives: openings.flatMap(({ first }) => first.alternatives), allow: openings.flatMap(({ first }) => first.allow) };
  const { matched } = await runExpect(combined, execution.run, [context.scope], timeoutMs);
  const chosen = openings.findIndex(({ first }) => first.alternatives.some((alternative) => matched.includes(alternative)));
  const { first, state } = openings[chosen]!;
  const prefix = `${context.index}.${chosen + 1}.`;
  const branchRest: Continuation = { steps: branches[chosen]!.slice(1), scope: context.scope, next: context.after };
  if (state) await runSteps(state.rest, execution, `${prefix}${state.name}.`, state.scope, branchRest);
  await runSteps(branchRest.steps, execution, prefix, context.scope, context.after);
  return `branch ${chosen + 1} (${state ? `state ${state.name}: ` : ''}${first.alternatives.map((a) => a.action).join('/')})`;
}

// A branch may open with a reusable state whose first step is an expect: that expect waits among
// the other branches' first expects, rendered in the state's scope, and the state goes on from there.
function openBranch(branch: Step[], run: CaseRun, scope: StepScope): BranchOpening {
  const head = branch[0]!;
  if (head.kind !== 'use') return { first: head as ExpectStep };
  const called = callState(head.state, head.with, run, scope);
  const [first, ...rest] = called.state.steps;
  if (first?.kind !== 'expect') throw errorStep(`reusable state ${head.state} to start with an expect (it opens an anyOf branch)`, `its first step is ${first?.kind ?? 'missing'}`);
  const bind = (expectation: MessageExpectation): MessageExpectation => ({
    ...expectation,
    ...(expectation.match !== undefined ? { match: run.render(expectation.match, called.scope) } : {}),
    ...(expectation.reply !== undefined ? { reply: run.render(expectation.reply, called.scope) as PayloadTemplate } : {}),
  });
  return { first: { ...first, alternatives: first.alternatives.map(bind), allow: first.allow.map(bind) }, state: { name: head.state, rest, scope: called.scope } };
}

function describeStep(step: Step): string {
  switch (step.kind) {
    case 'expect': return `expect ${step.alternatives.map((a) => `${a.action}Request`).join(' or ')}`;
    case 'send': return `send ${step.action}Request`;
    case 'action': return `device action ${step.action}`;
    case 'wait': return step.until ? `wait until ${step.until}` : `wait ${String(step.durationMs)} ms`;
    case 'connection': return `connection ${step.operation}`;
    case 'assert': return `assert ${step.assertion.type} ${'event' in step.assertion.selector ? `${step.assertion.selector.event} event` : step.assertion.selector.action}`;
    case 'anyOf': return `one of ${step.branches.length} alternatives`;
    default: return `state ${step.state}`;
  }
}

function judge(testCase: TestCase, execution: Execution, startedAt: Date, stop: StepStop | undefined, failedStep: StepResult | undefined): CaseResult {
  const { run, results } = execution;
  const sutDirection = directionFrom(testCase.sut);
  const findings = run.records.filter((record) => record.direction === sutDirection).flatMap((record) => record.meta.findings ?? []);
  const violation = findings.find((finding) => finding.severity === 'violation');
  const harnessFault = harnessFrameFindings(run.records, testCase.sut)[0];
  const basics = {
    id: testCase.id, title: testCase.title, module: testCase.module, sut: testCase.sut, ocpp: testCase.ocpp,
    startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), steps: results,
    findings: findings.filter((finding) => finding !== violation),
  };
  if (harnessFault) {
    // Issue 11: the harness never sends an invalid frame; when it did, no verdict on the SUT holds.
    return {
      ...basics, verdict: 'error',
      reason: `harness sent an invalid frame: ${harnessFault.message} [${harnessFault.rule}]${stop ? `; the case had stopped at step ${failedStep?.index ?? '?'}: ${stop.actual}` : ''}`,
      failure: { step: 'harness', stepTitle: 'frames the harness sent', requirements: [], expected: ['only valid frames from the harness'], actual: harnessFault.message },
    };
  }
  if (stop) {
    const failure = failureOf(testCase, stop, failedStep);
    return { ...basics, verdict: stop.verdict, reason: `step ${failure.step} (${failure.stepTitle}): expected ${stop.expected.join(' or ')}; actual: ${stop.actual}`, failure };
  }
  if (violation) {
    return {
      ...basics, verdict: 'fail', reason: `protocol violation by the SUT: ${violation.message} [${violation.rule}]`,
      failure: { step: 'protocol', stepTitle: 'OCPP-J rules', requirements: [], expected: [`no protocol violation (${violation.rule})`], actual: violation.message },
    };
  }
  return { ...basics, verdict: 'pass', ...(run.relay.relayed ? { relayed: true as const } : {}) };
}

function failureOf(testCase: TestCase, stop: StepStop, step: StepResult | undefined): CaseFailure {
  return {
    step: step?.index ?? '?', stepTitle: step?.title ?? '?',
    requirements: (step?.requirementIds ?? []).map((id) => ({ id, text: testCase.requirements[id] ?? '' })),
    expected: stop.expected, actual: stop.actual,
  };
}
