import { findState, type ReusableState } from '../testcase/index.js';
import type { CaseRun, StepScope } from './case-run.js';
import { errorStep } from './step-stop.js';

/** A reusable state found by name, with the scope its steps run in. */
export function callState(name: string, given: Record<string, unknown>, run: CaseRun, scope: StepScope): { state: ReusableState; scope: StepScope } {
  const state = findState(run.env.catalog, run.testCase.ocpp, run.testCase.sut, name);
  if (!state) throw errorStep(`reusable state ${name}`, `no state ${name} for OCPP ${run.testCase.ocpp} sut ${run.testCase.sut}`);
  // Values given with `with` belong to the caller's scope (a state using a state passes its own
  // params on); the state's defaults may refer to parameters already set.
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) params[key] = run.render(value, scope);
  for (const [key, value] of Object.entries(state.params)) {
    if (!(key in params)) params[key] = run.render(value, { ...scope, params });
  }
  return { state, scope: { ...scope, params } };
}
