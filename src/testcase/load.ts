import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isOcppVersion } from '../protocol/index.js';
import type { ConfigurationSetting, ForEach, MessageSelector, ReusableState, Step, StepCommon, TestCase } from './format.js';
import { testcaseJsonSchema } from './schema.js';
import { pathToText, pointerToPath, readSourceFile, type SourceFile, type SourceProblem } from './source-file.js';
import type { StepFormats } from './step-format.js';

/** A test case or reusable state as loaded, or the problems that kept it from loading. */
export type Loaded =
  | { kind: 'case'; testCase: TestCase; source: SourceFile }
  | { kind: 'state'; state: ReusableState; source: SourceFile }
  | { kind: 'invalid'; problems: SourceProblem[]; source: SourceFile };

const validators = new WeakMap<StepFormats, ValidateFunction>();

function validateShape(value: unknown, formats: StepFormats): ErrorObject[] {
  let validator = validators.get(formats);
  if (!validator) {
    validator = new Ajv({ allErrors: true, strict: false }).compile(testcaseJsonSchema(formats));
    validators.set(formats, validator);
  }
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/**
 * Loads one YAML file: syntax, then the folder defaults under its own fields, then shape (JSON
 * Schema of the given step kinds), then normalisation into a TestCase or ReusableState.
 */
export function loadFile(file: string, formats: StepFormats, defaults: Record<string, unknown> = {}): Loaded {
  const source = readSourceFile(file);
  if (source.problems.length > 0) return { kind: 'invalid', problems: source.problems, source };
  // YAML reads `ocpp: 1.6` as a number; the version is a name, so take its text.
  const document = source.value as Record<string, unknown> | null;
  if (document && typeof document === 'object' && typeof document['ocpp'] === 'number') document['ocpp'] = String(document['ocpp']);
  if (document && typeof document === 'object' && !Array.isArray(document)) source.value = { ...defaults, ...document };
  const shapeProblems = describeShapeErrors(validateShape(source.value, formats), source, formats);
  if (shapeProblems.length > 0) return { kind: 'invalid', problems: shapeProblems, source };
  const raw = source.value as Record<string, unknown>;
  if (!isOcppVersion(raw['ocpp'])) {
    return { kind: 'invalid', problems: [{ file, line: source.lineOf(['ocpp']), path: 'ocpp', message: 'must be one of "1.6", "2.0.1", "2.1" (quote it in YAML)' }], source };
  }
  const normalise = stepNormaliser(formats);
  if (typeof raw['state'] === 'string') return { kind: 'state', state: toState(raw, file, normalise), source };
  return { kind: 'case', testCase: toTestCase(raw, file, normalise), source };
}

/**
 * ajv reports a failed step against every kind's schema. A step is meant as the kind whose key it
 * carries, so only that kind's complaints are kept (a misplaced field: one message naming the
 * kind and its fields); a step with no kind key or several gets one message saying so. Elsewhere,
 * the most telling complaint per location: an unknown key beats a missing one, which beats a
 * generic oneOf/type message.
 */
function describeShapeErrors(errors: ErrorObject[], source: SourceFile, formats: StepFormats): SourceProblem[] {
  const steps = stepLocations(errors, source, formats);
  const problems: SourceProblem[] = [];
  const others: ErrorObject[] = [];
  for (const error of errors) {
    const owner = ownerOf(error.instancePath, steps);
    if (!owner) others.push(error);
    else if (owner.kind === undefined && error.schemaPath === '#/oneOf' && error.instancePath === owner.pointer) problems.push(...kindlessStep(owner, source, formats));
    else if (owner.kind !== undefined && branchOf(error) === owner.kind) others.push(error);
  }
  return [...problems, ...rankedProblems(others, source, steps, formats)];
}

/** A step that failed its schema: where it is, and which kind (index in the step oneOf) its key names. */
interface StepLocation {
  pointer: string;
  value: Record<string, unknown>;
  kind: number | undefined;
}

// Every failed step shows as a oneOf failure of the step definition at its location.
function stepLocations(errors: ErrorObject[], source: SourceFile, formats: StepFormats): StepLocation[] {
  const pointers = new Set(errors.filter((error) => error.keyword === 'oneOf' && error.schemaPath === '#/oneOf' && error.instancePath !== '').map((error) => error.instancePath));
  return [...pointers].map((pointer) => {
    const value = valueAt(source.value, pointerToPath(pointer)) as Record<string, unknown>;
    const kinds = formats.keysOf(value);
    return { pointer, value, kind: kinds.length === 1 ? formats.list.indexOf(kinds[0]!) : undefined };
  });
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), value);
}

// The innermost failed step an error lies in: a nested step's errors are its own.
function ownerOf(pointer: string, steps: StepLocation[]): StepLocation | undefined {
  return steps.filter((step) => pointer === step.pointer || pointer.startsWith(`${step.pointer}/`)).sort((a, b) => b.pointer.length - a.pointer.length)[0];
}

// The step kind (oneOf branch) an error comes from: `#/oneOf/<branch>/...` within the step definition.
function branchOf(error: ErrorObject): number | undefined {
  const match = /^#\/oneOf\/(\d+)\//.exec(error.schemaPath);
  return match ? Number(match[1]) : undefined;
}

function kindlessStep(step: StepLocation, source: SourceFile, formats: StepFormats): SourceProblem[] {
  const path = pointerToPath(step.pointer);
  const at = (key: string | undefined, message: string): SourceProblem => ({ file: source.file, line: source.lineOf(key ? [...path, key] : path), path: pathToText(path), message });
  const kinds = formats.keysOf(step.value).map((format) => format.name);
  const exactlyOne = `a step has exactly one of: ${formats.names.join(', ')}`;
  if (kinds.length > 1) return [at(kinds[1], `${exactlyOne}; this one has ${kinds.join(' and ')}`)];
  const known = new Set(formats.list.flatMap((format) => formats.fieldsOf(format)));
  const unknown = Object.keys(step.value ?? {}).filter((key) => !known.has(key));
  if (unknown.length === 0) return [at(undefined, `a step needs exactly one of: ${formats.names.join(', ')}`)];
  return unknown.map((key) => at(key, `unknown step field "${key}"; ${exactlyOne}`));
}

function rankedProblems(errors: ErrorObject[], source: SourceFile, steps: StepLocation[], formats: StepFormats): SourceProblem[] {
  const rank = (error: ErrorObject) => ({ additionalProperties: 0, enum: 1, required: 3, oneOf: 4 } as Record<string, number>)[error.keyword] ?? 2;
  const best = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const current = best.get(error.instancePath)?.[0];
    if (!current || rank(error) < rank(current)) best.set(error.instancePath, [error]);
    // Each unknown field is its own mistake.
    else if (rank(error) === rank(current) && error.keyword === 'additionalProperties') best.get(error.instancePath)!.push(error);
  }
  const paths = [...best.keys()];
  // A complaint about a parent is noise when a child has a precise one; a misplaced field is never noise.
  const leaves = paths.filter((path) => best.get(path)![0]!.keyword === 'additionalProperties' || !paths.some((other) => other !== path && other.startsWith(`${path}/`)));
  return leaves.flatMap((pointer) => best.get(pointer)!.map((error) => {
    const path = pointerToPath(pointer);
    const step = steps.find((candidate) => candidate.pointer === pointer);
    const field = error.keyword === 'additionalProperties' ? String(error.params['additionalProperty']) : undefined;
    return { file: source.file, line: source.lineOf(field ? [...path, field] : path), path: pathToText(path), message: messageOf(error, step, formats) };
  }));
}

function messageOf(error: ErrorObject, step: StepLocation | undefined, formats: StepFormats): string {
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params['additionalProperty']);
    const format = step?.kind === undefined ? undefined : formats.list[step.kind];
    return format ? `"${key}" is not a field of ${article(format.name)} ${format.name} step; it has: ${formats.fieldsOf(format).join(', ')}` : `unknown field "${key}"`;
  }
  if (error.keyword === 'enum') return `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'required') return `missing "${String(error.params['missingProperty'])}"`;
  return error.message ?? 'is invalid';
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

function toTestCase(raw: Record<string, unknown>, file: string, normalise: (raw: unknown) => Step): TestCase {
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
    maxSecurityProfile: (raw['maxSecurityProfile'] ?? 3) as TestCase['maxSecurityProfile'],
    before: { configuration: before.configuration ?? [], states: (before.states ?? []).map((entry) => normalise(stateInclusion(entry))) },
    steps: ((raw['steps'] ?? []) as unknown[]).map(normalise),
    post: ((raw['post'] ?? []) as unknown[]).map(normalise),
    mustFailWith: (raw['mustFailWith'] ?? []) as string[],
    expectedFindings: (raw['expectedFindings'] ?? []) as string[],
    mustPassWith: (raw['mustPassWith'] ?? []) as string[],
    file,
  };
  if (typeof raw['prerequisites'] === 'string') testCase.prerequisites = raw['prerequisites'];
  return testCase;
}

/** An entry of `before.states` (`Booted`, or `{ use: Booted, with: {...} }`) as the step that reaches the state. */
export function stateInclusion(entry: unknown): Record<string, unknown> {
  return typeof entry === 'string' ? { use: entry } : (entry as Record<string, unknown>);
}

// The id names the role: TC_B_01_CS tests a charging station, TC_B_01_CSMS a CSMS.
function sutOfId(id: string): TestCase['sut'] {
  return id.endsWith('_CSMS') ? 'csms' : 'cs';
}

function toState(raw: Record<string, unknown>, file: string, normalise: (raw: unknown) => Step): ReusableState {
  return {
    state: String(raw['state']),
    ocpp: raw['ocpp'] as ReusableState['ocpp'],
    sut: (raw['sut'] ?? 'cs') as ReusableState['sut'],
    description: String(raw['description'] ?? ''),
    params: (raw['params'] ?? {}) as Record<string, unknown>,
    steps: ((raw['steps'] ?? []) as unknown[]).map(normalise),
    file,
  };
}

/** Normalises steps of the surface syntax by their kinds (the shape was validated before). */
export function stepNormaliser(formats: StepFormats): (raw: unknown) => Step {
  const normalise = (raw: unknown): Step => {
    const step = raw as Record<string, unknown>;
    const [format] = formats.keysOf(step);
    if (!format) throw new Error(`a step needs exactly one of: ${formats.names.join(', ')}`);
    return format.normalise(step, commonOf(step), { step: normalise });
  };
  return normalise;
}

function commonOf(step: Record<string, unknown>): StepCommon {
  const common: StepCommon = {};
  if (typeof step['id'] === 'string') common.id = step['id'];
  if (typeof step['title'] === 'string') common.title = step['title'];
  if (Array.isArray(step['checks'])) common.checks = step['checks'] as string[];
  if (Array.isArray(step['forbid'])) common.forbid = step['forbid'] as MessageSelector[];
  if (step['forEach'] !== undefined) common.forEach = step['forEach'] as ForEach;
  if (typeof step['timeoutMs'] === 'number' || typeof step['timeoutMs'] === 'string') common.timeoutMs = step['timeoutMs'];
  if (typeof step['when'] === 'string') common.when = step['when'];
  return common;
}
