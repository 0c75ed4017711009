import type { Step } from '../testcase/index.js';
import type { CaseRun, StepScope } from './case-run.js';

/**
 * Whether a step applies in this run: a step without `when` always does; one with it when its
 * template renders true (a Part 6 step or memory state for one configuration only, e.g. the
 * preparation of TC_A_19_CS that depends on the configured security profile).
 */
export function stepApplies(step: Step, run: CaseRun, scope: StepScope): boolean {
  if (step.when === undefined) return true;
  const value = run.render(step.when, scope);
  return value === true || value === 'true';
}
