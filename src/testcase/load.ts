import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isOcppVersion } from '../protocol/index.js';
import type {
  AssertSelector, AssertStep, Assertion, Capture, ConfigurationSetting, ConnectionStep, MessageExpectation, MessageSelector, ReusableState, Step, StepCommon, TestCase, UseStep,
} from './format.js';
import { TESTCASE_JSON_SCHEMA } from './schema.js';
import { pathToText, pointerToPath, readSourceFile, type SourceFile, type SourceProblem } from './source-file.js';

/** A test case or reusable state as loaded, or the problems that kept it from loading. */
export type Loaded =
  | { kind: 'case'; testCase: TestCase; source: SourceFile }
  | { kind: 'state'; state: ReusableState; source: SourceFile }
  | { kind: 'invalid'; problems: SourceProblem[]; source: SourceFile };

let validator: ValidateFunction | undefined;

function validateShape(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(TESTCASE_JSON_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/**
 * Loads one YAML file: syntax, then the folder defaults under its own fields, then shape (JSON
 * Schema), then normalisation into a TestCase or ReusableState.
 */
export function loadFile(file: string, defaults: Record<string, unknown> = {}): Loaded {
  const source = readSourceFile(file);
  if (source.problems.length > 0) return { kind: 'invalid', problems: source.problems, source };
  // YAML reads `ocpp: 1.6` as a number; the version is a name, so take its text.
  const document = source.value as Record<string, unknown> | null;
  if (document && typeof document === 'object' && typeof document['ocpp'] === 'number') document['ocpp'] = String(document['ocpp']);
  if (document && typeof document === 'object' && !Array.isArray(document)) source.value = { ...defaults, ...document };
  const shapeProblems = describeShapeErrors(validateShape(source.value), source);
  if (shapeProblems.length > 0) return { kind: 'invalid', problems: shapeProblems, source };
  const raw = source.value as Record<string, unknown>;
  if (!isOcppVersion(raw['ocpp'])) {
    return { kind: 'invalid', problems: [{ file, line: source.lineOf(['ocpp']), path: 'ocpp', message: 'must be one of "1.6", "2.0.1", "2.1" (quote it in YAML)' }], source };
  }
  if (typeof raw['state'] === 'string') return { kind: 'state', state: toState(raw, file), source };
  return { kind: 'case', testCase: toTestCase(raw, file), source };
}

// ajv reports a failed oneOf together with every branch's complaint; keep the most telling one
// per location: an unknown key beats a missing one, which beats a generic oneOf/type message.
function describeShapeErrors(errors: ErrorObject[], source: SourceFile): SourceProblem[] {
  const rank = (error: ErrorObject) => ({ additionalProperties: 0, enum: 1, required: 3, oneOf: 4 } as Record<string, number>)[error.keyword] ?? 2;
  const best = new Map<string, ErrorObject>();
  for (const error of errors) {
    const current = best.get(error.instancePath);
    if (!current || rank(error) < rank(current)) best.set(error.instancePath, error);
  }
  const paths = [...best.keys()];
  // A complaint about a parent is noise when a child has a precise one.
  const leaves = paths.filter((path) => !paths.some((other) => other !== path && other.startsWith(`${path}/`)));
  return leaves.map((pointer) => {
    const error = best.get(pointer)!;
    const path = pointerToPath(pointer);
    return { file: source.file, line: source.lineOf(path), path: pathToText(path), message: messageOf(error, path) };
  });
}

const STEP_KINDS = 'expect, send, action, wait, connection, assert, anyOf, use';

function messageOf(error: ErrorObject, path: ReadonlyArray<string | number>): string {
  const isStep = path.length >= 2 && typeof path[path.length - 1] === 'number' && ['steps', 'post', 'anyOf'].includes(String(path[path.length - 2])) || path.length >= 3 && path[path.length - 3] === 'anyOf';
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params['additionalProperty']);
    return isStep ? `unknown step field "${key}"; a step has exactly one of: ${STEP_KINDS}` : `unknown field "${key}"`;
  }
  if (error.keyword === 'oneOf' && isStep) return `a step needs exactly one of: ${STEP_KINDS}`;
  if (error.keyword === 'enum') return `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'required') return `missing "${String(error.params['missingProperty'])}"`;
  return error.message ?? 'is invalid';
}

function toTestCase(raw: Record<string, unknown>, file: string): TestCase {
  const before = (raw['before'] ?? {}) as { configuration?: ConfigurationSetting[]; states?: unknown[] };
  const testCase: TestCase = {
    id: String(raw['id']),
    title: String(raw['title'] ?? raw['id']),
    ocpp: raw['ocpp'] as TestCase['ocpp'],
    sut: (raw['sut'] ?? sutOfId(String(raw['id']))) as TestCase['sut'],
    module: String(raw['module'] ?? ''),
    purpose: String(raw['purpose'] ?? ''),
    profiles: (raw['profiles'] ?? []) as TestCase['profiles'],
    useCases: (raw['useCases'] ?? []) as string[],
    // A list of ids gets its texts from the version's requirement catalogue (catalog.ts).
    requirements: Array.isArray(raw['requirements']) ? {} : (raw['requirements'] ?? {}) as Record<string, string>,
    features: (raw['features'] ?? []) as string[],
    minEvses: (raw['minEvses'] ?? 1) as number,
    minSecurityProfile: (raw['minSecurityProfile'] ?? 0) as TestCase['minSecurityProfile'],
    before: { configuration: before.configuration ?? [], states: (before.states ?? []).map(toUseStep) },
    steps: ((raw['steps'] ?? []) as unknown[]).map(toStep),
    post: ((raw['post'] ?? []) as unknown[]).map(toStep).filter((step): step is AssertStep => step.kind === 'assert'),
    mustFailWith: (raw['mustFailWith'] ?? []) as string[],
    file,
  };
  if (typeof raw['prerequisites'] === 'string') testCase.prerequisites = raw['prerequisites'];
  return testCase;
}

// The id names the role: TC_B_01_CS tests a charging station, TC_B_01_CSMS a CSMS.
function sutOfId(id: string): TestCase['sut'] {
  return id.endsWith('_CSMS') ? 'csms' : 'cs';
}

function toState(raw: Record<string, unknown>, file: string): ReusableState {
  return {
    state: String(raw['state']),
    ocpp: raw['ocpp'] as ReusableState['ocpp'],
    sut: (raw['sut'] ?? 'cs') as ReusableState['sut'],
    description: String(raw['description'] ?? ''),
    params: (raw['params'] ?? {}) as Record<string, unknown>,
    steps: ((raw['steps'] ?? []) as unknown[]).map(toStep),
    file,
  };
}

function toUseStep(raw: unknown): UseStep {
  if (typeof raw === 'string') return { kind: 'use', state: raw, with: {} };
  const entry = raw as { use: string; with?: Record<string, unknown> };
  return { kind: 'use', state: entry.use, with: entry.with ?? {} };
}

/** Normalises one step of the surface syntax into its kind (the shape was validated before). */
export function toStep(raw: unknown): Step {
  const step = raw as Record<string, unknown>;
  const common = commonOf(step);
  if ('expect' in step) return { ...common, kind: 'expect', alternatives: expectationsOf(step), allow: (step['allow'] ?? []) as MessageExpectation[] };
  if ('send' in step) {
    const send: Step = { ...common, kind: 'send', action: String(step['send']), payload: (step['payload'] ?? {}) as Record<string, unknown> };
    if (step['match'] !== undefined) send.match = step['match'];
    if (step['capture'] !== undefined) send.capture = step['capture'] as Record<string, Capture>;
    if (step['error'] !== undefined) send.error = ([] as string[]).concat(step['error'] as string | string[]);
    return send;
  }
  if ('action' in step) {
    const action: Step = { ...common, kind: 'action', action: String(step['action']), params: (step['params'] ?? {}) as Record<string, unknown> };
    if (typeof step['prompt'] === 'string') action.prompt = step['prompt'];
    return action;
  }
  if ('wait' in step) return { ...common, kind: 'wait', ...(step['wait'] as { durationMs?: number | string; until?: 'disconnected' | 'connected' }) };
  if ('connection' in step) {
    const connection: Step = { ...common, kind: 'connection', operation: step['connection'] as ConnectionStep['operation'] };
    if (typeof step['attempts'] === 'number') connection.attempts = step['attempts'];
    if (typeof step['path'] === 'string') connection.path = step['path'];
    if (step['minDelayS'] !== undefined) connection.minDelayS = step['minDelayS'] as number | string;
    if (step['subprotocols'] !== undefined) connection.subprotocols = step['subprotocols'] as string[];
    if (typeof step['password'] === 'string') connection.password = step['password'];
    if (step['refused'] === true) connection.refused = true;
    return connection;
  }
  if ('assert' in step) return { ...common, kind: 'assert', assertion: assertionOf(step['assert'] as Record<string, unknown>) };
  if ('anyOf' in step) return { ...common, kind: 'anyOf', branches: (step['anyOf'] as unknown[][]).map((branch) => branch.map(toStep)) };
  return { ...common, kind: 'use', state: String(step['use']), with: (step['with'] ?? {}) as Record<string, unknown> };
}

function commonOf(step: Record<string, unknown>): StepCommon {
  const common: StepCommon = {};
  if (typeof step['id'] === 'string') common.id = step['id'];
  if (typeof step['title'] === 'string') common.title = step['title'];
  if (Array.isArray(step['checks'])) common.checks = step['checks'] as string[];
  if (Array.isArray(step['forbid'])) common.forbid = step['forbid'] as MessageSelector[];
  if (step['forEach'] === 'connector' || step['forEach'] === 'evse') common.forEach = step['forEach'];
  if (typeof step['timeoutMs'] === 'number' || typeof step['timeoutMs'] === 'string') common.timeoutMs = step['timeoutMs'];
  return common;
}

function expectationsOf(step: Record<string, unknown>): MessageExpectation[] {
  const expect = step['expect'];
  if (typeof expect !== 'string') return (expect as { anyOf: MessageExpectation[] }).anyOf;
  const expectation: MessageExpectation = { action: expect };
  for (const key of ['match', 'capture', 'reply', 'replyError', 'noReply'] as const) {
    if (step[key] !== undefined) (expectation as unknown as Record<string, unknown>)[key] = step[key];
  }
  return [expectation];
}

function assertionOf(raw: Record<string, unknown>): Assertion {
  const since = typeof raw['since'] === 'string' ? { since: raw['since'] } : {};
  if (raw['none']) return { type: 'none', selector: raw['none'] as AssertSelector, ...since };
  if (raw['some']) return { type: 'some', selector: raw['some'] as AssertSelector, ...since };
  if (raw['count']) {
    const { min, max, in: among, ...selector } = raw['count'] as AssertSelector & { min?: number; max?: number; in?: number[] };
    return { type: 'count', selector, ...since, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(among !== undefined ? { in: among } : {}) };
  }
  const { path, ...selector } = raw['increasing'] as AssertSelector & { path: string };
  return { type: 'increasing', selector, path, ...since };
}
