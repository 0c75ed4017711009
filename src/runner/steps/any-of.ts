import type { MessageExpectation, PayloadTemplate, Step, StepCheckContext, FieldPath } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import type { Continuation } from '../continuation.js';
import { callState } from '../state-call.js';
import { errorStep } from '../step-stop.js';
import { expectKind, runExpect, type ExpectStep } from './expect.js';
import type { StepKind, StepRunContext } from './step-kind.js';
import { useKind, type UseStep } from './use.js';

/**
 * Several acceptable continuations; each branch starts with an expect (or a use of a state that starts
 * with one), and the branch whose first expect the SUT's message matches is taken.
 */
export interface AnyOfStep extends Step {
  kind: 'anyOf';
  branches: Step[][];
}

/** `anyOf: [ [steps...], [steps...] ]`: the branch whose opening expect the SUT's message matches. */
export const anyOfKind: StepKind<AnyOfStep> = {
  name: 'anyOf',
  summary: 'Several acceptable continuations; the branch whose first expect the SUT\'s next message matches is taken.',
  fields: {
    anyOf: { type: 'array', minItems: 2, items: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } }, description: 'Alternative continuations; each starts with an expect, or a use of a reusable state whose first step is an expect.' },
  },
  // The branches' opening expects wait together, as one expect.
  timeout: 'messageMs',
  repeats: false,
  normalise: (raw, common, context) => ({ ...common, kind: 'anyOf', branches: (raw['anyOf'] as unknown[][]).map((branch) => branch.map(context.step)) }),
  check: (raw, path, check) => {
    (raw['anyOf'] as unknown[][]).forEach((branch, index) => {
      if (!opensWithExpect(branch[0], check)) check.report([...path, 'anyOf', index, 0], 'each anyOf branch must start with an expect step, or with a use (without forEach) of a reusable state whose first step is an expect');
      check.steps(branch, [...path, 'anyOf', index]);
    });
  },
  describe: (step) => `one of ${step.branches.length} alternatives`,
  children: (step) => step.branches,
  opening: (step, at) => step.branches.flatMap((branch) => at.from({ steps: branch, scope: at.scope, next: at.rest })),
  run: (step, context) => runAnyOf(step.branches, context),
};

function opensWithExpect(first: unknown, check: StepCheckContext): boolean {
  const kind = check.kindOf(first);
  if (kind === expectKind) return true;
  const raw = first as Record<string, unknown>;
  if (kind !== useKind || raw['forEach'] !== undefined) return false;
  const state = check.state(String(raw['use']));
  // An unknown state is reported by the use step's check.
  return !state || state.steps[0]?.kind === expectKind.name;
}

/** How an anyOf branch opens: its first expect, and the rest of the state it uses, when it starts with one. */
interface BranchOpening {
  first: ExpectStep;
  state?: { name: string; rest: readonly Step[]; scope: StepScope };
}

// Alternatives: wait for the first message any branch expects, then continue with that branch.
async function runAnyOf(branches: Step[][], context: StepRunContext): Promise<string> {
  const openings = branches.map((branch) => openBranch(branch, context.run, context.scope));
  const combined: ExpectStep = { kind: 'expect', alternatives: openings.flatMap(({ first }) => first.alternatives), allow: openings.flatMap(({ first }) => first.allow) };
  const { matched } = await runExpect(combined, context.run, [context.scope], context.timeoutMs);
  const chosen = openings.findIndex(({ first }) => first.alternatives.some((alternative) => matched.includes(alternative)));
  const { first, state } = openings[chosen]!;
  const prefix = `${context.index}.${chosen + 1}.`;
  const branchRest: Continuation = { steps: branches[chosen]!.slice(1), scope: context.scope, next: context.after };
  if (state) await context.runSteps(state.rest, `${prefix}${state.name}.`, state.scope, branchRest);
  await context.runSteps(branchRest.steps, prefix, context.scope, context.after);
  return `branch ${chosen + 1} (${state ? `state ${state.name}: ` : ''}${first.alternatives.map((a) => a.action).join('/')})`;
}

// A branch may open with a reusable state whose first step is an expect: that expect waits among
// the other branches' first expects, rendered in the state's scope, and the state goes on from there.
function openBranch(branch: Step[], run: CaseRun, scope: StepScope): BranchOpening {
  const head = branch[0]!;
  if (head.kind !== useKind.name) return { first: head as ExpectStep };
  const use = head as UseStep;
  const called = callState(use.state, use.with, run, scope);
  const [first, ...rest] = called.state.steps;
  if (first?.kind !== expectKind.name) throw errorStep(`reusable state ${use.state} to start with an expect (it opens an anyOf branch)`, `its first step is ${first?.kind ?? 'missing'}`);
  const opening = first as ExpectStep;
  const bind = (expectation: MessageExpectation): MessageExpectation => ({
    ...expectation,
    ...(expectation.match !== undefined ? { match: run.render(expectation.match, called.scope) } : {}),
    ...(expectation.reply !== undefined ? { reply: run.render(expectation.reply, called.scope) as PayloadTemplate } : {}),
  });
  return { first: { ...opening, alternatives: opening.alternatives.map(bind), allow: opening.allow.map(bind) }, state: { name: use.state, rest, scope: called.scope } };
}
