import Handlebars from 'handlebars';
import { VALUE_HELPERS, listedKeys } from './template-helpers.js';
import { readSegments as readPathSegments, type PathReading } from './value-path.js';

/** The first segment of every template variable; anything else is a test case author's typo. */
export const TEMPLATE_ROOTS = ['config', 'captured', 'params', 'item', 'files', 'pki', 'csms', 'target', 'unique', 'secret', 'csr', 'now'] as const;

/** What the run's file server offers under `files.` (the runner serves them, `check` knows them). */
export const FILE_TEMPLATE_NAMES = ['url', 'firmwareUrl', 'uninstallableFirmwareUrl', 'logUrl', 'missingLogUrl'] as const;

/** The harness-as-CSMS endpoints under `csms.` (the runner fills them, `check` knows them). */
export const CSMS_TEMPLATE_NAMES = ['url', 'path', 'otherUrl', 'otherPath', 'newRootUrl', 'newRootPath'] as const;

/** Harness as station: the CSMS under test under `target.` (the runner fills it, `check` knows it). */
export const TARGET_TEMPLATE_NAMES = ['url', 'upgradeUrl'] as const;

/** What templates can read. `now` is `clock().toISOString()`, read once per `renderValue` call. */
export interface TemplateContext {
  config: Record<string, unknown>;
  captured: Record<string, unknown>;
  /** The parameters of a reusable state, inside that state only. */
  params?: Record<string, unknown>;
  /** The current element of a `forEach` step, inside that step only. */
  item?: unknown;
  /** The run's file server (firmware to download, logs to upload): `files.url`. */
  files?: Record<string, unknown>;
  /** The run's test PKI: certificates (`pki.csmsRoot.pem`, `pki.csmsRoot.hashData`) and firmware signatures. */
  pki?: Record<string, unknown>;
  /** Harness as CSMS: the endpoint the station is on (`csms.url`, `csms.path`), the other (`csms.otherUrl`, `csms.otherPath`) and, over TLS, the one whose server certificate csmsRoot2 issued (`csms.newRootUrl`, `csms.newRootPath`). */
  csms?: Record<string, unknown>;
  /** Harness as station: the CSMS under test, `target.url` being the endpoint the harness connects to (the run's --target, without the station identity), `target.upgradeUrl` its endpoint one security profile up (A05). */
  target?: Record<string, unknown>;
  /**
   * `unique.<name>`: a run-unique integer per name, the same each time one case reads it (a
   * transaction id its later steps refer to); the runner draws it from `nextUnique`'s series.
   */
  unique?: (name: string) => number;
  /**
   * `secret.<name>`: a fresh random password per name (A00.FR.205: 16 to 40 characters), the same
   * each time one case reads it (the BasicAuthPassword a case sets, then expects the station to use);
   * a name starting `hex` gives 40 hexadecimal digits (a 1.6 AuthorizationKey, whitepaper §7.2).
   */
  secret?: (name: string) => string;
  /**
   * `csr.<name>`: harness as station, a fresh PEM CSR per name (CN the station identity, O the
   * configured organisation; A02.FR.02/03), the same each time one case reads it; the runner keeps its key.
   */
  csr?: (name: string) => string;
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
/**
 * One variable a template reads from the root scope; `presence` uses (`#if x`) may be undefined.
 * A `guarded` use sits inside an `#if`/`#unless`, so it is checked only if that part renders.
 */
interface VariableUse { segments: string[]; kind: 'value' | 'presence' | 'helper'; guarded: boolean }
/** A parsed template: evaluated directly when it is one expression (raw value), else by Handlebars (text). */
interface Compiled { uses: VariableUse[]; raw?: hbs.AST.MustacheStatement; render?: HandlebarsTemplateDelegate }

/** Blocks that render their body in the same context, so `../` does not count them. */
const SAME_CONTEXT_BLOCKS = new Set(['if', 'unless']);

type Helper = (...args: unknown[]) => unknown;

/** Reads a variable; `x.length` of an array is its number of elements (`config.evses.length`: the EVSEs configured). */
export function readVariable(scope: unknown, path: string): PathReading {
  return readSegments(scope, path === '' ? [] : path.split('.'));
}

function readSegments(scope: unknown, segments: readonly string[]): PathReading {
  if (segments.at(-1) === 'length') {
    const holder = readPathSegments(scope, segments.slice(0, -1));
    if (holder.found && Array.isArray(holder.value)) return { found: true, value: holder.value.length };
  }
  return readPathSegments(scope, segments);
}

/** What `{{optional x}}` yields for a null or absent x: the field holding it is left out of the payload. */
const OMITTED = Symbol('omitted');

const HELPERS: Record<string, Helper> = {
  // OCPP-J 2.0.1 §4.1.5: an empty optional field is left out, never sent as null; a state whose
  // parameter defaults to null can thus pass an optional field on only when it is given.
  optional: (value) => (value === null || value === undefined ? OMITTED : value),
  ...VALUE_HELPERS,
};

/** Helpers whose arguments may be absent: `{{optional x}}` leaves out what is not there. */
const PRESENCE_HELPERS = new Set(['optional']);

/** The hidden helper every `{{...}}` of a text template is wrapped in (see `asText`). */
const TEXT_HELPER = '__text';

// An isolated environment: helpers registered here never leak into other users of Handlebars.
const handlebars = Handlebars.create();
for (const [name, helper] of Object.entries(HELPERS)) {
  // Handlebars passes its options object last; our helpers take positional arguments only.
  handlebars.registerHelper(name, (...args: unknown[]) => {
    const result = helper(...args.slice(0, -1));
    return result === OMITTED ? '' : result;
  });
}
// `name` is given for a plain variable only: one that is missing is an error, as in a raw value.
// `fromRoot` says that `name` is a path from the root scope, so the message can say what exists.
handlebars.registerHelper(TEXT_HELPER, (value: unknown, name: unknown, fromRoot: unknown, options: Handlebars.HelperOptions) => {
  if (value !== undefined || typeof name !== 'string') return textOf(value);
  throw new Error(fromRoot === true ? undefinedReason(name.split('.'), (options.data as { root: Scope }).root) : `"${name}" is not defined`);
});
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
 * Renders a template to text, for places that take a string (a shell command, a URL, a prompt):
 * an object or array becomes JSON, an omitted or null value the empty string.
 * @throws TemplateError as `renderValue` does.
 */
export function renderText(template: string, context: TemplateContext): string {
  return textOf(renderValue(template, context));
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
    // A presence test may find nothing, but a misspelt root is a typo, not an absent value.
    const misspelt = compiled.uses.find((use) => use.kind === 'presence' && !isRoot(use.segments[0]));
    if (misspelt) throw undefinedVariable(source, misspelt.segments, scope);
    if (compiled.raw) {
      const result = evaluate(compiled.raw, scope, source);
      // A copy, so that a payload built from a captured object can be changed without changing the capture.
      return typeof result === 'object' && result !== null ? structuredClone(result) : result;
    }
    for (const use of compiled.uses) {
      if (use.kind === 'helper') throw unknownHelper(source, use.segments.join('.'));
      if (use.kind === 'value' && !use.guarded && !readSegments(scope, use.segments).found) throw undefinedVariable(source, use.segments, scope);
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
  collectUses(program, 0, false, uses);
  const [only] = program.body;
  const raw = program.body.length === 1 && only?.type === 'MustacheStatement' && isEvaluable(only) ? (only as hbs.AST.MustacheStatement) : undefined;
  // Not Handlebars' strict mode: `#if` on a missing path must be false. Variables are checked
  // before rendering (root paths) or by the text helper (paths inside a block's context).
  const compiled: Compiled = raw ? { uses, raw } : { uses, render: handlebars.compile(asText(handlebars.parseWithoutProcessing(source), 0), { noEscape: true }) };
  compiledBySource.set(source, compiled);
  return compiled;
}

/** Walks a template; `blocks` counts the enclosing blocks that changed the context (`each`, `with`). */
function collectUses(program: hbs.AST.Program | undefined, blocks: number, guarded: boolean, uses: VariableUse[]): void {
  for (const statement of program?.body ?? []) {
    if (statement.type !== 'MustacheStatement' && statement.type !== 'BlockStatement') continue;
    const call = statement as Call;
    collectCall(call, blocks, guarded, uses);
    if (call.type !== 'BlockStatement') continue;
    const sameContext = SAME_CONTEXT_BLOCKS.has(nameOf(call));
    collectUses(call.program, sameContext ? blocks : blocks + 1, guarded || sameContext, uses);
    collectUses(call.inverse, blocks, guarded || sameContext, uses);
  }
}

function collectCall(call: Call, blocks: number, guarded: boolean, uses: VariableUse[]): void {
  const name = nameOf(call);
  const isCall = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0 || Object.hasOwn(handlebars.helpers, name);
  if (!isCall) return collectExpression(call.path, blocks, 'value', guarded, uses);
  if (!Object.hasOwn(handlebars.helpers, name)) uses.push({ segments: [name], kind: 'helper', guarded });
  const tests = (call.type === 'BlockStatement' && SAME_CONTEXT_BLOCKS.has(name)) || PRESENCE_HELPERS.has(name);
  const kind = tests ? 'presence' : 'value';
  for (const param of call.params) collectExpression(param, blocks, kind, guarded, uses);
  for (const pair of call.hash?.pairs ?? []) collectExpression(pair.value, blocks, 'value', guarded, uses);
}

function collectExpression(node: Node, blocks: number, kind: VariableUse['kind'], guarded: boolean, uses: VariableUse[]): void {
  if (node.type === 'SubExpression') return collectCall(node as hbs.AST.SubExpression, blocks, guarded, uses);
  if (node.type !== 'PathExpression') return;
  const segments = rootSegments(node as hbs.AST.PathExpression, blocks);
  if (segments && segments.length > 0) uses.push({ segments, kind, guarded });
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
      const tests = PRESENCE_HELPERS.has(name);
      return (HELPERS[name] as Helper)(...call.params.map((param) => (tests && isAbsent(param, scope) ? undefined : evaluate(param, scope, source))));
    }
    case 'NullLiteral':
      return null;
    case 'UndefinedLiteral':
      return undefined;
    default:
      return (node as hbs.AST.StringLiteral).value;
  }
}

/** True for a root path that reads nothing: a presence test (`optional`) takes it as undefined. */
function isAbsent(node: Node, scope: Scope): boolean {
  if (node.type !== 'PathExpression') return false;
  return !readSegments(scope, rootSegments(node as hbs.AST.PathExpression, 0) ?? []).found;
}

/**
 * Wraps every `{{...}}` of a text template in the text helper, so that an object renders as JSON
 * (not "[object Object]") and an omitted value as nothing. Blocks are walked, not wrapped.
 */
function asText(program: hbs.AST.Program, blocks: number): hbs.AST.Program {
  const body = program.body.map((statement): hbs.AST.Statement => {
    if (statement.type === 'MustacheStatement') return wrapInText(statement as hbs.AST.MustacheStatement, blocks);
    if (statement.type !== 'BlockStatement') return statement;
    const block = statement as hbs.AST.BlockStatement;
    const inner = SAME_CONTEXT_BLOCKS.has(nameOf(block)) ? blocks : blocks + 1;
    return { ...block, program: asText(block.program, inner), ...(block.inverse ? { inverse: asText(block.inverse, blocks) } : {}) } as hbs.AST.BlockStatement;
  });
  return { ...program, body };
}

function wrapInText(mustache: hbs.AST.MustacheStatement, blocks: number): hbs.AST.MustacheStatement {
  const { path, params, hash, loc } = mustache;
  const isCall = params.length > 0 || (hash?.pairs.length ?? 0) > 0 || Object.hasOwn(handlebars.helpers, nameOf(mustache));
  const literal = (value: string | boolean): hbs.AST.Expression =>
    (typeof value === 'string' ? { type: 'StringLiteral', value, original: value, loc } : { type: 'BooleanLiteral', value, original: value, loc }) as unknown as hbs.AST.Expression;
  const helper = { type: 'PathExpression', data: false, depth: 0, parts: [TEXT_HELPER], original: TEXT_HELPER, loc } as hbs.AST.PathExpression;
  const wrapped = { ...mustache, path: helper, hash: undefined as unknown as hbs.AST.Hash };
  if (isCall) return { ...wrapped, params: [{ type: 'SubExpression', path, params, hash, loc } as hbs.AST.SubExpression] };
  if (path.type !== 'PathExpression') return { ...wrapped, params: [path] };
  const fromRoot = rootSegments(path as hbs.AST.PathExpression, blocks);
  return { ...wrapped, params: [path, literal(fromRoot ? fromRoot.join('.') : (path as hbs.AST.PathExpression).original), literal(fromRoot !== undefined)] };
}

/** How a value reads inside text: strings as they are, objects as JSON, nothing for null or omitted. */
function textOf(value: unknown): string {
  if (value === undefined || value === null || value === OMITTED) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}


function scopeOf(context: TemplateContext, value: unknown): Scope {
  const { config, captured, params, item, files, pki, csms, target } = context;
  // The variables are listed once for the three drawn roots.
  const variables = context.unique || context.secret || context.csr ? templateVariables(value) : [];
  return {
    config, captured, params, item, files, pki, csms, target,
    unique: drawnValues(variables, 'unique', context.unique), secret: drawnValues(variables, 'secret', context.secret), csr: drawnValues(variables, 'csr', context.csr), now: context.clock().toISOString(),
  };
}

/** The `unique.<name>`, `secret.<name>` or `csr.<name>` values that `variables` (a value's template variables) read, drawn (or recalled) by name. */
function drawnValues(variables: readonly string[], drawnRoot: 'unique' | 'secret' | 'csr', draw: ((name: string) => unknown) | undefined): Scope | undefined {
  if (!draw) return undefined;
  const names = variables.flatMap((variable) => {
    const [root, name, ...deeper] = variable.split('.');
    return root === drawnRoot && name !== undefined && deeper.length === 0 ? [name] : [];
  });
  return Object.fromEntries(names.map((name) => [name, draw(name)]));
}

function undefinedVariable(source: string, segments: string[], scope: Scope): TemplateError {
  return new TemplateError(`template "${source}": ${undefinedReason(segments, scope)}`);
}

/** Why a variable is not defined: the deepest part that exists and what it holds, where the typo usually is. */
function undefinedReason(segments: string[], scope: Scope): string {
  const name = segments.join('.');
  const [root = ''] = segments;
  const prefix = `"${name}" is not defined`;
  if (!isRoot(root)) return `${prefix} (variables start with ${TEMPLATE_ROOTS.join(', ')})`;
  let depth = segments.length - 1;
  while (depth > 0 && !readSegments(scope, segments.slice(0, depth)).found) depth -= 1;
  if (depth === 0) return `${prefix} (no ${root} in this context)`;
  const parent = segments.slice(0, depth).join('.');
  const holder = readSegments(scope, segments.slice(0, depth));
  const value = holder.found ? holder.value : undefined;
  if (typeof value !== 'object' || value === null) return `${prefix} (${parent} is ${JSON.stringify(value)}, not an object)`;
  const listed = listedKeys(value);
  if (parent === 'captured') return `${prefix} (captured so far: ${listed || 'nothing'})`;
  return `${prefix} (${parent} has: ${listed || 'nothing'})`;
}

function isRoot(name: string | undefined): boolean {
  return (TEMPLATE_ROOTS as readonly string[]).includes(name ?? '');
}

function unknownHelper(source: string, name: string): TemplateError {
  return new TemplateError(`template "${source}": unknown helper "${name}" (helpers: ${Object.keys(HELPERS).join(', ')})`);
}

function nameOf(call: Call): string {
  return call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
