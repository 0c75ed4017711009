import { failStep } from '../../step-stop.js';
import { assertSelectorSchema, selectorOf, type Assertion, type AssertionKind } from './assertion-kind.js';

/** `some`: at least one such message (or event). */
export const someAssertion: AssertionKind<Assertion> = {
  name: 'some',
  schema: { ...assertSelectorSchema, description: 'At least one such message (or event) so far (or since the named step).' },
  normalise: (raw, since) => ({ type: 'some', selector: selectorOf(raw, []), ...since }),
  enough: (_assertion, count) => count > 0,
  judge: (_assertion, messages, what, since) => {
    if (messages.length === 0) throw failStep(`at least one ${what}${since}`, 'none');
    return `${messages.length} × ${what}`;
  },
};
