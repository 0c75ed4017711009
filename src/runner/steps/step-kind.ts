import type { Step, StepFormat } from '../../testcase/index.js';
import type { CaseRun, StepScope, Upcoming } from '../case-run.js';
import type { Continuation } from '../continuation.js';

/** What a step runs with. */
export interface StepRunContext {
  run: CaseRun;
  /** The step's number in reports (2, 2.1.3, post.1). */
  index: string;
  /** The scope the step stands in. */
  scope: StepScope;
  /** The scope of each forEach item (the step's scope alone without forEach). */
  items: StepScope[];
  /** The step's timeout: its own or its kind's default, scaled (see timeouts.ts); 0 for a kind that waits for nothing. */
  timeoutMs: number;
  /** What runs after the step, for the lookahead (issue 11). */
  after: Continuation | undefined;
  /** Runs nested steps as part of this one (a state's, an anyOf branch's), numbered under `prefix`. */
  runSteps(steps: readonly Step[], prefix: string, scope: StepScope, then: Continuation | undefined): Promise<void>;
}

/** Where the lookahead stands when it reaches a structural step. */
export interface LookaheadPoint {
  run: CaseRun;
  scope: StepScope;
  /** What follows the step. */
  rest: Continuation;
  /** The lookahead from another point, one level deeper (bounded, a circular catalog stops it). */
  from(continuation: Continuation): Upcoming[];
}

/**
 * A step kind (issue 12): its format (YAML key, closed schema, normalisation, static check, title,
 * default timeout) and how it runs. One module per kind; steps/index.ts registers them.
 */
export interface StepKind<S extends Step = Step> extends StepFormat<S> {
  /** Runs the step; returns the detail shown in reports. A failure throws a StepStop. */
  run(step: S, context: StepRunContext): Promise<string | undefined>;
  /** For a kind that takes CALLs from the SUT as they come (expect): what it would take, per item scope. */
  expectations?(step: S, scopes: StepScope[]): Upcoming[];
  /** For a structural kind (use, anyOf): what it takes first, seen from `at` (issue 11 lookahead). */
  opening?(step: S, at: LookaheadPoint): Upcoming[];
  /** The OCPP actions the step sends to the SUT (what a case may change on it). */
  sends?(step: S): string[];
}

/** A kind whose step runs once per forEach item, one after the other; the details are joined. */
export function perItem<S extends Step>(runOne: (step: S, run: CaseRun, scope: StepScope, timeoutMs: number) => Promise<string> | string): StepKind<S>['run'] {
  return async (step, context) => {
    const details: string[] = [];
    for (const scope of context.items) details.push(await runOne(step, context.run, scope, context.timeoutMs));
    return details.join('; ');
  };
}
