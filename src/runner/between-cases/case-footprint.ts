import { findState, type Catalog, type Step, type TestCase } from '../../testcase/index.js';

/**
 * The OCPP actions a case may send, its reusable states included: what it may change on the SUT
 * before it runs, so that the runner can take note of what must be put back afterwards.
 */
export function actionsSentBy(testCase: TestCase, catalog: Catalog): Set<string> {
  const actions = new Set<string>();
  const visited = new Set<string>();
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      if (step.kind === 'send') actions.add(step.action);
      else if (step.kind === 'anyOf') step.branches.forEach(visit);
      else if (step.kind === 'use' && !visited.has(step.state)) {
        visited.add(step.state);
        visit(findState(catalog, testCase.ocpp, testCase.sut, step.state)?.steps ?? []);
      }
    }
  };
  visit(testCase.before.states);
  visit(testCase.steps);
  return actions;
}
