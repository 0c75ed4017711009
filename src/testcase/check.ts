import { CERTIFICATE_VIEW_FIELDS, PKI_SIGNATURE_NAMES, TEST_CERTIFICATE_NAMES } from '../pki/index.js';
import { FINDING_CODES, isFindingCode, schemasOf, type OcppVersion } from '../protocol/index.js';
import { capturePatterns } from './capture.js';
import { findState, placeOf, type Catalog } from './catalog.js';
import type { ReusableState, Step, Sut, TestCase } from './format.js';
import { stateInclusion, stepNormaliser } from './load.js';
import { checkPattern } from './match.js';
import type { SourceFile, SourceProblem } from './source-file.js';
import { pathToText } from './source-file.js';
import type { FieldPath, StepCheckContext, StepFormats } from './step-format.js';
import { CSMS_TEMPLATE_NAMES, FILE_TEMPLATE_NAMES, TARGET_TEMPLATE_NAMES, TEMPLATE_ROOTS, templateVariables } from './template.js';

/** What the checker needs to know from outside the test-case layer. */
export interface CheckOptions {
  /**
   * True when `config.<path>` names a configuration value (e.g. `idTokens.valid.idToken`) of a
   * configuration with `evses` EVSEs (a case's `minEvses`), so `evses.[1].id` is fine in a case that needs two.
   */
  isConfigPath: (path: string, evses: number) => boolean;
}

type Path = FieldPath;

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
  /** The security profile the station is connected with at most: the case's maxSecurityProfile (3 in states). */
  maxSecurityProfile: number;
  stepIds: Set<string>;
  requirements?: Record<string, string>;
  cited: Set<string>;
  report: (path: Path, message: string) => void;
}

/**
 * The semantic checks behind `ocpp-harness check`, after the JSON Schema: names resolve (states,
 * actions, requirement ids, step ids), templates use only variables that exist at that point,
 * patterns use known operators, and each file sits where its id, version and module say. Each
 * step kind checks its own fields (StepFormat.check); this file holds what all steps share.
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
    ocpp: testCase.ocpp, sut: testCase.sut, captured: new Set(), inForEach: false, evses: testCase.minEvses, securityProfile: testCase.minSecurityProfile, maxSecurityProfile: testCase.maxSecurityProfile,
    stepIds: collectStepIds(catalog.formats, [...testCase.steps, ...testCase.post]), requirements: testCase.requirements, cited: new Set(), report,
  };
  const before = (raw['before'] ?? {}) as Record<string, unknown>;
  ((before['configuration'] ?? []) as unknown[]).forEach((setting, index) => checkTemplates((setting as Record<string, unknown>)['value'], ['before', 'configuration', index, 'value'], scope, options));
  ((before['states'] ?? []) as unknown[]).forEach((entry, index) => checkStep(catalog, stateInclusion(entry), ['before', 'states', index], scope, options));
  checkSteps(catalog, raw['steps'], ['steps'], scope, options);
  checkSteps(catalog, raw['post'], ['post'], scope, options, { post: true });
  testCase.expectedFindings.forEach((code, index) => {
    if (!isFindingCode(code)) report(['expectedFindings', index], `"${code}" is no finding code; the codes are ${FINDING_CODES.join(', ')} (docs/findings.md)`);
  });
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
    ocpp: state.ocpp, sut: state.sut, captured: new Set(), params: new Set(Object.keys(state.params)), inForEach: false, evses: 1, securityProfile: 0, maxSecurityProfile: 3,
    stepIds: collectStepIds(catalog.formats, state.steps), cited: new Set(), report,
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

// The ids `since` may name: the file's own steps, nested ones included (not those of the states it uses).
function collectStepIds(formats: StepFormats, steps: readonly Step[], ids = new Set<string>()): Set<string> {
  for (const step of steps) {
    if (step.id) ids.add(step.id);
    for (const nested of formats.of(step).children?.(step, () => undefined) ?? []) collectStepIds(formats, nested, ids);
  }
  return ids;
}

function checkSteps(catalog: Catalog, steps: unknown, path: Path, scope: Scope, options: CheckOptions, where: { post?: boolean } = {}): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step, index) => checkStep(catalog, step as Record<string, unknown>, [...path, index], scope, options, where));
}

// What every step shares (requirements, timeout, forbid, forEach), then its kind's own checks;
// what it captures is visible to the steps after it.
function checkStep(catalog: Catalog, step: Record<string, unknown>, path: Path, outer: Scope, options: CheckOptions, where: { post?: boolean } = {}): void {
  const [format] = catalog.formats.keysOf(step);
  if (!format) return;
  if (where.post && !format.passive) outer.report(path, `post holds only ${catalog.formats.list.filter((kind) => kind.passive).map((kind) => kind.name).join(', ')} steps, not ${format.name}`);
  const scope = step['forEach'] !== undefined ? { ...outer, inForEach: true } : outer;
  if (Array.isArray(step['forEach'])) checkTemplates(step['forEach'], [...path, 'forEach'], outer, options);
  for (const [index, id] of ((step['checks'] ?? []) as string[]).entries()) {
    outer.cited.add(id);
    if (scope.requirements && !(id in scope.requirements)) scope.report([...path, 'checks', index], `requirement ${id} is not listed under requirements`);
  }
  checkTemplates(step['timeoutMs'], [...path, 'timeoutMs'], scope, options);
  checkTemplates(step['when'], [...path, 'when'], scope, options);
  ((step['forbid'] ?? []) as Array<Record<string, unknown>>).forEach((selector, index) => checkSelector(selector, [...path, 'forbid', index], scope, options));
  format.check(step, path, contextOf(catalog, scope, options));
  for (const name of capturesOf(catalog, scope, stepNormaliser(catalog.formats)(step))) outer.captured.add(name);
}

/** What a kind's check may use: the checks of the scope it runs in. */
function contextOf(catalog: Catalog, scope: Scope, options: CheckOptions): StepCheckContext {
  return {
    ocpp: scope.ocpp,
    sut: scope.sut,
    report: scope.report,
    templates: (value, path, params) => checkTemplates(value, path, params ? { ...scope, params: new Set([...(scope.params ?? []), ...params]) } : scope, options),
    action: (name, path) => checkAction(name, path, scope),
    match: (pattern, path) => checkMatch(pattern, path, scope, options),
    captures: (capture, path) => checkCaptures(capture, path, scope, options),
    selector: (selector, path) => checkSelector(selector, path, scope, options),
    steps: (steps, path) => checkSteps(catalog, steps, path, scope, options),
    hasStepId: (id) => scope.stepIds.has(id),
    state: (name) => findState(catalog, scope.ocpp, scope.sut, name),
    stateNames: () => catalog.states.filter((state) => state.ocpp === scope.ocpp && state.sut === scope.sut).map((state) => state.state),
    kindOf: (raw) => {
      const kinds = catalog.formats.keysOf(raw);
      return kinds.length === 1 ? kinds[0] : undefined;
    },
  };
}

/** The names a step captures, with those of the steps inside it (a used state's, an anyOf's branches). */
function capturesOf(catalog: Catalog, scope: Scope, step: Step, seen = new Set<readonly Step[]>()): string[] {
  const format = catalog.formats.of(step);
  const nested = format.children?.(step, (name) => findState(catalog, scope.ocpp, scope.sut, name)) ?? [];
  const inner = nested.filter((steps) => !seen.has(steps)).flatMap((steps) => {
    seen.add(steps);
    return steps.flatMap((child) => capturesOf(catalog, scope, child, seen));
  });
  return [...(format.captures?.(step) ?? []), ...inner];
}

function checkSelector(selector: Record<string, unknown>, path: Path, scope: Scope, options: CheckOptions): void {
  // An event selector's kind is checked by the schema; an action must exist in the version.
  if (Array.isArray(selector['anyOf'])) {
    (selector['anyOf'] as Array<Record<string, unknown>>).forEach((alternative, index) => checkSelector(alternative, [...path, 'anyOf', index], scope, options));
    return;
  }
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

/** The CSMS under test (runner/case-run.ts offers it to CSMS cases). */
const TARGET_VARIABLES: readonly string[] = TARGET_TEMPLATE_NAMES;

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
  if (root === 'csms' && name.startsWith('upgrade') && (scope.securityProfile < 1 || scope.maxSecurityProfile > 2)) return `template variable "${variable}": the upgrade endpoint is served one security profile above a station at profile 1 or 2; the case needs minSecurityProfile: 1 and maxSecurityProfile: 2 (reusable states cannot use it)`;
  if (root === 'target' && !TARGET_VARIABLES.includes(name)) return `template variable "${variable}": the CSMS under test offers ${TARGET_VARIABLES.map((target) => `target.${target}`).join(', ')}`;
  if (root === 'target' && scope.sut !== 'csms') return `template variable "${variable}": target.* is the CSMS under test, defined in CSMS cases and states (sut: csms) only`;
  if (root === 'unique' && rest.length !== 1) return `template variable "${variable}": unique.<name> is one run-unique integer per name, e.g. unique.transaction`;
  if (root === 'secret' && rest.length !== 1) return `template variable "${variable}": secret.<name> is one fresh password per name and case, e.g. secret.password`;
  if (root === 'csr' && rest.length !== 1) return `template variable "${variable}": csr.<name> is one fresh CSR per name and case, e.g. csr.station`;
  if (root === 'pki' && !isPkiVariable(rest)) return `template variable "${variable}": the test PKI offers pki.<certificate> and pki.<certificate>.${CERTIFICATE_VIEW_FIELDS.join('|')} for ${TEST_CERTIFICATE_NAMES.join(', ')}, and pki.${PKI_SIGNATURE_NAMES.join(', pki.')}`;
  return undefined;
}

function isPkiVariable([name = '', field, ...deeper]: string[]): boolean {
  if ((PKI_SIGNATURE_NAMES as readonly string[]).includes(name)) return field === undefined;
  if (!(TEST_CERTIFICATE_NAMES as readonly string[]).includes(name)) return false;
  // The certificate itself, as the issuer a helper signs with: `{{signCsr captured.csr pki.csmsRoot}}`.
  if (field === undefined || field === 'pem') return deeper.length === 0;
  // Every other field of a certificate's view is its hash data in one algorithm.
  const hashDataField = (CERTIFICATE_VIEW_FIELDS as readonly string[]).includes(field ?? '');
  return hashDataField && (deeper.length === 0 || (deeper.length === 1 && HASH_DATA_FIELDS.includes(deeper[0] ?? '')));
}

const HASH_DATA_FIELDS = ['hashAlgorithm', 'issuerNameHash', 'issuerKeyHash', 'serialNumber'];
