import type { TraceRecord } from '../../../session/index.js';
import { TRACE_EVENT_KINDS, type EvseLayout } from '../../../domain/index.js';
import { selectorSchema, type AssertSelector, type JsonSchema } from '../../../testcase/index.js';

/** A check over the messages (or events) of the case so far, or since a named step. */
export interface Assertion {
  /** The assertion kind (its key under `assert`). */
  type: string;
  selector: AssertSelector;
  since?: string;
}

/**
 * An assertion kind (issue 12): its key under `assert`, the schema of its value, how it reads it,
 * and how it judges the selected messages. One module per kind; assertions/index.ts registers them.
 */
export interface AssertionKind<A extends Assertion = Assertion> {
  readonly name: string;
  /** Schema of the value under the kind's key: a selector and the kind's own fields. */
  readonly schema: JsonSchema;
  normalise(raw: Record<string, unknown>, since: { since?: string }): A;
  /**
   * True once `count` selected messages satisfy what must be there; judged over a window of the
   * step's timeout, because they may still be on their way. A kind about what must not be there holds at once.
   */
  enough(assertion: A, count: number): boolean;
  /**
   * Judges the selected messages (`what` describes them); returns the detail, throws a StepStop on
   * failure. `records` are all of the case's records so far, for a kind that reads a message's
   * answer or what came before it (compositeSchedule); `layout` is the station's EVSEs and
   * connectors as the configuration describes them.
   */
  judge(assertion: A, messages: readonly TraceRecord[], what: string, since: string, records: readonly TraceRecord[], layout: readonly EvseLayout[]): string;
}

/** What an assertion counts: CALLs of an action, or EVENT records of a kind. */
export const assertSelectorSchema = {
  type: 'object',
  additionalProperties: false,
  oneOf: [{ required: ['action'] }, { required: ['event'] }, { required: ['anyOf'] }],
  properties: {
    ...selectorSchema.properties,
    anyOf: {
      type: 'array', minItems: 2,
      items: { type: 'object', additionalProperties: false, required: ['action'], properties: { action: selectorSchema.properties.action, match: selectorSchema.properties.match } },
      description: 'Instead of action: the CALLs of any of these actions, each matched by its own pattern (a fact the SUT may report in several ways, e.g. StatusNotification or NotifyEvent); they are counted together.',
    },
    event: { enum: [...TRACE_EVENT_KINDS], description: 'Instead of action: EVENT records of this kind (http-request: the SUT\'s requests to the run\'s file server, with method, url, path, bytes, status); match applies to the event\'s fields.' },
  },
};

/** The selector fields of a raw assertion value, without the kind's own fields. */
export function selectorOf(raw: Record<string, unknown>, own: readonly string[]): AssertSelector {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !own.includes(key))) as unknown as AssertSelector;
}

/** What a pattern is matched against: a CALL's payload, an EVENT's fields. */
export function contentOf(record: TraceRecord): unknown {
  return record.messageType === 'EVENT' ? record.meta.event : record.payload;
}
