import { createFinding, type Finding } from './findings.js';
import { numberLiteralsOf } from './json-literals.js';
import type { PayloadKind, SchemaRegistry } from './schemas.js';
import type { Direction } from './versions.js';

/** One payload to check against the primitive datatype rules of OCPP 2.x Part 2 §2.1.4. */
export interface DatatypeSubject {
  action: string;
  kind: PayloadKind;
  direction: Direction;
  payload: unknown;
  /** The whole frame as it crossed the wire; number literals are judged on it when present. */
  raw?: string;
  messageId?: string;
}

type Schema = Readonly<Record<string, unknown>>;

/**
 * The identifierString fields, as `<type>.<field>`: the JSON schemas only say "string", so this
 * list is taken from the field tables of OCPP 2.0.1 Part 2 (messages §1, datatypes §2). A message's
 * own fields are under `<Action>Request` or `<Action>Response`. OCPP 2.1 keeps these types and adds
 * more identifierString fields, which are not listed here.
 */
const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set([
  'CostUpdatedRequest.transactionId',
  'GetTransactionStatusRequest.transactionId',
  'PublishFirmwareRequest.checksum',
  'RequestStartTransactionResponse.transactionId',
  'RequestStopTransactionRequest.transactionId',
  'UnpublishFirmwareRequest.checksum',
  'AdditionalInfoType.additionalIdToken',
  'APNType.preferredNetwork',
  'CertificateHashDataType.issuerNameHash',
  'CertificateHashDataType.serialNumber',
  'ChargingProfileType.transactionId',
  'ComponentType.name',
  'ComponentType.instance',
  'EventDataType.transactionId',
  'IdTokenType.idToken',
  'MessageInfoType.transactionId',
  'ModemType.iccid',
  'ModemType.imsi',
  'OCSPRequestDataType.issuerNameHash',
  'OCSPRequestDataType.serialNumber',
  'TransactionType.transactionId',
  'VariableType.name',
  'VariableType.instance',
]);

// Part 2 §2.1.4: identifierString is a-z, A-Z, 0-9 and * - _ = : + | @ .
const IDENTIFIER_CHARACTERS = /^[A-Za-z0-9*\-_=:+|@.]*$/;
// RFC 3339 seconds with a fraction; Part 2 §2.1.4 allows at most 3 decimal places.
const SECONDS_FRACTION = /T\d{2}:\d{2}:\d{2}\.(\d+)/;
const MAX_DATETIME_DECIMALS = 3;
// Part 2 §2.1.4: a decimal sent towards the Charging Station has at most six decimal places.
const MAX_DECIMALS_TO_STATION = 6;
// Part 2 §2.1.4: an integer has no leading zeros and no plus sign; JSON already forbids both, so
// what is left to see in the text is a fraction or an exponent (`5.0`, `1e3`).
const INTEGER_LITERAL = /^-?(0|[1-9]\d*)$/;

/**
 * Checks a payload of OCPP 2.0.1 or 2.1 against the primitive datatype rules that the JSON
 * schemas cannot express: dateTime precision, decimal places towards the station, the
 * identifierString character set and the integer form. The schema tells which field has which
 * datatype (`format: date-time`, `type: number`, `type: integer`), except identifierString (see
 * IDENTIFIER_FIELDS). OCPP 1.6 has none of these rules (1.6 §3.15: any ISO 8601 fraction).
 */
export function checkDatatypes(registry: SchemaRegistry, subject: DatatypeSubject): Finding[] {
  if (registry.version === '1.6') return [];
  const root = registry.schemaOf(subject.action, subject.kind);
  if (!root) return [];
  const findings: Finding[] = [];
  // The literals are read from the text only once a number needs them (most payloads have few).
  let literals: Map<string, string> | undefined | null = null;
  const literalAt = (pointer: string) => {
    if (literals === null) literals = subject.raw === undefined ? undefined : literalsOfPayload(subject.raw, subject.kind);
    return literals?.get(pointer);
  };
  const owner = `${subject.action}${subject.kind === 'request' ? 'Request' : 'Response'}`;
  walk(root, root, subject.payload, '', owner, '', (schema, value, pointer, field) => {
    const problem = judgeLeaf(schema, value, field, subject.direction, typeof value === 'number' ? literalAt(pointer) : undefined);
    if (problem) findings.push(createFinding(registry.version, problem.code, `${subject.action} ${subject.kind} ${pointer}: ${problem.text}`, subject.messageId));
  });
  return findings;
}

interface LeafProblem {
  code: 'datetime-precision' | 'decimal-precision' | 'identifier-charset' | 'integer-form';
  text: string;
}

/** The datatype rule one value breaks, if any. */
function judgeLeaf(schema: Schema, value: unknown, field: string, direction: Direction, literal: string | undefined): LeafProblem | undefined {
  if (typeof value === 'string') {
    if (schema['format'] === 'date-time') {
      const decimals = SECONDS_FRACTION.exec(value)?.[1]?.length ?? 0;
      if (decimals > MAX_DATETIME_DECIMALS) {
        return { code: 'datetime-precision', text: `dateTime ${JSON.stringify(value)} has ${decimals} decimal places of seconds, at most ${MAX_DATETIME_DECIMALS} are allowed` };
      }
    }
    if (IDENTIFIER_FIELDS.has(field) && !IDENTIFIER_CHARACTERS.test(value)) {
      return { code: 'identifier-charset', text: `identifierString ${JSON.stringify(value)} has characters outside a-z A-Z 0-9 * - _ = : + | @ .` };
    }
    return undefined;
  }
  if (typeof value !== 'number') return undefined;
  const written = literal ?? String(value);
  if (schema['type'] === 'integer' && !INTEGER_LITERAL.test(written)) {
    return { code: 'integer-form', text: `integer written as ${written}: digits only, without fraction, exponent, leading zero or plus sign` };
  }
  if (schema['type'] === 'number' && direction === 'csms-to-cp') {
    const places = decimalPlaces(written);
    if (places > MAX_DECIMALS_TO_STATION) {
      return { code: 'decimal-precision', text: `decimal ${written} has ${places} decimal places, at most ${MAX_DECIMALS_TO_STATION} are allowed towards the Charging Station` };
    }
  }
  return undefined;
}

type Visit = (schema: Schema, value: unknown, pointer: string, field: string) => void;

// Walks a value along its schema; `owner` is the type whose property is being visited.
function walk(root: Schema, schema: Schema, value: unknown, pointer: string, owner: string, property: string, visit: Visit): void {
  const reference = schema['$ref'];
  if (typeof reference === 'string') {
    const name = reference.replace(/^#\/definitions\//, '');
    const target = (root['definitions'] as Record<string, Schema> | undefined)?.[name];
    if (target) walk(root, target, value, pointer, name, property, visit);
    return;
  }
  if (Array.isArray(value)) {
    const items = schema['items'] as Schema | undefined;
    if (items) value.forEach((item, index) => walk(root, items, item, `${pointer}/${index}`, owner, property, visit));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const properties = schema['properties'] as Record<string, Schema> | undefined;
    if (!properties) return;
    for (const key in value) {
      const childSchema = properties[key];
      if (childSchema) walk(root, childSchema, (value as Record<string, unknown>)[key], `${pointer}/${key}`, owner, key, visit);
    }
    return;
  }
  visit(schema, value, pointer, `${owner}.${property}`);
}

function literalsOfPayload(raw: string, kind: PayloadKind): Map<string, string> | undefined {
  let all: Map<string, string>;
  try {
    all = numberLiteralsOf(raw);
  } catch {
    return undefined;
  }
  const prefix = kind === 'request' ? '/3' : '/2';
  const payloadLiterals = new Map<string, string>();
  for (const [pointer, literal] of all) if (pointer.startsWith(`${prefix}/`)) payloadLiterals.set(pointer.slice(prefix.length), literal);
  return payloadLiterals;
}

/** Decimal places of a JSON number literal, exponent included (`1.5e-7` has 8). */
export function decimalPlaces(literal: string): number {
  const match = /^-?\d+(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return 0;
  return Math.max(0, (match[1]?.length ?? 0) - Number(match[2] ?? 0));
}
