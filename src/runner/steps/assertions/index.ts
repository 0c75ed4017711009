// The assertion kinds an assert step may use, by their key under `assert` (issue 12).
import type { Assertion, AssertionKind } from './assertion-kind.js';
import { chargingProfileRulesAssertion } from './charging-profile-rules.js';
import { compositeScheduleAssertion } from './composite-schedule.js';
import { countAssertion } from './count.js';
import { increasingAssertion } from './increasing.js';
import { noneAssertion } from './none.js';
import { someAssertion } from './some.js';

export * from './assertion-kind.js';

// A kind takes its own assertion type; the registry holds them by name, so each is seen as taking any.
const registered = <A extends Assertion>(kind: AssertionKind<A>): AssertionKind => kind as unknown as AssertionKind;

/** Every assertion kind, in the order the schema lists them. */
export const ASSERTION_KINDS: readonly AssertionKind[] = [registered(noneAssertion), registered(someAssertion), registered(countAssertion), registered(increasingAssertion), registered(compositeScheduleAssertion), registered(chargingProfileRulesAssertion)];
