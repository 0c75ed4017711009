import { randomUUID } from 'node:crypto';
import Handlebars from 'handlebars';
import { RUN_UNIQUE_INTEGERS } from './unique-integers.js';
import { readSegments } from './value-path.js';

/** The first segment of every template variable; anything else is a test case author's typo. */
export const TEMPLATE_ROOTS = ['config', 'captured', 'params', 'item', 'files', 'pki', 'csms', 'unique', 'now'] as const;

/** What the run's file server offers under `files.` (the runner serves them, `check` knows them). */
export const FILE_TEMPLATE_NAMES = ['url', 'firmwareUrl', 'uninstallableFirmwareUrl', 'logUrl', 'missingLogUrl'] as const;

/** The harness-as-CSMS endpoints under `csms.` (the runner fills them, `check` knows them). */
export const CSMS_TEMPLATE_NAMES = ['url', 'path', 'otherUrl', 'otherPath', 'newRootUrl', 'newRootPath'] as const;

/** What templates can read. `now` is `clock().toISOString()`, read once per `renderValue` call. */
export interface TemplateContext {
  config: Record<string, unknown>;
  captured: Record<string, unknown>;
  /** The parameters of a reusable state, inside that state only. */
  params?: Record<string, unknown>;
  /** The current element of a `forEach` step, inside that step only. */
  item?: Record<string, unknown>;
  /** The run's file server (firmware to download, logs to upload): `files.url`. */
  files?: Record<string, unknown>;
  /** The run's test PKI: certificates (`pki.csmsRoot.pem`, `pki.csmsRoot.hashData`) and firmware signatures. */
  pki?: Record<string, unknown>;
  /** Harness as CSMS: the endpoint the station is on (`csms.url`, `csms.path`), the other (`csms.otherUrl`, `csms.otherPath`) and, over TLS, the one whose server certificate csmsRoot2 issued (`csms.newRootUrl`, `csms.newRootPath`). */
  csms?: Record<string, unknown>;
  /**
   * `unique.<name>`: a run-unique integer per name, the same each time one case reads it (a
   * transaction id its later steps refer to); the runner draws it from `nextUnique`'s series.
   */
  unique?: (name: string) => number;
  clock: () => Date;
}

/** A template that cannot be rendered: bad syntax, an undefined variable, a helper given wrong arguments. */
export class TemplateError extends Error {
  readonly code = 'OH_TEMPLATE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Scope = Record<string, unknown>;
type Node = hbs.AST.Node;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;
/** One variable a template reads from the root scope; `presence` uses (`#if x`) may be undefined. */
interface VariableUse { segments: string[]; kind: 'value' | 'presence' | 'helper' }
/** A parsed template: evaluated directly when it is one expression (raw value), else by Handlebars (text). */
interface Compiled { uses: VariableUse[]; raw?: hbs.AST.MustacheStatement; render?: HandlebarsTemplateDelegate }

const MAX_LISTED_KEYS = 12;
/** Blocks that render their body in the same context, so `../` does not count them. */
const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

type Helper = (...args: unknown[]) => unknown;

/** What `{{optional x}}` yields for a null or absent x: the field holding it is left out of the payload. */
const OMITTED = Symbol('omitted');

const HELPERS: Record<string, Helper> = {
  // OCPP-J 2.0.1 §4.1.5: an empty optional field is left out, never sent as null; a state whose
  // parameter defaults to null can thus pass an optional field on only when it is given.
  optional: (value) => (value === null || value === undefined ? OMITTED : value),
  addSeconds: (time, seconds) => new Date(timeArgument('addSeconds', time) + numberArgument('addSeconds', seconds) * 1000).toISOString(),
  add: (a, b) => numberArgument('add', a) + numberArgument('add', b),
  multiply: (a, b) => numberArgument('multiply', a) * numberArgument('multiply', b),
  json: (value) => JSON.stringify(value) ?? 'null',
  string: (value) => String(value),
  // Comparing and choosing, for values a case reads from the station (e.g. the slot in use).
  eq: (a, b) => String(a) === String(b),
  choose: (condition, whenTrue, whenFalse) => (condition ? whenTrue : whenFalse),
  uuid: () => randomUUID(),
  // A fresh integer of a named series on every use, unique across cases and runs (an eventId).
  nextUnique: (series) => RUN_UNIQUE_INTEGERS.next(stringArgument('nextUnique', series)),
};

// An isolated environment: helpers registered here never leak into other users of Handlebars.
const handlebars = Handlebars.create();
for (const [name, helper] of Object.entries(HELPERS)) {
  // Handlebars passes its options object last; our helpers take positional arguments only.
  handlebars.registerHelper(name, (...args: unknown[]) => {
    const result = helper(...args.slice(0, -1));
    return result === OMITTED ? '' : result;
  });
}
const compiledBySource = new Map<string, Compiled>();

/**
 * Renders every template string inside a value, returning new objects and arrays. A string that is
 * exactly one expression (`'{{config.heartbeatIntervalS}}'`) yields the raw value, so YAML payloads
 * keep numbers and objects typed; any other string with `{{` renders to text.
 * @throws TemplateError on bad syntax, an undefined variable or a failing helper.
 */
export function renderValue(value: unknown, context: TemplateContext): unknown {
  let scope: Scope | undefined;
  // The clock is read at most once, so every `{{now}}` of one payload is the same instant.
  const scopeOnce = () => (scope ??= scopeOf(context, value));
  const rendered = renderDeep(value, scopeOnce);
  return rendered === OMITTED ? undefined : rendered;
}

/**
 * Lists the variable paths every template in a value reads, e.g. `captured.transactionId` or `now`,
 * in order of first use. Helper names are left out, their arguments kept; unknown helpers and roots
 * outside `TEMPLATE_ROOTS` are listed so that the checker flags them.
 * @throws TemplateError when a template has bad syntax.
 */
export function templateVariables(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (current: unknown): void => {
    if (typeof current === 'string' && current.includes('{{')) for (const use of compile(current).uses) names.add(use.segments.join('.'));
    else if (Array.isArray(current)) current.forEach(visit);
    else if (isPlainObject(current)) Object.values(current).forEach(visit);
  };
  visit(value);
  return [...names];
}

function renderDeep(value: unknown, scope: () => Scope): unknown {
  if (typeof value === 'string') return value.includes('{{') ? renderString(value, scope()) : value;
  if (Array.isArray(value)) return value.map((element) => renderDeep(element, scope)).filter((element) => element !== OMITTED);
  if (isPlainObject(value)) {
    const rendered = Object.entries(value).map(([key, element]) => [key, renderDeep(element, scope)] as const);
    return Object.fromEntries(rendered.filter(([, element]) => element !== OMITTED));
  }
  return value;
}

function renderString(source: string, scope: Scope): unknown {
  const compiled = compile(source);
  try {
    if (compiled.raw) {
      const result = evaluate(compiled.raw, scope, source);
      // A copy, so that a payload built from a captured object can be changed without changing the capture.
      return typeof result === 'object' && result !== null ? structuredClone(result) : result;
    }
    for (const use of compiled.uses) {
      if (use.kind === 'helper') throw unknownHelper(source, use.segments.join('.'));
      if (use.kind === 'value' && !readSegments(scope, use.segments).found) throw undefinedVariable(source, use.segments, scope);
    }
    return (compiled.render as HandlebarsTemplateDelegate)(scope);
  } catch (error) {
    throw error instanceof TemplateError ? error : new TemplateError(`template "${source}": ${(error as Error).message}`);
  }
}

function compile(source: string): Compiled {
  const cached = compiledBySource.get(source);
  if (cached) return cached;
  let program: hbs.AST.Program;
  try {
    program = handlebars.parse(source);
  } catch (error) {
    const lines = (error as Error).message.split('\n');
    const hint = /got 'NUMBER'/.test(lines.at(-1) ?? '') ? ' (array indices are written .[0])' : '';
    throw new TemplateError(`template "${source}": ${lines[0]} ${lines.at(-1) ?? ''}${hint}`);
  }
  const uses: VariableUse[] = [];
  collectUses(program, 0, uses);
  const [only] = program.body;
  const raw = program.body.length === 1 && only?.type === 'MustacheStatement' && isEvaluable(only) ? (only as hbs.AST.MustacheStatement) : undefined;
  const compiled: Compiled = raw ? { uses, raw } : { uses, render: handlebars.compile(source, { strict: true, noEscape: true }) };
  compiledBySource.set(source, compiled);
  return compiled;
}

/** Walks a template; `blocks` counts the enclosing blocks that changed the context (`each`, `with`). */
function collectUses(program: hbs.AST.Program | undefined, blocks: number, uses: VariableUse[]): void {
  for (const statement of program?.body ?? []) {
    if (statement.type !== 'MustacheStatement' && statement.type !== 'BlockStatement') continue;
    const call = statement as Call;
    collectCall(call, blocks, uses);
    if (call.type !== 'BlockStatement') continue;
    const sameContext = SAME_CONTEXT_BLOCKS.has(nameOf(call));
    collectUses(call.program, sameContext ? blocks : blocks + 1, uses);
    collectUses(call.inverse, blocks, uses);
  }
}

function collectCall(call: Call, blocks: number, uses: VariableUse[]): void {
  const name = nameOf(call);
  const isCall = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0 || Object.hasOwn(handlebars.helpers, name);
  if (!isCall) return collectExpression(call.path, blocks, 'value', uses);
  if (!Object.hasOwn(handlebars.helpers, name)) uses.push({ segments: [name], kind: 'helper' });
  const kind = call.type === 'BlockStatement' && SAME_CONTEXT_BLOCKS.has(name) ? 'presence' : 'value';
  for (const param of call.params) collectExpression(param, blocks, kind, uses);
  for (const pair of call.hash?.pairs ?? []) collectExpression(pair.value, blocks, 'value', uses);
}

function collectExpression(node: Node, blocks: number, kind: VariableUse['kind'], uses: VariableUse[]): void {
  if (node.type === 'SubExpression') return collectCall(node as hbs.AST.SubExpression, blocks, uses);
  if (node.type !== 'PathExpression') return;
  const segments = rootSegments(node as hbs.AST.PathExpression, blocks);
  if (segments && segments.length > 0) uses.push({ segments, kind });
}

/** The path from the root scope, or undefined when it reads a block's context, a block parameter or `@index`. */
function rootSegments(path: hbs.AST.PathExpression, blocks: number): string[] | undefined {
  if (path.data) return path.parts[0] === 'root' ? path.parts.slice(1) : undefined;
  return path.depth === blocks ? path.parts : undefined;
}

/** True when the expression can be computed here, yielding a raw value: paths, literals and our own helpers. */
function isEvaluable(node: Node): boolean {
  if (node.type === 'PathExpression') return rootSegments(node as hbs.AST.PathExpression, 0) !== undefined;
  if (node.type !== 'MustacheStatement' && node.type !== 'SubExpression') return /Literal$/.test(node.type);
  const call = node as hbs.AST.MustacheStatement;
  const name = nameOf(call);
  if ((call.hash?.pairs.length ?? 0) > 0) return false;
  if (call.params.length === 0 && !Object.hasOwn(handlebars.helpers, name)) return isEvaluable(call.path);
  return Object.hasOwn(HELPERS, name) && call.params.every(isEvaluable);
}

function evaluate(node: Node, scope: Scope, source: string): unknown {
  switch (node.type) {
    case 'PathExpression': {
      const segments = rootSegments(node as hbs.AST.PathExpression, 0) ?? [];
      const reading = readSegments(scope, segments);
      if (!reading.found) throw undefinedVariable(source, segments, scope);
      return reading.value;
    }
    case 'MustacheStatement':
    case 'SubExpression': {
      const call = node as hbs.AST.SubExpression;
      const name = nameOf(call);
      if (!Object.hasOwn(HELPERS, name)) return evaluate(call.path, scope, source);
      return (HELPERS[name] as Helper)(...call.params.map((param) => evaluate(param, scope, source)));
    }
    case 'NullLiteral':
      return null;
    case 'UndefinedLiteral':
      return undefined;
    default:
      return (node as hbs.AST.StringLiteral).value;
  }
}

function scopeOf(context: TemplateContext, value: unknown): Scope {
  const { config, captured, params, item, files, pki, csms } = context;
  return { config, captured, params, item, files, pki, csms, unique: uniqueValues(value, context.unique), now: context.clock().toISOString() };
}

/** The `unique.<name>` values the templates of `value` read, drawn (or recalled) by name. */
function uniqueValues(value: unknown, draw: TemplateContext['unique']): Scope | undefined {
  if (!draw) return undefined;
  const names = templateVariables(value).flatMap((variable) => {
    const [root, name, ...deeper] = variable.split('.');
    return root === 'unique' && name !== undefined && deeper.length === 0 ? [name] : [];
  });
  return Object.fromEntries(names.map((name) => [name, draw(name)]));
}

function undefinedVariable(source: string, segments: string[], scope: Scope): TemplateError {
  const name = segments.join('.');
  const [root = ''] = segments;
  const prefix = `template "${source}": "${name}" is not defined`;
  if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) return new TemplateError(`${prefix} (variables start with ${TEMPLATE_ROOTS.join(', ')})`);
  // Name the deepest part that exists, and what it holds: the typo is usually one level below it.
  let depth = segments.length - 1;
  while (depth > 0 && !readSegments(scope, segments.slice(0, depth)).found) depth -= 1;
  if (depth === 0) return new TemplateError(`${prefix} (no ${root} in this context)`);
  const parent = segments.slice(0, depth).join('.');
  const holder = readSegments(scope, segments.slice(0, depth));
  const value = holder.found ? holder.value : undefined;
  if (typeof value !== 'object' || value === null) return new TemplateError(`${prefix} (${parent} is ${JSON.stringify(value)}, not an object)`);
  const keys = Object.keys(value);
  const listed = keys.length > MAX_LISTED_KEYS ? `${keys.slice(0, MAX_LISTED_KEYS).join(', ')}, …` : keys.join(', ');
  if (parent === 'captured') return new TemplateError(`${prefix} (captured so far: ${listed || 'nothing'})`);
  return new TemplateError(`${prefix} (${parent} has: ${listed || 'nothing'})`);
}

function unknownHelper(source: string, name: string): TemplateError {
  return new TemplateError(`template "${source}": unknown helper "${name}" (helpers: ${Object.keys(HELPERS).join(', ')})`);
}

function nameOf(call: Call): string {
  return call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : '';
}

function timeArgument(helper: string, time: unknown): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'string' ? Date.parse(time) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`${helper} needs an ISO 8601 time, got ${JSON.stringify(time)}`);
  return ms;
}

function stringArgument(helper: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${helper} needs a name, got ${JSON.stringify(value)}`);
  return value;
}

function numberArgument(helper: string, value: unknown): number {
  // Captured OCPP 1.6 values are often decimal strings ("12.5"); they count as numbers.
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new Error(`${helper} needs numbers, got ${JSON.stringify(value)}`);
  return number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
