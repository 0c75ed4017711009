// The step kinds (issue 12): one module per kind, registered here. The test-case schema, the
// loader, the checker, the runner and the reports look a kind up by name; adding a kind is its
// module plus one line below (docs/testcase-format.md, "Adding a step kind").
import { StepFormats, type Step } from '../../testcase/index.js';
import { actionKind } from './action.js';
import { anyOfKind } from './any-of.js';
import { assertKind } from './assert.js';
import { connectionKind } from './connection.js';
import { expectKind } from './expect.js';
import { sendKind } from './send.js';
import { sendInvalidKind } from './send-invalid.js';
import type { StepKind } from './step-kind.js';
import { useKind } from './use.js';
import { waitKind } from './wait.js';

export type { StepKind, StepRunContext, LookaheadPoint } from './step-kind.js';

// A kind takes its own step type; the registry holds them by name, so each is seen as taking any step.
const registered = <S extends Step>(kind: StepKind<S>): StepKind => kind as unknown as StepKind;

/** Every step kind, in the order the schema lists them; `.of(step)` is a step's kind. */
export const STEP_KINDS = new StepFormats<StepKind>([
  registered(expectKind),
  registered(sendKind),
  registered(sendInvalidKind),
  registered(actionKind),
  registered(waitKind),
  registered(connectionKind),
  registered(assertKind),
  registered(anyOfKind),
  registered(useKind),
]);
