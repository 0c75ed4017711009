import { isDeepStrictEqual } from 'node:util';
import { appendPath, parsePath, readPath, readSegments } from '../testcase/index.js';
import type { CheckOrigins, RelayNote, StepResult } from './results.js';

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

/** A value the harness sent to the SUT, under the field name it had there. */
interface Sent {
  key: string;
  value: unknown;
}

/**
 * A case's record of what its device actions passed on and what its expect steps checked. The
 * action step hands params in, the expect step notes each match; notes land on the step running
 * at that moment (`enter`), and `relayed` tells whether the whole case rested on values passed on.
 * Issue 13 item 7: it also sorts every check of the case by where the checked value came from
 * (`origins`): the SUT, the harness (a value of a CALL it sent, under the same field name), or a
 * device action's adapter.
 */
export class RelayLedger {
  /** Every value the case's device actions passed on, nested ones included. */
  private readonly handed: unknown[] = [];
  /** Every field of the harness's CALLs to the SUT, nested ones included. */
  private readonly sent: Sent[] = [];
  private readonly checks: CheckOrigins = { sut: [], harness: [], adapter: [] };
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

  /** Records the payload of a CALL the harness sends to the SUT: a value the SUT may echo later. */
  supply(payload: unknown): void {
    this.sent.push(...fieldsOf(payload));
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
      this.sortChecks(`${action}Request`, pattern, payload, []);
      return;
    }
    const note = noteChecks(pattern, payload, this.handed);
    if (note.notSupplied.length > 0) this.ownMatches++;
    else this.relayedMatches++;
    if (this.current) this.current.relay = merge(this.current.relay, note);
    this.sortChecks(`${action}Request`, pattern, payload, note.supplied);
  }

  /** Notes the checks of a pattern a SUT's response matched (a send step's `match`). */
  noteResponse(action: string, pattern: unknown, payload: unknown): void {
    this.sortChecks(`${action}Response`, pattern, payload, []);
  }

  /** The case's checks by where the checked value came from, a "<step> <message> <path>" line each. */
  get origins(): CheckOrigins {
    return { sut: [...this.checks.sut], harness: [...this.checks.harness], adapter: [...this.checks.adapter] };
  }

  private sortChecks(message: string, pattern: unknown, payload: unknown, supplied: readonly string[]): void {
    for (const path of checkedPaths(pattern)) {
      const line = `${this.current?.index ?? '?'} ${message} ${path || '(payload)'}`;
      if (supplied.includes(path)) this.checks.adapter.push(line);
      else if (this.wasSent(path, payload)) this.checks.harness.push(line);
      else this.checks.sut.push(line);
    }
  }

  // A value is the harness's when one of its CALLs carried an equal value under the same field name
  // (a remoteStartId, an idToken the SUT sends back); a bare equal value elsewhere proves nothing.
  private wasSent(path: string, payload: unknown): boolean {
    const key = parsePath(path).findLast((segment) => !/^\d+$/.test(segment));
    if (key === undefined) return false;
    const value = nearestValue(payload, path);
    return this.sent.some((field) => field.key === key && isDeepStrictEqual(field.value, value));
  }

  /** True when the case's expect steps matched only messages a device action named, with every check supplied. */
  get relayed(): boolean {
    return this.relayedMatches > 0 && this.ownMatches === 0;
  }
}

/** Every field of a value, nested ones included, with the name it has in its object. */
function fieldsOf(value: unknown): Sent[] {
  if (Array.isArray(value)) return value.flatMap(fieldsOf);
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, field]) => [{ key, value: field }, ...fieldsOf(field)]);
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
