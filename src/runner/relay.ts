import { isDeepStrictEqual } from 'node:util';
import { appendPath, parsePath, readPath, readSegments } from '../testcase/index.js';
import type { RelayNote, StepResult } from './results.js';

/**
 * The paths a pattern checks: every literal it compares and every operator object, by dotted
 * payload path ('' is the payload itself). An empty object or array checks the value's shape only,
 * so it is a check of its own.
 */
export function checkedPaths(pattern: unknown, path = ''): string[] {
  if (Array.isArray(pattern)) return pattern.length === 0 ? [path] : pattern.flatMap((element, index) => checkedPaths(element, appendPath(path, index)));
  if (!isPlainObject(pattern)) return pattern === undefined ? [] : [path];
  const keys = Object.keys(pattern);
  if (keys.length === 0 || keys.some((key) => key.startsWith('$'))) return [path];
  return keys.flatMap((key) => checkedPaths(pattern[key], appendPath(path, key)));
}

/**
 * Splits the checked paths of a matched pattern into those the adapter supplied and the rest. A
 * check was supplied when the payload's value there equals a value a device action passed on;
 * where the payload has no value (an absence check) the nearest enclosing object decides, since
 * handing over an object hands over what it lacks too.
 */
export function noteChecks(pattern: unknown, payload: unknown, handed: readonly unknown[]): RelayNote {
  const note: RelayNote = { supplied: [], notSupplied: [] };
  for (const path of checkedPaths(pattern)) {
    const value = nearestValue(payload, path);
    (handed.some((candidate) => isDeepStrictEqual(candidate, value)) ? note.supplied : note.notSupplied).push(path);
  }
  return note;
}

/** A value and every value nested in it: what handing it to an adapter hands over. */
export function valuesOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  const nested = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  return [value, ...nested.flatMap(valuesOf)];
}

/**
 * A case's record of what its device actions passed on and what its expect steps checked. The
 * action step hands params in, the expect step notes each match; notes land on the step running
 * at that moment (`enter`), and `relayed` tells whether the whole case rested on values passed on.
 */
export class RelayLedger {
  /** Every value the case's device actions passed on, nested ones included. */
  private readonly handed: unknown[] = [];
  private current: StepResult | undefined;
  /** Matches whose every check was supplied, and matches with a check (or a message) of the SUT's own. */
  private relayedMatches = 0;
  private ownMatches = 0;

  /**
   * Records the params a device action hands to its adapter; `forwarded` names those the adapter
   * passes on to the SUT, when it can tell (undefined: all of them).
   */
  hand(params: unknown, forwarded?: readonly string[]): void {
    const passedOn = forwarded === undefined ? [params] : forwarded.map((path) => readPath(params, path)).flatMap((reading) => (reading.found ? [reading.value] : []));
    this.handed.push(...passedOn.flatMap(valuesOf));
  }

  /** Makes `step` the one later notes belong to; returns the function that restores the previous one. */
  enter(step: StepResult): () => void {
    const previous = this.current;
    this.current = step;
    return () => {
      this.current = previous;
    };
  }

  /**
   * Notes a CALL that matched an expectation of `action` with `pattern`. A message no device action
   * named is the SUT's own initiative: all its checks are its own.
   */
  note(action: string, pattern: unknown, payload: unknown): void {
    if (!this.handed.includes(action)) {
      this.ownMatches++;
      return;
    }
    const note = noteChecks(pattern, payload, this.handed);
    if (note.notSupplied.length > 0) this.ownMatches++;
    else this.relayedMatches++;
    if (this.current) this.current.relay = merge(this.current.relay, note);
  }

  /** True when the case's expect steps matched only messages a device action named, with every check supplied. */
  get relayed(): boolean {
    return this.relayedMatches > 0 && this.ownMatches === 0;
  }
}

function merge(before: RelayNote | undefined, note: RelayNote): RelayNote {
  if (!before) return note;
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return { supplied: union(before.supplied, note.supplied), notSupplied: union(before.notSupplied, note.notSupplied) };
}

function nearestValue(payload: unknown, path: string): unknown {
  const segments = parsePath(path);
  for (let depth = segments.length; depth >= 0; depth--) {
    const reading = readSegments(payload, segments.slice(0, depth));
    if (reading.found) return reading.value;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
