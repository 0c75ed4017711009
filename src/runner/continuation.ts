import type { Step } from '../testcase/index.js';
import type { StepScope } from './case-run.js';

/**
 * What runs after the current step: the rest of its step list in that list's scope, then the rest
 * of the enclosing list (a state's steps continue in the case that used it), and so on.
 */
export interface Continuation {
  steps: readonly Step[];
  scope: StepScope;
  next: Continuation | undefined;
}
