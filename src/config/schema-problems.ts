import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { describeValue, toPointer, valueAt, type FieldProblem } from './errors.js';
import { CONFIG_JSON_SCHEMA } from './schema.js';

let validator: ValidateFunction | undefined;

// Compiled on first use: commands that never read a config never pay for it. verbose puts the
// failing schema on each error, which is where the allowed fields and kinds are read from.
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, verbose: true, discriminator: true }).compile(CONFIG_JSON_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

const TYPE_PHRASE: Record<string, string> = {
  integer: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', array: 'a list', null: 'null',
};

type SchemaNode = { properties?: Record<string, unknown>; oneOf?: Array<{ properties?: { kind?: { const?: string } } }> };

function allowedFields(schema: SchemaNode | undefined): string | undefined {
  const names = Object.keys(schema?.properties ?? {});
  return names.length > 0 ? names.join(', ') : undefined;
}

function adapterKinds(schema: SchemaNode | undefined): string {
  return (schema?.oneOf ?? []).map((branch) => JSON.stringify(branch.properties?.kind?.const)).join(', ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// One ajv error in the words of the config file; undefined when another error already says it.
function toProblem(error: ErrorObject, value: unknown): FieldProblem | undefined {
  const at = error.instancePath;
  const schema = error.parentSchema as SchemaNode | undefined;
  const got = valueAt(value, at);
  const limit = Number(error.params['limit']);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params['additionalProperty']);
      const allowed = allowedFields(schema);
      return { pointer: at, linePointer: at + toPointer(name), problem: `unknown field "${name}"`, ...(allowed ? { allowed } : {}) };
    }
    case 'required': {
      const name = String(error.params['missingProperty']);
      const allowed = name === 'kind' && schema?.oneOf ? adapterKinds(schema) : undefined;
      return { pointer: at + toPointer(name), problem: 'required field missing', ...(allowed ? { allowed } : {}) };
    }
    case 'discriminator': {
      const kind = valueAt(value, `${at}/kind`);
      if (kind === undefined) return undefined; // the 'required' error says it
      return { pointer: `${at}/kind`, problem: `must be one of ${adapterKinds(schema)}; got ${describeValue(kind)}` };
    }
    case 'enum': {
      const values = (error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { pointer: at, problem: `must be one of ${values}; got ${describeValue(got)}` };
    }
    case 'type': {
      const types = ([] as string[]).concat(error.params['type'] as string | string[]);
      const allowed = types.includes('object') ? allowedFields(schema) : undefined;
      const problem = `must be ${types.map((t) => TYPE_PHRASE[t] ?? t).join(' or ')}; got ${describeValue(got)}`;
      return { pointer: at, problem, ...(allowed ? { allowed } : {}) };
    }
    case 'minimum': return { pointer: at, problem: `must be at least ${limit}; got ${describeValue(got)}` };
    case 'maximum': return { pointer: at, problem: `must be at most ${limit}; got ${describeValue(got)}` };
    case 'minLength':
      return { pointer: at, problem: limit === 1 ? 'must not be empty' : `must have at least ${plural(limit, 'character')}; got ${String(got).length}` };
    case 'maxLength': return { pointer: at, problem: `must have at most ${plural(limit, 'character')}; got ${String(got).length}` };
    case 'minItems': return { pointer: at, problem: limit === 1 ? 'must not be empty' : `must have at least ${limit} entries` };
    case 'uniqueItems': {
      const later = Math.max(Number(error.params['i']), Number(error.params['j']));
      return { pointer: at + toPointer(later), problem: `${describeValue(valueAt(value, at + toPointer(later)))} is listed twice` };
    }
    default: return { pointer: at, problem: error.message ?? 'is invalid' };
  }
}

/** Checks a config file value against CONFIG_JSON_SCHEMA; the problems found, none when it is valid. */
export function schemaProblems(value: unknown): FieldProblem[] {
  return validate(value).flatMap((error) => toProblem(error, value) ?? []);
}
