import { readPath, text } from '../../../testcase/index.js';
import { failStep, jsonText } from '../../step-stop.js';
import { assertSelectorSchema, contentOf, selectorOf, type Assertion, type AssertionKind } from './assertion-kind.js';

/** `increasing`: the number at `path` grows from each such message to the next (e.g. seqNo). */
export interface IncreasingAssertion extends Assertion {
  path: string;
}

export const increasingAssertion: AssertionKind<IncreasingAssertion> = {
  name: 'increasing',
  schema: { ...assertSelectorSchema, required: ['path'], description: 'A number that must increase across such messages.', properties: { ...assertSelectorSchema.properties, path: text('Dotted path of the value that must increase, e.g. seqNo.') } },
  normalise: (raw, since) => ({ type: 'increasing', selector: selectorOf(raw, ['path']), path: String(raw['path']), ...since }),
  enough: () => true,
  judge: ({ path }, messages, what) => {
    let previous: number | undefined;
    for (const message of messages) {
      const found = readPath(contentOf(message), path);
      const value = found.found ? Number(found.value) : Number.NaN;
      if (Number.isNaN(value)) throw failStep(`${path} in every ${what}`, `no number at ${path} in ${jsonText(contentOf(message))}`);
      if (previous !== undefined && value <= previous) throw failStep(`${path} increasing across ${what}`, `${value} after ${previous}`);
      previous = value;
    }
    return `${path} increasing over ${messages.length} × ${what}`;
  },
};
