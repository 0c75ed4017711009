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
  const plan = planOf(root, `${subject.action}${subject.kind === 'request' ? 'Request' : 'Response'}`);
  if (!plan) return [];
  const findings: Finding[] = [];
  // The literals are read from the text only once a number needs them (most payloads have few).
  let literals: Map<string, string> | undefined | null = null;
  const literalAt = (pointer: string) => {
    if (literals === null) literals = subject.raw === undefined ? undefined : literalsOfPayload(subject.raw, subject.kind);
    return literals?.get(pointer);
  };
  // The path is kept as its segments; the JSON pointer is written only when a rule needs it.
  const path: Array<string | number> = [];
  const pointerOf = () => (path.length === 0 ? '' : `/${path.join('/')}`);
  const visit = (rule: LeafRule, value: unknown) => {
    const problem = judgeLeaf(rule, value, subject.direction, typeof value === 'number' && subject.raw !== undefined ? () => literalAt(pointerOf()) : undefined);
    if (problem) findings.push(createFinding(registry.version, problem.code, `${subject.action} ${subject.kind} ${pointerOf()}: ${problem.text}`, subject.messageId));
  };
  walk(plan, subject.payload, path, visit);
  return findings;
}

interface LeafProblem {
  code: 'datetime-precision' | 'decimal-precision' | 'identifier-charset' | 'integer-form';
  text: string;
}

/** What the rules ask of a value that is neither object nor array, at one place of a schema. */
interface LeafRule {
  dateTime: boolean;
  identifier: boolean;
  integer: boolean;
  number: boolean;
}

/** The datatype rule one value breaks, if any. */
function judgeLeaf(rule: LeafRule, value: unknown, direction: Direction, literal: (() => string | undefined) | undefined): LeafProblem | undefined {
  if (typeof value === 'string') {
    if (rule.dateTime) {
      const decimals = SECONDS_FRACTION.exec(value)?.[1]?.length ?? 0;
      if (decimals > MAX_DATETIME_DECIMALS) {
        return { code: 'datetime-precision', text: `dateTime ${JSON.stringify(value)} has ${decimals} decimal places of seconds, at most ${MAX_DATETIME_DECIMALS} are allowed` };
      }
    }
    if (rule.identifier && !IDENTIFIER_CHARACTERS.test(value)) {
      return { code: 'identifier-charset', text: `identifierString ${JSON.stringify(value)} has characters outside a-z A-Z 0-9 * - _ = : + | @ .` };
    }
    return undefined;
  }
  if (typeof value !== 'number' || !(rule.integer || (rule.number && direction === 'csms-to-cp'))) return undefined;
  const written = literal?.() ?? String(value);
  if (rule.integer && !INTEGER_LITERAL.test(written)) {
    return { code: 'integer-form', text: `integer written as ${written}: digits only, without fraction, exponent, leading zero or plus sign` };
  }
  if (rule.number && direction === 'csms-to-cp') {
    const places = decimalPlaces(written);
    if (places > MAX_DECIMALS_TO_STATION) {
      return { code: 'decimal-precision', text: `decimal ${written} has ${places} decimal places, at most ${MAX_DECIMALS_TO_STATION} are allowed towards the Charging Station` };
    }
  }
  return undefined;
}

/**
 * What to check of a value at one place of a schema, with the $refs resolved and the places where
 * no rule can apply left out: each payload is walked only where a rule may fire, and its schema
 * is read once per action, not once per value.
 */
interface PlanNode {
  /** The rule for a value that is neither object nor array; absent when none applies. */
  leaf?: LeafRule;
  /** The plan of each item of an array. */
  items?: PlanNode;
  /** The plans of an object's properties, those where a rule may apply. */
  properties?: Map<string, PlanNode>;
}

// One plan per published schema (the registry keeps each schema object for the process's life).
const plans = new WeakMap<Schema, PlanNode | undefined>();

function planOf(root: Schema, owner: string): PlanNode | undefined {
  if (!plans.has(root)) plans.set(root, new PlanBuilder(root).build(root, owner, ''));
  return plans.get(root);
}

/** Builds the plan of a schema; `owner` is the type whose property is described, as the rules name fields. */
class PlanBuilder {
  // By schema and field: a definition that refers to itself gets the plan being built.
  private readonly built = new Map<Schema, Map<string, PlanNode>>();

  constructor(private readonly root: Schema) {}

  build(schema: Schema, owner: string, property: string): PlanNode | undefined {
    const reference = schema['$ref'];
    if (typeof reference === 'string') {
      const name = reference.replace(/^#\/definitions\//, '');
      const target = (this.root['definitions'] as Record<string, Schema> | undefined)?.[name];
      return target ? this.build(target, name, property) : undefined;
    }
    const field = `${owner}.${property}`;
    const known = this.built.get(schema)?.get(field);
    if (known) return known;
    const node: PlanNode = {};
    if (!this.built.has(schema)) this.built.set(schema, new Map());
    this.built.get(schema)!.set(field, node);
    const leaf: LeafRule = { dateTime: schema['format'] === 'date-time', identifier: IDENTIFIER_FIELDS.has(field), integer: schema['type'] === 'integer', number: schema['type'] === 'number' };
    if (leaf.dateTime || leaf.identifier || leaf.integer || leaf.number) node.leaf = leaf;
    const items = schema['items'] as Schema | undefined;
    const itemPlan = items ? this.build(items, owner, property) : undefined;
    if (itemPlan) node.items = itemPlan;
    const properties = schema['properties'] as Record<string, Schema> | undefined;
    for (const key of Object.keys(properties ?? {})) {
      const childPlan = this.build(properties![key]!, owner, key);
      if (childPlan) (node.properties ??= new Map()).set(key, childPlan);
    }
    return node.leaf || node.items || node.properties ? node : undefined;
  }
}

// Walks a value along its plan: objects by their own keys, in order, arrays by index.
function walk(plan: PlanNode, value: unknown, path: Array<string | number>, visit: (rule: LeafRule, value: unknown) => void): void {
  if (Array.isArray(value)) {
    if (!plan.items) return;
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      walk(plan.items, value[index], path, visit);
      path.pop();
    }
    return;
  }
  if (typeof value === 'object' && value !== null) {
    if (!plan.properties) return;
    for (const key in value) {
      const child = plan.properties.get(key);
      if (!child) continue;
      path.push(key);
      walk(child, (value as Record<string, unknown>)[key], path, visit);
      path.pop();
    }
    return;
  }
  if (plan.leaf) visit(plan.leaf, value);
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
