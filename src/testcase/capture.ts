import type { Capture } from './format.js';
import { describePattern, matchPayload, type MatchOptions } from './match.js';
import { readPath, type PathReading } from './value-path.js';

/**
 * Reads what a capture keeps from a payload: the value at a dotted path, or, for `{ in, where,
 * path }`, the first element of the array at `in` that matches `where` (already rendered), or the
 * value at `path` inside that element. Order in the array does not matter, which is what Part 6
 * means by "an entry with the following values".
 */
export function readCapture(payload: unknown, capture: Capture, options: MatchOptions): PathReading {
  if (typeof capture === 'string') return readPath(payload, capture);
  const list = readPath(payload, capture.in);
  if (!list.found || !Array.isArray(list.value)) return { found: false };
  const element = list.value.find((candidate) => matchPayload(capture.where, candidate, options).length === 0);
  return element === undefined ? { found: false } : readPath(element, capture.path ?? '');
}

/** A capture for people: `a value at transactionInfo.transactionId`, or which element and field. */
export function describeCapture(capture: Capture): string {
  if (typeof capture === 'string') return `a value at ${capture}`;
  const element = `an element of ${capture.in} matching ${describePattern(capture.where)}`;
  return capture.path ? `${element}, with a value at ${capture.path}` : element;
}

/** The patterns a capture holds (its `where`), for the load-time checks. */
export function capturePatterns(capture: unknown): unknown[] {
  return typeof capture === 'object' && capture !== null && 'where' in capture ? [(capture as { where: unknown }).where] : [];
}
