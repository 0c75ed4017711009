import type { Finding } from '../protocol/index.js';
import type { TestCase } from '../testcase/index.js';
import type { CaseRecords } from './case-records.js';
import type { CaseFailure, CaseResult, CheckOrigins, StepResult } from './results.js';
import { ProtocolStop, type StepStop } from './step-stop.js';

/** What a case left to judge: its steps, its records' findings, how it stopped, and what its checks rested on. */
export interface CaseOutcome {
  startedAt: Date;
  steps: StepResult[];
  records: Pick<CaseRecords, 'sutFindings' | 'harnessFindings' | 'notKept'>;
  stop: StepStop | undefined;
  failedStep: StepResult | undefined;
  relayed: boolean;
  checks: CheckOrigins;
}

/**
 * The verdict of a case. Issue 13: every finding on a SUT frame stays in `findings`; a violation
 * the case does not expect fails the case and is its reason, also when a step stopped afterwards
 * (the timeout it explains, e.g. an orphan response to the step's CALL); a harness frame with a
 * finding makes no verdict on the SUT hold (issue 11).
 */
export function judge(testCase: TestCase, outcome: CaseOutcome): CaseResult {
  const { startedAt, steps, records, stop, failedStep } = outcome;
  const located = records.sutFindings;
  const violation = located.find(({ finding }) => isDeciding(finding, testCase));
  const harnessFault = records.harnessFindings[0];
  const basics = {
    id: testCase.id, title: testCase.title, module: testCase.module, sut: testCase.sut, ocpp: testCase.ocpp,
    startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), steps,
    findings: located.map(({ finding }) => finding), checks: outcome.checks,
    ...(records.notKept > 0 ? { recordsNotKept: records.notKept } : {}),
  };
  const stepLine = stop && !(stop instanceof ProtocolStop) ? stopLine(testCase, stop, failedStep) : undefined;
  if (harnessFault) {
    // Issue 11: the harness never sends an invalid frame; when it did, no verdict on the SUT holds.
    return {
      ...basics, verdict: 'error',
      reason: `harness sent an invalid frame: ${harnessFault.message} [${harnessFault.rule}]${stepLine ? `; the case had stopped at ${stepLine}` : ''}`,
      failure: { step: 'harness', stepTitle: 'frames the harness sent', requirements: [], expected: ['only valid frames from the harness'], actual: harnessFault.message },
    };
  }
  if (violation) {
    const step = steps.find((result) => result.index === violation.step);
    const { finding } = violation;
    const failure: CaseFailure = {
      step: step?.index ?? 'protocol', stepTitle: step?.title ?? 'OCPP-J rules', requirements: requirementsOf(testCase, step),
      expected: [`no protocol violation (${finding.rule})`], actual: describeFinding(finding),
    };
    const where = step ? ` during step ${step.index} (${step.title})` : '';
    const then = stepLine ? `; then ${stepLine}` : '';
    return { ...basics, verdict: 'fail', reason: `protocol violation by the SUT${where}: ${describeFinding(finding)}${then}`, failure };
  }
  if (stop) {
    const failure = failureOf(testCase, stop, failedStep);
    return { ...basics, verdict: stop.verdict, reason: `step ${failure.step} (${failure.stepTitle}): expected ${stop.expected.join(' or ')}; actual: ${stop.actual}`, failure };
  }
  return { ...basics, verdict: 'pass', ...(outcome.relayed ? { relayed: true as const } : {}) };
}

/** True for a finding that fails the case: a violation of a code the case does not say it expects. */
export function isDeciding(finding: Finding, testCase: Pick<TestCase, 'expectedFindings'>): boolean {
  return finding.severity === 'violation' && !testCase.expectedFindings.includes(finding.code);
}

/** "message [code, rule] (message id "x")": a finding as a reason names it. */
export function describeFinding(finding: Finding): string {
  const id = finding.messageId !== undefined && !finding.message.includes(finding.messageId) ? ` (message id "${finding.messageId}")` : '';
  return `${finding.message}${id} [${finding.code}, ${finding.rule}]`;
}

function stopLine(testCase: TestCase, stop: StepStop, step: StepResult | undefined): string {
  const failure = failureOf(testCase, stop, step);
  return `step ${failure.step} (${failure.stepTitle}): expected ${stop.expected.join(' or ')}; actual: ${stop.actual}`;
}

function failureOf(testCase: TestCase, stop: StepStop, step: StepResult | undefined): CaseFailure {
  return { step: step?.index ?? '?', stepTitle: step?.title ?? '?', requirements: requirementsOf(testCase, step), expected: stop.expected, actual: stop.actual, ...(stop.table ? { table: stop.table } : {}) };
}

/**
 * Issue 13: a failing step names requirements. Its own (or, inside a state, those of the
 * enclosing `use` step, see run-case.ts); a step that names none stands for the whole case.
 */
function requirementsOf(testCase: TestCase, step: StepResult | undefined): CaseFailure['requirements'] {
  const ids = step && step.requirementIds.length > 0 ? step.requirementIds : Object.keys(testCase.requirements);
  return ids.map((id) => ({ id, text: testCase.requirements[id] ?? '' }));
}
