import type { TestCase } from '../testcase/index.js';
import type { CaseResult } from './results.js';

/** A case the run did not start, with the reason: not applicable to the SUT, or skipped. */
export function notRun(testCase: TestCase, verdict: 'not-applicable' | 'skipped', reason: string): CaseResult {
  return { ...caseBasics(testCase), verdict, reason };
}

/** A case that could not start: the SUT was not there or not ready; `expected` says what the case needed. */
export function notStarted(testCase: TestCase, expected: string, actual: string): CaseResult {
  return { ...caseBasics(testCase), verdict: 'error', reason: actual, failure: { step: 'before', stepTitle: 'before the case', requirements: [], expected: [expected], actual } };
}

function caseBasics(testCase: TestCase) {
  return { id: testCase.id, title: testCase.title, module: testCase.module, sut: testCase.sut, ocpp: testCase.ocpp, startedAt: new Date().toISOString(), durationMs: 0, steps: [], findings: [] };
}
