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
 * What one device action passed on to the SUT: the action it named (`params.action`), the payload
 * it handed over (`params.payload`, or parts of it), each at its place in the message the SUT is
 * to send, and its key parameters by name (`evseId`, `transactionId`).
 */
export interface Handed {
  action?: string;
  /** Values of the message's payload, each at its payload path (`[]`: the whole payload). */
  placed: Array<{ at: string[]; value: unknown }>;
  /** Key parameters, by name. */
  named: Array<{ name: string; value: unknown }>;
}

/**
 * What a device action's params hand over, given the param paths its adapter passes on
 * (undefined: all of them). A path under `payload` places a value in the message; any other param
 * is a key parameter named by its last segment.
 */
export function handedBy(params: unknown, forwarded?: readonly string[]): Handed {
  const paths = forwarded ?? (isPlainObject(params) ? Object.keys(params) : []);
  const handed: Handed = { placed: [], named: [] };
  for (const path of paths) {
    const reading = readPath(params, path);
    if (!reading.found) continue;
    const [first, ...rest] = parsePath(path);
    if (first === 'payload') handed.placed.push({ at: rest, value: reading.value });
    else if (first === 'action' && rest.length === 0 && typeof reading.value === 'string') handed.action = reading.value;
    else handed.named.push({ name: parsePath(path).at(-1) ?? '', value: reading.value });
  }
  return handed;
}

/**
 * Splits the checked paths of a matched pattern into those the adapter supplied and the rest.
 * Exact, not a guess from equal values: a check was supplied when a device action put an equal
 * value at the same payload path, or handed a key parameter of that field's name (`transactionId`
 * for `transactionId`, `evseId` for `evse.id`) with an equal value. Where the payload has no value
 * (an absence check) the nearest enclosing object decides, since handing over an object hands over
 * what it lacks too.
 */
export function noteChecks(pattern: unknown, payload: unknown, handed: readonly Handed[]): RelayNote {
  const note: RelayNote = { supplied: [], notSupplied: [] };
  for (const path of checkedPaths(pattern)) (handed.some((by) => supplies(by, payload, path)) ? note.supplied : note.notSupplied).push(path);
  return note;
}

function supplies(by: Handed, payload: unknown, path: string): boolean {
  const { at, value } = nearest(payload, path);
  const placed = by.placed.some((entry) => {
    if (entry.at.length > at.length || entry.at.some((segment, index) => segment !== at[index])) return false;
    const reading = readSegments(entry.value, at.slice(entry.at.length));
    return reading.found && isDeepStrictEqual(reading.value, value);
  });
  if (placed) return true;
  const names = namesOf(at);
  return by.named.some((entry) => names.includes(entry.name) && isDeepStrictEqual(entry.value, value));
}

/** The names a key parameter for a payload path may have: its field's (`id`), and its fields joined (`evseId`). */
function namesOf(at: readonly string[]): string[] {
  const fields = at.filter((segment) => !/^\d+$/.test(segment));
  const joined = fields.map((field, index) => (index === 0 ? field : `${field.charAt(0).toUpperCase()}${field.slice(1)}`)).join('');
  return fields.length === 0 ? [] : [fields.at(-1)!, joined];
}

/** A field of a frame the harness sent to the SUT, under the name it had there. */
interface Sent {
  key: string;
  value: unknown;
}

/**
 * A case's record of what its device actions passed on and what its expect steps checked. The
 * action step hands params in, the expect step notes each match; notes land on the step running
 * at that moment (`enter`), and `relayed` tells whether the whole case rested on values passed on.
 * Issue 13 item 7: it also sorts every check of the case by where the checked value came from
 * (`origins`): a device action's adapter (see noteChecks), the harness (a value it had sent to the
 * SUT, in a CALL or in an answer, before the checked message arrived, under the same field name:
 * an idToken or remoteStartId the SUT sends back, a 1.6 transactionId the harness's
 * StartTransaction.conf gave), or the SUT.
 */
export class RelayLedger {
  /** What each device action of the case passed on. */
  private readonly handed: Handed[] = [];
  private readonly checks: CheckOrigins = { sut: [], harness: [], adapter: [] };
  private current: StepResult | undefined;
  /** Matches whose every check was supplied, and matches with a check (or a message) of the SUT's own. */
  private relayedMatches = 0;
  private ownMatches = 0;

  /**
   * `sentBefore(messageId)`: the payloads of the frames (CALLs and answers) the harness sent to
   * the SUT during the case before the SUT's message with that id (all of them when unknown).
   */
  constructor(private readonly sentBefore: (messageId?: string) => readonly unknown[] = () => []) {}

  /**
   * Records the params a device action hands to its adapter; `forwarded` names those the adapter
   * passes on to the SUT, when it can tell (undefined: all of them).
   */
  hand(params: unknown, forwarded?: readonly string[]): void {
    this.handed.push(handedBy(params, forwarded));
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
   * Notes a CALL (`messageId`) that matched an expectation of `action` with `pattern`. A message no
   * device action named is the SUT's own initiative: none of its checks was the adapter's.
   */
  note(action: string, pattern: unknown, payload: unknown, messageId?: string): void {
    const naming = this.handed.filter((by) => by.action === action);
    if (naming.length === 0) {
      this.ownMatches++;
      this.sortChecks(`${action}Request`, pattern, payload, [], messageId);
      return;
    }
    const note = noteChecks(pattern, payload, naming);
    if (note.notSupplied.length > 0) this.ownMatches++;
    else this.relayedMatches++;
    if (this.current) this.current.relay = merge(this.current.relay, note);
    this.sortChecks(`${action}Request`, pattern, payload, note.supplied, messageId);
  }

  /** Notes the checks of a pattern a SUT's response (`messageId`) matched (a send step's `match`). */
  noteResponse(action: string, pattern: unknown, payload: unknown, messageId?: string): void {
    this.sortChecks(`${action}Response`, pattern, payload, [], messageId);
  }

  /** The case's checks by where the checked value came from, a "<step> <message> <path>" line each. */
  get origins(): CheckOrigins {
    return { sut: [...this.checks.sut], harness: [...this.checks.harness], adapter: [...this.checks.adapter] };
  }

  private sortChecks(message: string, pattern: unknown, payload: unknown, supplied: readonly string[], messageId: string | undefined): void {
    const sent = this.sentBefore(messageId).flatMap(fieldsOf);
    for (const path of checkedPaths(pattern)) {
      const line = `${this.current?.index ?? '?'} ${message} ${path || '(payload)'}`;
      if (supplied.includes(path)) this.checks.adapter.push(line);
      else if (wasSent(sent, path, payload)) this.checks.harness.push(line);
      else this.checks.sut.push(line);
    }
  }

  /** True when the case's expect steps matched only messages a device action named, with every check supplied. */
  get relayed(): boolean {
    return this.relayedMatches > 0 && this.ownMatches === 0;
  }
}

// A value is the harness's when a frame it sent earlier carried an equal value under the same field
// name (a remoteStartId, an idToken the SUT sends back); a bare equal value elsewhere proves nothing.
function wasSent(sent: readonly Sent[], path: string, payload: unknown): boolean {
  const { at, value } = nearest(payload, path);
  const key = at.findLast((segment) => !/^\d+$/.test(segment));
  return key !== undefined && sent.some((field) => field.key === key && isDeepStrictEqual(field.value, value));
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

/** The value at a payload path, or (for an absent field) at its nearest enclosing path that has one. */
function nearest(payload: unknown, path: string): { at: string[]; value: unknown } {
  const segments = parsePath(path);
  for (let depth = segments.length; depth >= 0; depth--) {
    const reading = readSegments(payload, segments.slice(0, depth));
    if (reading.found) return { at: segments.slice(0, depth), value: reading.value };
  }
  return { at: [], value: undefined };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
