import { findState, type Catalog, type Step, type TestCase } from '../../testcase/index.js';
import { STEP_KINDS } from '../steps/index.js';

/**
 * The OCPP actions a case may send, its reusable states included: what it may change on the SUT
 * before it runs, so that the runner can take note of what must be put back afterwards.
 */
export function actionsSentBy(testCase: TestCase, catalog: Catalog): Set<string> {
  const actions = new Set<string>();
  const visited = new Set<readonly Step[]>();
  const states = (name: string) => findState(catalog, testCase.ocpp, testCase.sut, name);
  const visit = (steps: readonly Step[]): void => {
    if (visited.has(steps)) return;
    visited.add(steps);
    for (const step of steps) {
      const kind = STEP_KINDS.of(step);
      for (const action of kind.sends?.(step) ?? []) actions.add(action);
      (kind.children?.(step, states) ?? []).forEach(visit);
    }
  };
  visit(testCase.before.states);
  visit(testCase.steps);
  return actions;
}
