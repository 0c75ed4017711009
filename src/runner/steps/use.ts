import { text, type Step } from '../../testcase/index.js';
import type { StepScope, Upcoming } from '../case-run.js';
import type { Continuation } from '../continuation.js';
import { itemScopes } from '../items.js';
import { callState } from '../state-call.js';
import type { LookaheadPoint, StepKind, StepRunContext } from './step-kind.js';

/** A reusable state included by name, with parameters. */
export interface UseStep extends Step {
  kind: 'use';
  state: string;
  with: Record<string, unknown>;
}

/** `use: Booted` (with `with:` parameters): run a reusable state's steps, numbered under this step. */
export const useKind: StepKind<UseStep> = {
  name: 'use',
  summary: 'Reach a reusable state: run its steps with the given parameters.',
  fields: {
    use: text('Reusable state to include (Booted, Authorized, EnergyTransferStarted, ...).'),
    with: { type: 'object', description: 'Parameters of the reusable state.' },
  },
  // The state's own steps wait, each by its kind.
  timeout: undefined,
  normalise: (raw, common) => ({ ...common, kind: 'use', state: String(raw['use']), with: (raw['with'] ?? {}) as Record<string, unknown> }),
  check: (raw, path, check) => {
    const name = String(raw['use']);
    const state = check.state(name);
    if (!state) return check.report([...path, 'use'], `unknown reusable state "${name}" for OCPP ${check.ocpp} sut ${check.sut}; known: ${check.stateNames().join(', ') || 'none'}`);
    const given = (raw['with'] ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!(key in state.params)) check.report([...path, 'with', key], `state ${name} has no parameter "${key}"; it has: ${Object.keys(state.params).join(', ') || 'none'}`);
    }
    check.templates(given, [...path, 'with']);
  },
  describe: (step) => `state ${step.state}`,
  children: (step, states) => {
    const state = states(step.state);
    return state ? [state.steps] : [];
  },
  opening: (step, at) => stateOpening(step, at),
  run: async (step, context) => {
    if (!step.forEach) return reach(step, context, context.index, context.scope, context.after);
    // Once per item, each run's steps numbered under the item: 2.1.3 is step 3 for the first item;
    // the state's run for the next item is what follows one item's run.
    const { items } = context;
    for (const [i, scope] of items.entries()) {
      const after = items.slice(i + 1).reduceRight<Continuation | undefined>((next, itemScope) => ({ steps: [{ kind: 'use', state: step.state, with: step.with } as UseStep], scope: itemScope, next }), context.after);
      await reach(step, context, `${context.index}.${i + 1}`, scope, after);
    }
    const what = step.forEach === 'evse' ? 'EVSE(s)' : step.forEach === 'connector' ? 'connector(s)' : 'item(s)';
    return `state ${step.state} reached for ${items.length} ${what}`;
  },
};

async function reach(step: UseStep, context: StepRunContext, index: string, scope: StepScope, after: Continuation | undefined): Promise<string> {
  const called = callState(step.state, step.with, context.run, scope);
  await context.runSteps(called.state.steps, `${index}.`, called.scope, after);
  return `state ${step.state} reached`;
}

function stateOpening(step: UseStep, at: LookaheadPoint): Upcoming[] {
  try {
    // A state used forEach opens with its first item.
    const [scope = at.scope] = step.forEach ? itemScopes(step.forEach, at.run, at.scope) : [];
    const called = callState(step.state, step.with, at.run, scope);
    return at.from({ steps: called.state.steps, scope: called.scope, next: at.rest });
  } catch {
    // A state that cannot be reached yet (its parameters name values not captured) is judged when it runs.
    return [];
  }
}
