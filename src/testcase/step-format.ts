import type { OcppVersion } from '../protocol/index.js';
import type { ReusableState, Step, StepCommon, Sut } from './format.js';

/** Which configured timeout a step kind waits for when the step gives none (config `timeouts.*`). */
export type TimeoutName = 'messageMs' | 'connectMs' | 'longOperationMs';

/** A location in a YAML file: keys and indexes from the document's root. */
export type FieldPath = Array<string | number>;

/** A JSON Schema fragment. */
export type JsonSchema = Record<string, unknown>;

/** What a kind may ask of the loader while it normalises a step: normalise a nested step. */
export interface NormaliseContext {
  step(raw: unknown): Step;
}

/**
 * What a kind may ask of the checker while it checks a step (raw, as written, so problems point at
 * lines). Every check runs in the scope of the step: templates see what was captured before it,
 * its forEach item and, in a reusable state, its parameters.
 */
export interface StepCheckContext {
  readonly ocpp: OcppVersion;
  readonly sut: Sut;
  report(path: FieldPath, message: string): void;
  /** Template variables in a value exist at this point; `params` adds names visible as `{{params.x}}`. */
  templates(value: unknown, path: FieldPath, params?: readonly string[]): void;
  /** The name is an OCPP action of the case's version. */
  action(name: string, path: FieldPath): void;
  /** A payload pattern: known operators, templates. */
  match(pattern: unknown, path: FieldPath): void;
  /** The patterns inside captures. */
  captures(capture: unknown, path: FieldPath): void;
  /** A message or event selector (forbid, assertions). */
  selector(selector: Record<string, unknown>, path: FieldPath): void;
  /** Nested steps, checked in this scope (an anyOf branch). */
  steps(steps: unknown, path: FieldPath): void;
  /** Some step of the file has this id. */
  hasStepId(id: string): boolean;
  /** A reusable state of the case's version and role. */
  state(name: string): ReusableState | undefined;
  /** The names of the reusable states of the case's version and role. */
  stateNames(): string[];
  /** The kind of a raw step, when it names exactly one. */
  kindOf(raw: unknown): StepFormat | undefined;
}

/** Finds a reusable state of the case's version and role by name. */
export type StateLookup = (name: string) => ReusableState | undefined;

/**
 * The format side of a step kind (issue 12): its YAML key, its closed JSON Schema, how its surface
 * syntax becomes a step, its static check, its title in reports and which timeout it waits for.
 * The runner's step kinds implement this and add how the step runs; the loader, the checker and
 * the schema are built from a set of them (StepFormats).
 */
export interface StepFormat<S extends Step = Step> {
  /** The YAML key that makes a step of this kind, and the step's `kind`. */
  readonly name: string;
  /** One line for the schema and the docs. */
  readonly summary: string;
  /** JSON Schema of the kind's own fields, its key included; the common fields are added. */
  readonly fields: Record<string, JsonSchema>;
  /**
   * The configured timeout the step waits for when it gives no `timeoutMs`; `undefined`: the kind
   * waits for nothing of its own, and a `timeoutMs` on it is a misplaced field.
   */
  readonly timeout: TimeoutName | ((step: S) => TimeoutName) | undefined;
  /** False when the kind cannot repeat per item (a `forEach` on it is a misplaced field). */
  readonly repeats?: false;
  /**
   * True for a kind that judges the history and changes nothing: it may stand in a case's `post`,
   * and the runner's lookahead looks across it.
   */
  readonly passive?: true;
  /** The step from its surface syntax (already valid against `fields`). */
  normalise(raw: Record<string, unknown>, common: StepCommon, context: NormaliseContext): S;
  /** Semantic checks of the raw step, beyond its schema. */
  check(raw: Record<string, unknown>, path: FieldPath, context: StepCheckContext): void;
  /** The step's title in reports when it has none of its own. */
  describe(step: S): string;
  /** The names the step captures for later steps (`{{captured.x}}`). */
  captures?(step: S): string[];
  /** Step lists inside the step (anyOf branches, a used state's steps), for walks over a case. */
  children?(step: S, states: StateLookup): ReadonlyArray<readonly Step[]>;
}

/** Fields every step may carry, whatever its kind. */
export const COMMON_STEP_FIELDS = ['id', 'title', 'checks', 'forbid', 'forEach', 'timeoutMs', 'when'] as const;

/** A set of step kinds, looked up by name (the YAML key). */
export class StepFormats<F extends StepFormat = StepFormat> {
  private readonly byName: ReadonlyMap<string, F>;

  constructor(readonly list: readonly F[]) {
    this.byName = new Map(list.map((format) => [format.name, format]));
  }

  get names(): string[] {
    return this.list.map((format) => format.name);
  }

  /** The kind of a normalised step. */
  of(step: Step): F {
    const format = this.byName.get(step.kind);
    if (!format) throw new Error(`unknown step kind "${step.kind}"`);
    return format;
  }

  /** The kinds whose keys a raw step carries (one, in a valid step). */
  keysOf(raw: unknown): F[] {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
    return this.list.filter((format) => format.name in raw);
  }

  /** The fields a step of a kind may carry: the common ones it accepts, then its own. */
  fieldsOf(format: StepFormat): string[] {
    return [...COMMON_STEP_FIELDS.filter((field) => acceptsCommon(format, field)), ...Object.keys(format.fields)];
  }
}

/** Whether a kind takes a common field: `timeoutMs` only when it waits for something, `forEach` when it repeats. */
export function acceptsCommon(format: StepFormat, field: (typeof COMMON_STEP_FIELDS)[number]): boolean {
  if (field === 'timeoutMs') return format.timeout !== undefined;
  if (field === 'forEach') return format.repeats !== false;
  return true;
}
