import { failStep } from '../../step-stop.js';
import { assertSelectorSchema, selectorOf, type Assertion, type AssertionKind } from './assertion-kind.js';

/** `count`: how many such messages, between min and max, or one of `in` (e.g. [1, 4]: once, or once per attempt). */
export interface CountAssertion extends Assertion {
  min?: number;
  max?: number;
  in?: number[];
}

const OWN = ['min', 'max', 'in'];

export const countAssertion: AssertionKind<CountAssertion> = {
  name: 'count',
  schema: {
    ...assertSelectorSchema,
    description: 'How many such messages (or events): at least min, at most max, or one of in.',
    properties: {
      ...assertSelectorSchema.properties, min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 },
      in: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, description: 'The number must be one of these (e.g. [1, 4]).' },
    },
  },
  normalise: (raw, since) => {
    const assertion: CountAssertion = { type: 'count', selector: selectorOf(raw, OWN), ...since };
    if (typeof raw['min'] === 'number') assertion.min = raw['min'];
    if (typeof raw['max'] === 'number') assertion.max = raw['max'];
    if (Array.isArray(raw['in'])) assertion.in = raw['in'] as number[];
    return assertion;
  },
  enough: (assertion, count) => count >= (assertion.min ?? 0) && (!assertion.in || assertion.in.includes(count)),
  judge: (assertion, messages, what, since) => {
    const { min = 0, max = Number.POSITIVE_INFINITY } = assertion;
    if (messages.length < min || messages.length > max) throw failStep(`${min}${max === Number.POSITIVE_INFINITY ? ' or more' : ` to ${max}`} × ${what}${since}`, `${messages.length}`);
    if (assertion.in && !assertion.in.includes(messages.length)) throw failStep(`${assertion.in.join(' or ')} × ${what}${since}`, `${messages.length}`);
    return `${messages.length} × ${what}`;
  },
};
