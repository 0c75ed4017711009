import type { Finding, ParseResult, PayloadKind, PayloadProblem } from '../protocol/index.js';

/**
 * The checks of one payload that depend on nothing but the payload, its action, its kind and its
 * message id: its schema (OCPP-J §4.1.7) and the Part 2 §2.1.4 datatypes.
 */
export interface PayloadVerdict {
  action: string;
  kind: PayloadKind;
  messageId: string;
  problem: PayloadProblem | undefined;
  datatypes: Finding[];
}

/**
 * What is judged of a record on its own, before it meets its conversation: the costly, stateless
 * part of its judgement, which a worker thread can do (issue 14, trace speed). The inspector
 * applies it in the records' order with the conversation's state (correlation, stream rules).
 */
export interface Prejudgement {
  /** The record's time in ms since the epoch, 0 when its timestamp is unreadable (timeOf). */
  atMs: number;
  /** The frame of the record's own fields when `raw` is exactly their JSON (see frameOfCanonicalRaw). */
  canonical: ParseResult | undefined;
  /**
   * The payload checks of a canonical frame: of a request; of a response under the action its
   * record names, which the response's correlation must confirm before they are used.
   */
  verdict?: PayloadVerdict;
}
