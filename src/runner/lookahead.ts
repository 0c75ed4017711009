import type { CaseRun, Upcoming } from './case-run.js';
import type { Continuation } from './continuation.js';
import { itemScopes } from './items.js';
import { stepApplies } from './step-when.js';
import { STEP_KINDS } from './steps/index.js';

export type { Continuation } from './continuation.js';

// A `use` inside a state's first step inside ...: deeper than this, the catalog is circular.
const MAX_DEPTH = 16;

/**
 * Issue 11: the expectations of the first step after the current one that takes a CALL (an
 * expect, with the expects right after it; through a structural step, a `use` or an `anyOf`, into
 * what it opens with). Steps that take no CALL (action, send, wait, assert, connection) are looked past.
 */
export function nextExpectations(from: Continuation | undefined, run: CaseRun, depth = 0): Upcoming[] {
  if (depth > MAX_DEPTH) return [];
  for (let at = from; at; at = at.next) {
    for (const [index, step] of at.steps.entries()) {
      const rest: Continuation = { steps: at.steps.slice(index + 1), scope: at.scope, next: at.next };
      if (!stepApplies(step, run, at.scope)) continue;
      const kind = STEP_KINDS.of(step);
      if (kind.expectations) return [...kind.expectations(step, itemScopes(step.forEach, run, at.scope)), ...followingExpects(rest, run)];
      if (kind.opening) return kind.opening(step, { run, scope: at.scope, rest, from: (continuation) => nextExpectations(continuation, run, depth + 1) });
    }
  }
  return [];
}

/**
 * The expects that follow one another right after the first: a device API that answers only when
 * its exchange is over (a token presented: Authorize, then StartTransaction, then a status) makes
 * the SUT send all of them while the action runs, each to be answered as its step says. Passive
 * steps (assertions) in between do not break the chain.
 */
function followingExpects(from: Continuation | undefined, run: CaseRun): Upcoming[] {
  const found: Upcoming[] = [];
  // A state's last expect is followed by the steps of the case that used it.
  for (let at = from; at; at = at.next) {
    for (const step of at.steps) {
      const kind = STEP_KINDS.of(step);
      if (kind.passive || !stepApplies(step, run, at.scope)) continue;
      if (!kind.expectations) return found;
      found.push(...kind.expectations(step, itemScopes(step.forEach, run, at.scope)));
    }
  }
  return found;
}
