import type { ExpectStep, Step } from '../testcase/index.js';
import type { CaseRun, StepScope, Upcoming } from './case-run.js';
import { itemsFor } from './items.js';
import { callState } from './state-call.js';

/**
 * What runs after the current step: the rest of its step list in that list's scope, then the rest
 * of the enclosing list (a state's steps continue in the case that used it), and so on.
 */
export interface Continuation {
  steps: readonly Step[];
  scope: StepScope;
  next: Continuation | undefined;
}

// A `use` inside a state's first step inside ...: deeper than this, the catalog is circular.
const MAX_DEPTH = 16;

/**
 * Issue 11: the expectations of the first step after the current one that takes a CALL (an
 * expect, with the expects right after it; through a `use` into its state's first steps; every
 * branch of an anyOf). Steps that take no CALL (action, send, wait, assert, connection) are looked past.
 */
export function nextExpectations(from: Continuation | undefined, run: CaseRun, depth = 0): Upcoming[] {
  if (depth > MAX_DEPTH) return [];
  for (let at = from; at; at = at.next) {
    for (const [index, step] of at.steps.entries()) {
      const rest: Continuation = { steps: at.steps.slice(index + 1), scope: at.scope, next: at.next };
      switch (step.kind) {
        case 'expect':
          return [...expectationsOf(step, run, at.scope), ...followingExpects(rest, run)];
        case 'use':
          return stateOpening(step.state, step.with, step.forEach, rest, run, depth);
        case 'anyOf':
          return step.branches.flatMap((branch) => nextExpectations({ steps: branch, scope: at.scope, next: rest }, run, depth + 1));
        default:
          continue;
      }
    }
  }
  return [];
}

/**
 * The expects that follow one another right after the first: a device API that answers only when
 * its exchange is over (a token presented: Authorize, then StartTransaction, then a status) makes
 * the SUT send all of them while the action runs, each to be answered as its step says.
 */
function followingExpects(from: Continuation | undefined, run: CaseRun): Upcoming[] {
  const found: Upcoming[] = [];
  // A state's last expect is followed by the steps of the case that used it.
  for (let at = from; at; at = at.next) {
    for (const step of at.steps) {
      if (step.kind === 'assert') continue;
      if (step.kind !== 'expect') return found;
      found.push(...expectationsOf(step, run, at.scope));
    }
  }
  return found;
}

function expectationsOf(step: ExpectStep, run: CaseRun, scope: StepScope): Upcoming[] {
  const scopes = step.forEach ? itemsFor(run.env.config, step.forEach, run.testCase.ocpp).map((item) => ({ ...scope, item })) : [scope];
  return [
    ...scopes.flatMap((itemScope) => step.alternatives.map((expectation) => ({ expectation, scope: itemScope }))),
    ...step.allow.map((expectation) => ({ expectation, scope: {} })),
  ];
}

function stateOpening(name: string, given: Record<string, unknown>, forEach: 'connector' | 'evse' | undefined, rest: Continuation, run: CaseRun, depth: number): Upcoming[] {
  // A state used forEach opens with its first item.
  const first = forEach ? itemsFor(run.env.config, forEach, run.testCase.ocpp)[0] : undefined;
  const scope = first ? { ...rest.scope, item: first } : rest.scope;
  try {
    const called = callState(name, given, run, scope);
    return nextExpectations({ steps: called.state.steps, scope: called.scope, next: rest }, run, depth + 1);
  } catch {
    // A state that cannot be reached yet (its parameters name values not captured) is judged when it runs.
    return [];
  }
}
