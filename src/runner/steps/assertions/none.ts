import { failStep, jsonText } from '../../step-stop.js';
import { assertSelectorSchema, selectorOf, type Assertion, type AssertionKind } from './assertion-kind.js';

/** `none`: no such message (or event). */
export const noneAssertion: AssertionKind<Assertion> = {
  name: 'none',
  schema: { ...assertSelectorSchema, description: 'No such message (or event) so far (or since the named step).' },
  normalise: (raw, since) => ({ type: 'none', selector: selectorOf(raw, []), ...since }),
  enough: () => true,
  judge: (_assertion, messages, what, since) => {
    if (messages.length > 0) throw failStep(`no ${what}${since}`, `${messages.length} found, first: ${jsonText(messages[0]!.payload)}`);
    return `no ${what}`;
  },
};
