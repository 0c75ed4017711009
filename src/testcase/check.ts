import { PKI_SIGNATURE_NAMES, TEST_CERTIFICATE_NAMES } from '../pki/index.js';
import { schemasOf, type OcppVersion } from '../protocol/index.js';
import { capturePatterns } from './capture.js';
import { findState, placeOf, type Catalog } from './catalog.js';
import type { ReusableState, Sut, TestCase } from './format.js';
import { checkPattern } from './match.js';
import type { SourceFile, SourceProblem } from './source-file.js';
import { pathToText } from './source-file.js';
import { CSMS_TEMPLATE_NAMES, FILE_TEMPLATE_NAMES, TEMPLATE_ROOTS, templateVariables } from './template.js';

/** What the checker needs to know from outside the test-case layer. */
export interface CheckOptions {
  /**
   * True when `config.<path>` names a configuration value (e.g. `idTokens.valid.idToken`) of a
   * configuration with `evses` EVSEs (a case's `minEvses`), so `evses.[1].id` is fine in a case that needs two.
   */
  isConfigPath: (path: string, evses: number) => boolean;
}

type Path = Array<string | number>;

/** The variables a scope offers to templates, and where problems go. */
interface Scope {
  ocpp: OcppVersion;
  sut: Sut;
  captured: Set<string>;
  params?: Set<string>;
  inForEach: boolean;
  /** The EVSEs the configuration has at least: the case's minEvses (1 in states, which serve every case). */
  evses: number;
  /** The security profile the station is connected with at least: the case's minSecurityProfile (0 in states). */
  securityProfile: number;
  stepIds: Set<string>;
  requirements?: Record<string, string>;
  cited: Set<string>;
  report: (path: Path, message: string) => void;
}

/**
 * The semantic checks behind `ocpp-harness check`, after the JSON Schema: names resolve (states,
 * actions, requirement ids, step ids), templates use only variables that exist at that point,
 * patterns use known operators, and each file sits where its id, version and module say.
 */
export function checkCatalog(catalog: Catalog, options: CheckOptions): SourceProblem[] {
  const problems: SourceProblem[] = [];
  for (const testCase of catalog.cases) problems.push(...checkCase(catalog, testCase, options));
  for (const state of catalog.states) problems.push(...checkState(catalog, state, options));
  return problems;
}

function reporterFor(source: SourceFile, problems: SourceProblem[]) {
  return (path: Path, message: string) => problems.push({ file: source.file, line: source.lineOf(path), path: pathToText(path), message });
}

function checkCase(catalog: Catalog, testCase: TestCase, options: CheckOptions): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const source = catalog.sources.get(testCase.file)!;
  const raw = source.value as Record<string, unknown>;
  const report = reporterFor(source, problems);
  checkPlacement(catalog.root, testCase, report);
  const scope: Scope = {
    ocpp: testCase.ocpp, sut: testCase.sut, captured: new Set(), inForEach: false, evses: testCase.minEvses, securityProfile: testCase.minSecurityProfile, stepIds: collectStepIds(raw['steps']),
    requirements: testCase.requirements, cited: new Set(), report,
  };
  const before = (raw['before'] ?? {}) as Record<string, unknown>;
  ((before['configuration'] ?? []) as unknown[]).forEach((setting, index) => checkTemplates((setting as Record<string, unknown>)['value'], ['before', 'configuration', index, 'value'], scope, options));
  ((before['states'] ?? []) as unknown[]).forEach((entry, index) => {
    const use = typeof entry === 'string' ? { use: entry } : (entry as Record<string, unknown>);
    checkUse(catalog, use, ['before', 'states', index], scope, options);
  });
  checkSteps(catalog, raw['steps'], ['steps'], scope, options);
  checkSteps(catalog, raw['post'], ['post'], scope, options);
  const listed = raw['requirements'];
  for (const id of Object.keys(testCase.requirements)) {
    const where = Array.isArray(listed) ? ['requirements', listed.indexOf(id)] : ['requirements', id];
    if (!scope.cited.has(id)) report(where, `requirement ${id} is listed but no step checks it`);
  }
  return problems;
}

function checkState(catalog: Catalog, state: ReusableState, options: CheckOptions): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const source = catalog.sources.get(state.file)!;
  const raw = source.value as Record<string, unknown>;
  const report = reporterFor(source, problems);
  const place = placeOf(catalog.root, state.file);
  if (place.name !== state.state) report(['state'], `the state is named "${state.state}" but its file is ${place.name}.yaml`);
  const scope: Scope = {
    ocpp: state.ocpp, sut: state.sut, captured: new Set(), params: new Set(Object.keys(state.params)), inForEach: false, evses: 1, securityProfile: 0,
    stepIds: collectStepIds(raw['steps']), cited: new Set(), report,
  };
  checkSteps(catalog, raw['steps'], ['steps'], scope, options);
  return problems;
}

function checkPlacement(root: string, testCase: TestCase, report: Scope['report']): void {
  const place = placeOf(root, testCase.file);
  if (place.name !== testCase.id) report(['id'], `the id is "${testCase.id}" but the file is ${place.name}.yaml`);
  if (place.version !== undefined && place.version !== testCase.ocpp) report(['ocpp'], `the case says OCPP ${testCase.ocpp} but sits under ocpp${place.version}/`);
  if (place.folder !== undefined && place.folder !== testCase.module) report(['module'], `the case says module "${testCase.module}" but sits in ${place.folder}/`);
  const suffix = testCase.sut === 'cs' ? '_CS' : '_CSMS';
  if (!testCase.id.endsWith(suffix)) report(['sut'], `sut "${testCase.sut}" needs an id ending in ${suffix}`);
}

function collectStepIds(steps: unknown, ids = new Set<string>()): Set<string> {
  for (const step of Array.isArray(steps) ? steps : []) {
    const record = step as Record<string, unknown>;
    if (typeof record['id'] === 'string') ids.add(record['id']);
    for (const branch of Array.isArray(record['anyOf']) ? record['anyOf'] : []) collectStepIds(branch, ids);
  }
  return ids;
}

function checkSteps(catalog: Catalog, steps: unknown, path: Path, scope: Scope, options: CheckOptions): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step, index) => checkStep(catalog, step as Record<string, unknown>, [...path, index], scope, options));
}

function checkStep(catalog: Catalog, step: Record<string, unknown>, path: Path, outer: Scope, options: CheckOptions): void {
  const scope = step['forEach'] ? { ...outer, inForEach: true } : outer;
  for (const [index, id] of ((step['checks'] ?? []) as string[]).entries()) {
    outer.cited.add(id);
    if (scope.requirements && !(id in scope.requirements)) scope.report([...path, 'checks', index], `requirement ${id} is not listed under requirements`);
  }
  checkTemplates(step['timeoutMs'], [...path, 'timeoutMs'], scope, options);
  ((step['forbid'] ?? []) as Array<Record<string, unknown>>).forEach((selector, index) => checkSelector(selector, [...path, 'forbid', index], scope, options));
  if ('expect' in step) return checkExpect(step, path, scope, options);
  if ('send' in step) {
    checkAction(String(step['send']), [...path, 'send'], scope);
    checkTemplates(step['payload'], [...path, 'payload'], scope, options);
    checkMatch(step['match'], [...path, 'match'], scope, options);
    checkCaptures(step['capture'], [...path, 'capture'], scope, options);
    return addCaptures(step['capture'], outer);
  }
  if ('action' in step) {
    checkTemplates(step['params'], [...path, 'params'], scope, options);
    // A prompt may name the action's own parameters as {{params.x}}.
    const own = Object.keys((step['params'] ?? {}) as Record<string, unknown>);
    return checkTemplates(step['prompt'], [...path, 'prompt'], { ...scope, params: new Set([...(scope.params ?? []), ...own]) }, options);
  }
  if ('wait' in step) return checkTemplates(step['wait'], [...path, 'wait'], scope, options);
  if ('connection' in step) {
    for (const field of ['password', 'path', 'minDelayS']) checkTemplates(step[field], [...path, field], scope, options);
    return checkConnectionFields(step, path, scope);
  }
  if ('assert' in step) return checkAssert(step['assert'] as Record<string, unknown>, [...path, 'assert'], scope, options);
  if ('anyOf' in step) return checkBranches(catalog, step['anyOf'] as unknown[][], [...path, 'anyOf'], scope, options);
  if ('use' in step) checkUse(catalog, step, path, scope, options);
}

// Fields that mean something only for some operations: a misplaced one is a misunderstanding.
const CONNECTION_FIELDS: Record<string, readonly string[]> = {
  subprotocols: ['open'], password: ['open'], refused: ['open'], attempts: ['refuse'], path: ['refuse', 'restore'], minDelayS: ['refuse', 'restore'],
};

function checkConnectionFields(step: Record<string, unknown>, path: Path, scope: Scope): void {
  const operation = String(step['connection']);
  for (const [field, operations] of Object.entries(CONNECTION_FIELDS)) {
    if (step[field] !== undefined && !operations.includes(operation)) scope.report([...path, field], `"${field}" applies to connection: ${operations.join(' or ')}, not ${operation}`);
  }
}

function checkExpect(step: Record<string, unknown>, path: Path, scope: Scope, options: CheckOptions): void {
  const expect = step['expect'];
  const alternatives = typeof expect === 'string' ? [{ ...step, action: expect }] : ((expect as { anyOf: Array<Record<string, unknown>> }).anyOf);
  alternatives.forEach((alternative, index) => {
    const where = typeof expect === 'string' ? path : [...path, 'expect', 'anyOf', index];
    checkAction(String(alternative['action']), typeof expect === 'string' ? [...path, 'expect'] : [...where, 'action'], scope);
    checkMatch(alternative['match'], [...where, 'match'], scope, options);
    checkCaptures(alternative['capture'], [...where, 'capture'], scope, options);
    checkTemplates(alternative['reply'], [...where, 'reply'], scope, options);
  });
  ((step['allow'] ?? []) as Array<Record<string, unknown>>).forEach((allowed, index) => {
    checkAction(String(allowed['action']), [...path, 'allow', index, 'action'], scope);
    checkMatch(allowed['match'], [...path, 'allow', index, 'match'], scope, options);
    checkTemplates(allowed['reply'], [...path, 'allow', index, 'reply'], scope, options);
  });
  for (const alternative of alternatives) addCaptures(alternative['capture'], scope);
}

function checkAssert(assertion: Record<string, unknown>, path: Path, scope: Scope, options: CheckOptions): void {
  for (const kind of ['none', 'some', 'count', 'increasing']) {
    if (assertion[kind]) checkSelector(assertion[kind] as Record<string, unknown>, [...path, kind], scope, options);
  }
  const since = assertion['since'];
  if (typeof since === 'string' && !scope.stepIds.has(since)) scope.report([...path, 'since'], `no step has id "${since}"`);
}

function checkBranches(catalog: Catalog, branches: unknown[][], path: Path, scope: Scope, options: CheckOptions): void {
  branches.forEach((branch, index) => {
    const first = branch[0] as Record<string, unknown> | undefined;
    if (!opensWithExpect(catalog, first, scope)) scope.report([...path, index, 0], 'each anyOf branch must start with an expect step, or with a use (without forEach) of a reusable state whose first step is an expect');
    checkSteps(catalog, branch, [...path, index], scope, options);
  });
}

function opensWithExpect(catalog: Catalog, first: Record<string, unknown> | undefined, scope: Scope): boolean {
  if (!first) return false;
  if ('expect' in first) return true;
  if (!('use' in first) || first['forEach'] !== undefined) return false;
  const state = findState(catalog, scope.ocpp, scope.sut, String(first['use']));
  // An unknown state is reported by checkUse.
  return !state || state.steps[0]?.kind === 'expect';
}

function checkUse(catalog: Catalog, use: Record<string, unknown>, path: Path, scope: Scope, options: CheckOptions): void {
  const name = String(use['use']);
  const state = findState(catalog, scope.ocpp, scope.sut, name);
  if (!state) {
    const known = catalog.states.filter((s) => s.ocpp === scope.ocpp && s.sut === scope.sut).map((s) => s.state);
    scope.report([...path, 'use'], `unknown reusable state "${name}" for OCPP ${scope.ocpp} sut ${scope.sut}; known: ${known.join(', ') || 'none'}`);
    return;
  }
  const given = (use['with'] ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in state.params)) scope.report([...path, 'with', key], `state ${name} has no parameter "${key}"; it has: ${Object.keys(state.params).join(', ') || 'none'}`);
  }
  checkTemplates(given, [...path, 'with'], scope, options);
  for (const name of capturesOfSteps(catalog, scope, state.steps)) scope.captured.add(name);
}

/** What running these steps captures, the states they use included (a state built from states passes their captures on). */
function capturesOfSteps(catalog: Catalog, scope: Scope, steps: ReadonlyArray<import('./format.js').Step>, visited = new Set<string>()): string[] {
  return steps.flatMap((step) => {
    if (step.kind === 'expect') return step.alternatives.flatMap((alternative) => Object.keys(alternative.capture ?? {}));
    if (step.kind === 'send') return Object.keys(step.capture ?? {});
    if (step.kind === 'anyOf') return step.branches.flatMap((branch) => capturesOfSteps(catalog, scope, branch, visited));
    if (step.kind === 'use' && !visited.has(step.state)) {
      visited.add(step.state);
      return capturesOfSteps(catalog, scope, findState(catalog, scope.ocpp, scope.sut, step.state)?.steps ?? [], visited);
    }
    return [];
  });
}

function checkSelector(selector: Record<string, unknown>, path: Path, scope: Scope, options: CheckOptions): void {
  // An event selector's kind is checked by the schema; an action must exist in the version.
  if (selector['event'] === undefined) checkAction(String(selector['action']), [...path, 'action'], scope);
  checkMatch(selector['match'], [...path, 'match'], scope, options);
}

function checkAction(action: string, path: Path, scope: Scope): void {
  if (!schemasOf(scope.ocpp).hasAction(action)) scope.report(path, `unknown OCPP ${scope.ocpp} action "${action}"`);
}

function checkMatch(pattern: unknown, path: Path, scope: Scope, options: CheckOptions): void {
  if (pattern === undefined) return;
  for (const message of checkPattern(pattern)) scope.report(path, message);
  checkTemplates(pattern, path, scope, options);
}

/** A capture's `where` is a pattern like `match`, checked the same way. */
function checkCaptures(capture: unknown, path: Path, scope: Scope, options: CheckOptions): void {
  for (const [name, entry] of Object.entries((capture ?? {}) as Record<string, unknown>)) {
    for (const pattern of capturePatterns(entry)) checkMatch(pattern, [...path, name, 'where'], scope, options);
  }
}

function addCaptures(capture: unknown, scope: Scope): void {
  for (const name of Object.keys((capture ?? {}) as Record<string, unknown>)) scope.captured.add(name);
}

function checkTemplates(value: unknown, path: Path, scope: Scope, options: CheckOptions): void {
  if (value === undefined) return;
  let variables: string[];
  try {
    variables = templateVariables(value);
  } catch (error) {
    scope.report(path, (error as Error).message);
    return;
  }
  for (const variable of variables) {
    const problem = variableProblem(variable, scope, options);
    if (problem) scope.report(path, problem);
  }
}

const FILE_VARIABLES: readonly string[] = FILE_TEMPLATE_NAMES;

/** The harness's CSMS endpoints (runner/csms-endpoints.ts offers them). */
const CSMS_VARIABLES: readonly string[] = CSMS_TEMPLATE_NAMES;

function variableProblem(variable: string, scope: Scope, options: CheckOptions): string | undefined {
  const [root = '', ...rest] = variable.split('.');
  const name = rest.join('.');
  if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) return `unknown template variable "${variable}"; variables start with ${TEMPLATE_ROOTS.join(', ')}`;
  if (root === 'config' && !options.isConfigPath(name, scope.evses)) return `template variable "${variable}" names no configuration value`;
  if (root === 'captured' && !scope.captured.has(rest[0] ?? '')) return `template variable "${variable}" is not captured by an earlier step (captured so far: ${[...scope.captured].join(', ') || 'nothing'})`;
  if (root === 'params' && !scope.params?.has(rest[0] ?? '')) return scope.params ? `template variable "${variable}" is not a parameter of this state (${[...scope.params].join(', ') || 'none'})` : `template variable "${variable}": params exist only in reusable states`;
  if (root === 'item' && !scope.inForEach) return `template variable "${variable}" is only defined inside a forEach step`;
  if (root === 'files' && !FILE_VARIABLES.includes(name)) return `template variable "${variable}": the file server offers ${FILE_VARIABLES.map((file) => `files.${file}`).join(', ')}`;
  if (root === 'csms' && !CSMS_VARIABLES.includes(name)) return `template variable "${variable}": the harness's CSMS endpoints are ${CSMS_VARIABLES.map((csms) => `csms.${csms}`).join(', ')}`;
  if (root === 'csms' && name.startsWith('newRoot') && scope.securityProfile < 2) return `template variable "${variable}": the new-root endpoint is served over TLS only; the case needs minSecurityProfile: 2 (reusable states cannot use it)`;
  if (root === 'unique' && rest.length !== 1) return `template variable "${variable}": unique.<name> is one run-unique integer per name, e.g. unique.transaction`;
  if (root === 'pki' && !isPkiVariable(rest)) return `template variable "${variable}": the test PKI offers pki.<certificate>.pem and pki.<certificate>.hashData for ${TEST_CERTIFICATE_NAMES.join(', ')}, and pki.${PKI_SIGNATURE_NAMES.join(', pki.')}`;
  return undefined;
}

function isPkiVariable([name = '', field, ...deeper]: string[]): boolean {
  if ((PKI_SIGNATURE_NAMES as readonly string[]).includes(name)) return field === undefined;
  if (!(TEST_CERTIFICATE_NAMES as readonly string[]).includes(name)) return false;
  return field === 'pem' ? deeper.length === 0 : field === 'hashData' && (deeper.length === 0 || (deeper.length === 1 && HASH_DATA_FIELDS.includes(deeper[0] ?? '')));
}

const HASH_DATA_FIELDS = ['hashAlgorithm', 'issuerNameHash', 'issuerKeyHash', 'serialNumber'];
