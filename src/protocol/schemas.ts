import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { speedUpDateTimeFormat } from './date-time-format.js';
import { MAX_PAYLOAD_DEPTH, isNestedDeeperThan } from './nesting.js';
import type { RpcErrorCode } from './rpc-errors.js';
import type { OcppVersion } from './versions.js';

/** Whether a payload is a request (CALL, SEND) or a response (CALLRESULT). */
export type PayloadKind = 'request' | 'response';

/** One way a payload breaks its schema, with the OCPP-J error code it maps to. */
export interface SchemaViolation {
  /** JSON pointer into the payload, "" for the payload itself. */
  path: string;
  /** What is wrong, e.g. 'must NOT have more than 20 characters'. */
  message: string;
  /** The JSON-schema keyword that failed (required, maxLength, enum, ...). */
  keyword: string;
  errorCode: RpcErrorCode;
}

// The OCA schema sets as shipped by ocpp-rpc (pinned in package.json): data files only, never its code.
const SCHEMA_FILE: Record<OcppVersion, string> = {
  '1.6': 'ocpp-rpc/lib/schemas/ocpp1_6.json',
  '2.0.1': 'ocpp-rpc/lib/schemas/ocpp2_0_1.json',
  '2.1': 'ocpp-rpc/lib/schemas/ocpp2_1.json',
};

/** Absolute path of the schema array file of a version (for the checksum test). */
export function schemaFileOf(version: OcppVersion): string {
  return createRequire(import.meta.url).resolve(SCHEMA_FILE[version]);
}

type RawSchema = { $id: string } & Record<string, unknown>;

// ocpp-rpc ids are "urn:<Action>.req|.conf" (1.6, 2.0.1) or "urn:<Action>Request|Response" (2.1).
function keyOf(id: string): { action: string; kind: PayloadKind } | undefined {
  const name = id.replace(/^urn:/, '');
  const match = /^(.+?)(\.req|\.conf|Request|Response)$/.exec(name);
  if (match) return { action: match[1]!, kind: match[2] === '.req' || match[2] === 'Request' ? 'request' : 'response' };
  // OCPP 2.1 SEND messages (NotifyPeriodicEventStream) have no suffix and no response.
  return { action: name, kind: 'request' };
}

// ajv-formats is published as CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * The schemas of one OCPP version, keyed by action and payload kind. Each schema is compiled on
 * first use, so starting the CLI never pays for compiling all ~390 of them.
 */
export class SchemaRegistry {
  // Schemas and compiled validators per kind, keyed by action: no key string is built on the hot path.
  private readonly raw = { request: new Map<string, RawSchema>(), response: new Map<string, RawSchema>() };
  private readonly compiled = { request: new Map<string, ValidateFunction>(), response: new Map<string, ValidateFunction>() };
  private readonly requestActions = new Set<string>();
  private readonly ajv: Ajv;


  constructor(readonly version: OcppVersion, schemas: readonly RawSchema[]) {
    // multipleOfPrecision: one-decimal limits such as 6.1 (multipleOf 0.1) must pass despite
    // binary floating point. strict:false because the OCA schemas carry non-standard keywords.
    this.ajv = new Ajv({ strict: false, allErrors: true, multipleOfPrecision: 6, validateSchema: false });
    addFormats(this.ajv);
    speedUpDateTimeFormat(this.ajv);
    for (const schema of schemas) {
      const key = keyOf(schema.$id);
      if (!key) continue;
      // Current ajv rejects URNs without a namespace ("urn:Authorize.req"): give each one, per version.
      this.raw[key.kind].set(key.action, { ...schema, $id: `urn:ocpp:${version}:${schema.$id.slice(4)}` });
      if (key.kind === 'request') this.requestActions.add(key.action);
    }
  }

  /** True when the version defines the action (it has a request schema). */
  hasAction(action: string): boolean {
    return this.requestActions.has(action);
  }

  /** How many schemas have been compiled so far (they compile on first use). */
  get compiledCount(): number {
    return this.compiled.request.size + this.compiled.response.size;
  }

  /** Every action of the version, sorted. */
  actions(): string[] {
    return [...this.requestActions].sort();
  }

  /** The schema of an action's request or response as published (read-only), if the version has it. */
  schemaOf(action: string, kind: PayloadKind): Readonly<Record<string, unknown>> | undefined {
    return this.raw[kind].get(action);
  }

  /**
   * Validates a payload; returns undefined when it is valid, else its violations. A payload nested
   * past MAX_PAYLOAD_DEPTH is one violation (keyword `nesting`) and never reaches ajv, whose
   * validators recurse with the data; `nestingChecked` says the caller has walked it already.
   */
  validate(action: string, kind: PayloadKind, payload: unknown, nestingChecked = false): SchemaViolation[] | undefined {
    const validator = this.validatorFor(action, kind);
    if (!validator) return [{ path: '', message: `no ${kind} schema for action "${action}"`, keyword: 'action', errorCode: 'NotImplemented' }];
    return this.violationsOf(validator, payload, nestingChecked);
  }

  private violationsOf(validator: ValidateFunction, payload: unknown, nestingChecked: boolean): SchemaViolation[] | undefined {
    if (!nestingChecked && isNestedDeeperThan(payload, MAX_PAYLOAD_DEPTH)) return [{ path: '', message: `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`, keyword: 'nesting', errorCode: 'FormatViolation' }];
    if (validator(payload)) return undefined;
    return (validator.errors ?? []).map(toViolation);
  }

  private validatorFor(action: string, kind: PayloadKind): ValidateFunction | undefined {
    const validator = this.compiled[kind].get(action);
    if (validator) return validator;
    const schema = this.raw[kind].get(action);
    if (!schema) return undefined;
    const compiled = this.ajv.compile(schema);
    this.compiled[kind].set(action, compiled);
    return compiled;
  }
}

// Mapping as in ocpp-rpc's validator: occurrence for counts, type for types, property for values.
const CODE_OF_KEYWORD: Record<string, RpcErrorCode> = {
  required: 'OccurrenceConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  maxItems: 'OccurrenceConstraintViolation',
  minProperties: 'OccurrenceConstraintViolation',
  type: 'TypeConstraintViolation',
  additionalProperties: 'PropertyConstraintViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
  maxLength: 'FormatViolation',
  minLength: 'FormatViolation',
  format: 'FormatViolation',
};

function toViolation(error: ErrorObject): SchemaViolation {
  const path = error.instancePath;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') message = `must not have property "${String(error.params['additionalProperty'])}"`;
  if (error.keyword === 'enum') message = `must be one of ${JSON.stringify(error.params['allowedValues'])}`;
  return { path, message, keyword: error.keyword, errorCode: CODE_OF_KEYWORD[error.keyword] ?? 'FormatViolation' };
}

/** Formats violations on one line, e.g. `/chargePointVendor must NOT have more than 20 characters`. */
export function describeViolations(violations: readonly SchemaViolation[]): string {
  return violations.map((v) => `${v.path || '(payload)'} ${v.message}`).join('; ');
}

const registries = new Map<OcppVersion, SchemaRegistry>();

/** The process-wide registry of a version; the schema file is read on the first request only. */
export function schemasOf(version: OcppVersion): SchemaRegistry {
  let registry = registries.get(version);
  if (!registry) {
    const schemas = JSON.parse(readFileSync(schemaFileOf(version), 'utf8')) as RawSchema[];
    registry = new SchemaRegistry(version, schemas);
    registries.set(version, registry);
  }
  return registry;
}
