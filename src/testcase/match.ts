import { isDeepStrictEqual } from 'node:util';
import { certificateLabel, checkCsr, csrAnswerProblem, hashDataNames, type CsrExpectation } from '../pki/index.js';
import { appendPath, readSegments, type PathReading } from './value-path.js';

/** Options of one payload comparison. */
export interface MatchOptions {
  /** How far a `$timeNear` time may be from the wanted one, unless the pattern says `$toleranceMs` (OCTT labs: 4000). */
  timeToleranceMs: number;
}

/** One place where a payload differs from its pattern. */
export interface Mismatch {
  /** Dotted path of the differing value, e.g. `meterValue.0.sampledValue`; '' is the root. */
  path: string;
  /** What the pattern wanted, e.g. `one of ["Accepted","Rejected"]`. */
  expected: string;
  /** The actual value as JSON truncated to about 80 characters, or `absent`. */
  actual: string;
}

/** A pattern that cannot be matched (unknown operator, wrong operand): the test case author's mistake, never the device's. */
export class PatternError extends Error {
  readonly code = 'OH_PATTERN_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

type OperatorObject = Record<string, unknown>;
/** A value in its parent, or the fact that the key is absent. */
type Slot = PathReading;
/** Where an operator is judged: the slot, its path, the options and the sibling keys (for modifiers). */
interface Probe { slot: Slot; path: string; options: MatchOptions; object: OperatorObject }

/** What one operator knows: how to check its operand at load time, describe itself and judge a value. */
interface Operator {
  /** Returns what is wrong with the operand, e.g. "needs an array of values". */
  check?(operand: unknown, object: OperatorObject): string | undefined;
  describe(operand: unknown, object: OperatorObject, options?: MatchOptions): string;
  /** Set when the operator can hold on an absent key; every other operator fails there. */
  judgesAbsence?: true;
  /** The operands that are patterns themselves, so the load-time check walks into them. */
  patterns?(operand: unknown): unknown[];
  /** `false` fails with the operator's description; a list reports its own mismatches. */
  holds(operand: unknown, value: unknown, probe: Probe): boolean | Mismatch[];
}

const MAX_ACTUAL_CHARS = 80;
const NUMERIC_STRING = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const REGEX_FLAGS = /^[dgimsuvy]*$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const TYPES: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string', number: (value) => typeof value === 'number', integer: Number.isInteger,
  boolean: (value) => typeof value === 'boolean', object: isPlainObject, array: Array.isArray, null: (value) => value === null,
};
const needs = (ok: boolean, what: string): string | undefined => (ok ? undefined : `needs ${what}`);

const OPERATORS = new Map<string, Operator>([
  ['$eq', { describe: json, holds: (operand, value) => isDeepStrictEqual(operand, value) }],
  ['$ne', { describe: (operand) => `not ${json(operand)}`, holds: (operand, value) => !isDeepStrictEqual(operand, value) }],
  ['$in', {
    check: (operand) => needs(Array.isArray(operand), 'an array of values'), describe: (operand) => `one of ${json(operand)}`,
    holds: (operand, value) => (operand as unknown[]).some((candidate) => isDeepStrictEqual(candidate, value)),
  }],
  ['$regex', {
    check: (operand, object) => regexProblem(operand, object.$flags),
    describe: (operand, object) => `a value matching /${String(operand)}/${typeof object.$flags === 'string' ? object.$flags : ''}`,
    holds: (operand, value, { object }) => typeof value === 'string' && new RegExp(operand as string, (object.$flags as string | undefined) ?? '').test(value),
  }],
  comparison('$gt', '>', (actual, bound) => actual > bound),
  comparison('$gte', '>=', (actual, bound) => actual >= bound),
  comparison('$lt', '<', (actual, bound) => actual < bound),
  comparison('$lte', '<=', (actual, bound) => actual <= bound),
  ['$exists', {
    check: (operand) => needs(typeof operand === 'boolean', 'true or false'), describe: (operand) => (operand ? 'present' : 'absent'),
    judgesAbsence: true, holds: (operand, _value, { slot }) => slot.found === operand,
  }],
  ['$contains', {
    describe: (operand, _object, options) => `an array containing ${describePattern(operand, options)}`, patterns: (operand) => [operand],
    holds: (operand, value, probe) => Array.isArray(value) && value.some((element) => matches(operand, element, probe)),
  }],
  ['$all', {
    check: (operand) => needs(Array.isArray(operand), 'an array of patterns'),
    describe: (operand, _object, options) => `an array containing each of ${describeList(operand, ', ', options)}`,
    patterns: (operand) => operand as unknown[],
    holds: (operand, value, probe) => {
      if (!Array.isArray(value)) return false;
      const missing = (operand as unknown[]).filter((wanted) => !value.some((element) => matches(wanted, element, probe)));
      return missing.map((wanted) => mismatch(probe.path, `an array containing ${describePattern(wanted, probe.options)}`, probe.slot));
    },
  }],
  ['$length', {
    describe: (operand, _object, options) => `length ${describePattern(operand, options)}`, patterns: (operand) => [operand],
    holds: (operand, value, probe) => {
      if (typeof value !== 'string' && !Array.isArray(value)) return false;
      if (matches(operand, value.length, probe)) return true;
      return [{ path: probe.path, expected: `length ${describePattern(operand, probe.options)}`, actual: `${show(probe.slot)} (length ${value.length})` }];
    },
  }],
  ['$anyOf', {
    check: (operand) => needs(Array.isArray(operand) && operand.length > 0, 'a non-empty array of patterns'),
    describe: (operand, _object, options) => `any of (${describeList(operand, ' | ', options)})`,
    judgesAbsence: true, patterns: (operand) => operand as unknown[],
    holds: (operand, _value, { slot, path, options }) => (operand as unknown[]).some((pattern) => matchSlot(pattern, slot, path, options).length === 0),
  }],
  // An optional field with a defined default (OCPP 2.0.1 Part 2, the JSON schema's `default`): absence
  // means the default, so `attributeType: { $default: Actual }` takes an absent attributeType or "Actual".
  ['$default', {
    check: (operand) => needs(operand !== null && ['string', 'number', 'boolean'].includes(typeof operand), 'the default value (a string, number or boolean)'),
    describe: (operand) => `${json(operand)} (or absent, its default)`,
    judgesAbsence: true, holds: (operand, value, { slot }) => !slot.found || isDeepStrictEqual(operand, value),
  }],
  // Plain negation: `$not: 'Rejected'` also holds on an absent key, whereas `$ne: 'Rejected'` needs a value.
  ['$not', {
    describe: (operand, _object, options) => `not ${describePattern(operand, options)}`, judgesAbsence: true, patterns: (operand) => [operand],
    holds: (operand, _value, { slot, path, options }) => matchSlot(operand, slot, path, options).length > 0,
  }],
  ['$timeNear', {
    check: (operand) => needs(typeof operand === 'string' && parseTime(operand) !== undefined, 'an ISO 8601 date-time'),
    describe: (operand, object, options) => {
      const toleranceMs = typeof object.$toleranceMs === 'number' ? object.$toleranceMs : options?.timeToleranceMs;
      const wantedMs = typeof operand === 'string' ? parseTime(operand) : undefined;
      const wanted = wantedMs === undefined ? String(operand) : new Date(wantedMs).toISOString();
      return toleranceMs === undefined ? `a time near ${wanted}` : `a time within ${toleranceMs} ms of ${wanted}`;
    },
    holds: (operand, value, { object, options }) => {
      const actualMs = typeof value === 'string' ? parseTime(value) : undefined;
      const toleranceMs = (object.$toleranceMs as number | undefined) ?? options.timeToleranceMs;
      return actualMs !== undefined && Math.abs(actualMs - (parseTime(operand as string) as number)) <= toleranceMs;
    },
  }],
  // OCPP CertificateHashDataType naming this (root) certificate, in the hashAlgorithm the value states.
  ['$hashDataOf', {
    check: (operand) => needs(typeof operand === 'string' && certificateLabel(operand) !== undefined, 'a PEM certificate'),
    describe: (operand) => `the hash data of ${(typeof operand === 'string' && certificateLabel(operand)) || 'an unreadable certificate'}`,
    holds: (operand, value) => hashDataNames(value, operand as string),
  }],
  // A PEM CSR that is right (signature, key, subject: A02.FR.03, A00.FR.501–511), naming the operand's CN and O when given.
  ['$csr', {
    check: (operand) => needs(isPlainObject(operand) && Object.entries(operand).every(([key, value]) => CSR_NAMES.includes(key) && typeof value === 'string'), `an object of ${CSR_NAMES.join(' and ')} (strings), e.g. {}`),
    describe: (operand) => `a valid CSR${describeCsrNames(operand)}`,
    holds: (operand, value, { path, slot }) => {
      const check = checkCsr(typeof value === 'string' ? value : '', operand as CsrExpectation);
      return check.ok ? true : [{ path, expected: `a valid CSR${describeCsrNames(operand)}`, actual: `${check.reason} (${check.requirement}): ${show(slot)}` }];
    },
  }],
  // A PEM certificate (chain) whose leaf has the key and CN of the operand CSR (A02.FR.08: the certificate for this request).
  ['$answersCsr', {
    check: (operand) => needs(typeof operand === 'string' && operand.includes('CERTIFICATE REQUEST'), 'a PEM CSR'),
    describe: () => 'a certificate for the CSR sent',
    holds: (operand, value, { path, slot }) => {
      const problem = typeof value === 'string' ? answerProblem(value, operand as string) : 'not a string';
      return problem === undefined ? true : [{ path, expected: 'a certificate for the CSR sent', actual: `${problem}: ${show(slot)}` }];
    },
  }],
  ['$type', {
    check: (operand) => needs(typeof operand === 'string' && Object.hasOwn(TYPES, operand), `one of ${Object.keys(TYPES).join(', ')}`),
    describe: (operand) => `a value of type ${String(operand)}`, holds: (operand, value) => TYPES[operand as string]?.(value) ?? false,
  }],
]);

const CSR_NAMES = ['commonName', 'organization'];

function describeCsrNames(operand: unknown): string {
  const names = isPlainObject(operand) ? Object.entries(operand).map(([key, value]) => `${key === 'commonName' ? 'CN' : 'O'} ${json(value)}`) : [];
  return names.length === 0 ? '' : ` with ${names.join(', ')}`;
}

function answerProblem(certificateChain: string, csr: string): string | undefined {
  try {
    return csrAnswerProblem(certificateChain, csr);
  } catch (error) {
    return (error as Error).message;
  }
}

/** Keys that only adjust the operator named in `of` and say nothing on their own. */
const MODIFIERS = new Map<string, { of: string; check(operand: unknown): string | undefined }>([
  ['$flags', { of: '$regex', check: (operand) => needs(typeof operand === 'string' && REGEX_FLAGS.test(operand), 'regular expression flags such as "i"') }],
  ['$toleranceMs', { of: '$timeNear', check: (operand) => needs(typeof operand === 'number' && operand >= 0, 'a number of milliseconds >= 0') }],
]);

/**
 * Compares a payload with a pattern and lists every difference (empty: it matches). Plain objects
 * match partially, arrays pairwise, scalars strictly; `$` objects are operators.
 * @throws PatternError when the pattern is invalid; `checkPattern` finds the same problems at load time.
 */
export function matchPayload(pattern: unknown, actual: unknown, options: MatchOptions): Mismatch[] {
  return matchSlot(pattern, readSegments(actual, []), '', options);
}

/**
 * Lists the problems of a pattern without matching it, e.g. `unknown operator "$regexp" at match.idToken; known: ...`.
 * Operands that are still Handlebars templates are accepted, since they are rendered only before matching.
 */
export function checkPattern(pattern: unknown, basePath = ''): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((element, index) => checkPattern(element, appendPath(basePath, index)));
  if (!isPlainObject(pattern)) return [];
  const keys = Object.keys(pattern);
  const operatorKeys = keys.filter((key) => key.startsWith('$'));
  if (operatorKeys.length === 0) return keys.flatMap((key) => checkPattern(pattern[key], appendPath(basePath, key)));
  if (operatorKeys.length < keys.length) return [mixedProblem(keys, basePath)];
  const nested = keys.flatMap((key) => {
    const operand = pattern[key];
    const patterns = isTemplate(operand) ? [] : OPERATORS.get(key)?.patterns?.(operand) ?? [];
    return patterns.flatMap((inner) => checkPattern(inner, basePath));
  });
  return [...operatorProblems(pattern, basePath, true), ...nested];
}

/** Describes a whole pattern on one line, e.g. `{"reason":"PowerUp","chargingStation":{"vendorName":present}}`. */
export function describePattern(pattern: unknown, options?: MatchOptions): string {
  if (Array.isArray(pattern)) return `[${describeList(pattern, ',', options)}]`;
  if (!isPlainObject(pattern)) return json(pattern);
  const keys = Object.keys(pattern);
  if (keys.length > 0 && keys.every((key) => key.startsWith('$'))) {
    const described = keys.filter((key) => !MODIFIERS.has(key)).map((key) => {
      const operator = OPERATORS.get(key);
      return operator ? operator.describe(pattern[key], pattern, options) : `${key} ${json(pattern[key])}`;
    });
    return described.join(' and ');
  }
  return `{${keys.map((key) => `${JSON.stringify(key)}:${describePattern(pattern[key], options)}`).join(',')}}`;
}

function matchSlot(pattern: unknown, slot: Slot, path: string, options: MatchOptions): Mismatch[] {
  if (isPlainObject(pattern) && Object.keys(pattern).some((key) => key.startsWith('$'))) return matchOperators(pattern, slot, path, options);
  if (!slot.found) return [mismatch(path, truncate(describePattern(pattern, options)), slot)];
  const value = slot.value;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return [mismatch(path, truncate(describePattern(pattern, options)), slot)];
    if (value.length !== pattern.length) return [mismatch(path, `an array of ${pattern.length} element(s)`, slot)];
    return pattern.flatMap((element, index) => matchSlot(element, { found: true, value: value[index] }, appendPath(path, index), options));
  }
  if (isPlainObject(pattern)) {
    if (!isPlainObject(value)) return [mismatch(path, truncate(describePattern(pattern, options)), slot)];
    return Object.keys(pattern).map((key) => matchSlot(pattern[key], readSegments(value, [key]), appendPath(path, key), options)).flat();
  }
  return pattern === value ? [] : [mismatch(path, json(pattern), slot)];
}

function matchOperators(object: OperatorObject, slot: Slot, path: string, options: MatchOptions): Mismatch[] {
  const keys = Object.keys(object);
  if (keys.some((key) => !key.startsWith('$'))) throw new PatternError(mixedProblem(keys, path));
  const problems = operatorProblems(object, path, false);
  if (problems.length > 0) throw new PatternError(problems.join('; '));
  const probe: Probe = { slot, path, options, object };
  const mismatches: Mismatch[] = [];
  for (const key of keys) {
    const operator = OPERATORS.get(key);
    if (!operator) continue; // a modifier, read by its operator
    const outcome = !slot.found && !operator.judgesAbsence ? false : operator.holds(object[key], slot.found ? slot.value : undefined, probe);
    if (outcome === false) mismatches.push(mismatch(path, operator.describe(object[key], object, options), slot));
    else if (outcome !== true) mismatches.push(...outcome);
  }
  // On an absent key one line says it all; several "expected X, actual absent" would only repeat it.
  return !slot.found && mismatches.length > 0 ? [mismatch(path, describePattern(object, options), slot)] : mismatches;
}

function operatorProblems(object: OperatorObject, path: string, acceptTemplates: boolean): string[] {
  const where = path === '' ? '(root)' : path;
  return Object.entries(object).flatMap(([key, operand]) => {
    const modifier = MODIFIERS.get(key);
    const operator = OPERATORS.get(key);
    if (!modifier && !operator) {
      const known = [...OPERATORS.keys(), ...MODIFIERS.keys()].join(', ');
      return [`unknown operator "${key}" at ${where}; known: ${known}`];
    }
    if (modifier && !Object.hasOwn(object, modifier.of)) return [`"${key}" at ${where} only goes with "${modifier.of}"`];
    if (acceptTemplates && isTemplate(operand)) return [];
    const problem = modifier ? modifier.check(operand) : operator?.check?.(operand, object);
    return problem ? [`"${key}" at ${where} ${problem}, got ${truncate(json(operand))}`] : [];
  });
}

function comparison(name: string, symbol: string, compare: (actual: number, bound: number) => boolean): [string, Operator] {
  return [name, {
    check: (operand) => needs(typeof operand === 'number' || (typeof operand === 'string' && parseTime(operand) !== undefined), 'a number or an ISO 8601 date-time'),
    describe: (operand) => `${symbol} ${json(operand)}`,
    holds: (operand, value) => {
      // A date-time bound orders date-times: a reading taken no earlier than a captured moment.
      if (typeof operand === 'string') {
        const actualMs = typeof value === 'string' ? parseTime(value) : undefined;
        return actualMs !== undefined && compare(actualMs, parseTime(operand) as number);
      }
      // OCPP 1.6 sends sampled values as decimal strings ("12.5"), so those compare as numbers too.
      const actual = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC_STRING.test(value) ? Number(value) : undefined;
      return actual !== undefined && compare(actual, operand as number);
    },
  }];
}

function regexProblem(source: unknown, flags: unknown): string | undefined {
  if (typeof source !== 'string') return 'needs a regular expression source string';
  try {
    // Bad flags are reported by `$flags` itself; one problem is enough.
    new RegExp(source, typeof flags === 'string' && REGEX_FLAGS.test(flags) ? flags : '');
    return undefined;
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
}

function mixedProblem(keys: string[], path: string): string {
  const operators = keys.filter((key) => key.startsWith('$')).join(', ');
  return `object at ${path === '' ? '(root)' : path} mixes operators (${operators}) with field names; nest the fields or the operators`;
}

function matches(pattern: unknown, value: unknown, { path, options }: Probe): boolean {
  return matchSlot(pattern, { found: true, value }, path, options).length === 0;
}

function parseTime(text: string): number | undefined {
  if (!ISO_DATE_TIME.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTemplate(operand: unknown): boolean {
  return typeof operand === 'string' && operand.includes('{{');
}

function describeList(patterns: unknown, separator: string, options?: MatchOptions): string {
  return Array.isArray(patterns) ? patterns.map((pattern) => describePattern(pattern, options)).join(separator) : json(patterns);
}

function mismatch(path: string, expected: string, slot: Slot): Mismatch {
  return { path, expected, actual: show(slot) };
}

function show(slot: Slot): string {
  return slot.found ? truncate(json(slot.value)) : 'absent';
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function truncate(text: string): string {
  return text.length <= MAX_ACTUAL_CHARS ? text : `${text.slice(0, MAX_ACTUAL_CHARS - 1)}…`;
}
