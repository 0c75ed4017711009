import { readPath, text } from '../../../testcase/index.js';
import { failStep, jsonText } from '../../step-stop.js';
import { assertSelectorSchema, contentOf, selectorOf, type Assertion, type AssertionKind } from './assertion-kind.js';

/**
 * `increasing`: the number at `path` grows from each such message to the next (e.g. seqNo), or the
 * ISO 8601 date-time there is later each time (queued meter values delivered in chronological order).
 */
export interface IncreasingAssertion extends Assertion {
  path: string;
}

export const increasingAssertion: AssertionKind<IncreasingAssertion> = {
  name: 'increasing',
  schema: { ...assertSelectorSchema, required: ['path'], description: 'A number (or an ISO 8601 date-time) that must increase across such messages.', properties: { ...assertSelectorSchema.properties, path: text('Dotted path of the value that must increase, e.g. seqNo or meterValue.0.timestamp.') } },
  normalise: (raw, since) => ({ type: 'increasing', selector: selectorOf(raw, ['path']), path: String(raw['path']), ...since }),
  enough: () => true,
  judge: ({ path }, messages, what) => {
    let previous: { value: number; raw: unknown } | undefined;
    for (const message of messages) {
      const found = readPath(contentOf(message), path);
      const raw = found.found ? found.value : undefined;
      const value = orderOf(raw);
      if (Number.isNaN(value)) throw failStep(`${path} in every ${what}`, `no number or date-time at ${path} in ${jsonText(contentOf(message))}`);
      if (previous !== undefined && value <= previous.value) throw failStep(`${path} increasing across ${what}`, `${String(raw)} after ${String(previous.raw)}`);
      previous = { value, raw };
    }
    return `${path} increasing over ${messages.length} × ${what}`;
  },
};

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A number, or the instant of an ISO 8601 date-time in ms; NaN for anything else. */
function orderOf(value: unknown): number {
  if (typeof value === 'string' && DATE_TIME.test(value)) return Date.parse(value);
  return Number(value);
}
