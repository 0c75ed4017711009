import type { Payload } from './frame.js';
import { schemasOf } from './schemas.js';
import type { OcppVersion } from './versions.js';

/** What a default reply may depend on; passed in, so the protocol layer keeps no clock of its own. */
export interface DefaultReplyContext {
  now: Date;
  /** The heartbeat interval a BootNotification is accepted with. */
  heartbeatIntervalS: number;
  /** The request being answered: some answers name what it asked about (GetVariables). */
  request?: Payload;
  /** OCPP 1.6 StartTransaction: the transaction id to hand out. */
  transactionId?: number;
}

/** A curated reply; undefined when the request lacks what it would name (the schema-derived reply then answers). */
type Curated = (context: DefaultReplyContext) => Payload | undefined;

// Answers to what a station sends: the CSMS of a conformant lab registers, authorizes and takes
// note. DataTransfer has no vendor agreement to accept (1.6 §4.3, P01): UnknownVendorId.
const CURATED_2X: Record<string, Curated> = {
  BootNotification: ({ now, heartbeatIntervalS }) => ({ status: 'Accepted', interval: heartbeatIntervalS, currentTime: now.toISOString() }),
  Heartbeat: ({ now }) => ({ currentTime: now.toISOString() }),
  Authorize: () => ({ idTokenInfo: { status: 'Accepted' } }),
  // A request with an idToken is owed its idTokenInfo (E01.FR.12, E03.FR.02).
  TransactionEvent: ({ request }) => (request?.['idToken'] === undefined ? {} : { idTokenInfo: { status: 'Accepted' } }),
  DataTransfer: () => ({ status: 'UnknownVendorId' }),
  // Answers to what a CSMS asks: a station that knows none of the asked variables says so per entry (B06.FR.01).
  GetVariables: ({ request }) => unknownComponents(request, 'getVariableData', 'getVariableResult'),
  SetVariables: ({ request }) => unknownComponents(request, 'setVariableData', 'setVariableResult'),
};

const CURATED: Record<OcppVersion, Record<string, Curated>> = {
  '1.6': {
    BootNotification: ({ now, heartbeatIntervalS }) => ({ status: 'Accepted', interval: heartbeatIntervalS, currentTime: now.toISOString() }),
    Heartbeat: ({ now }) => ({ currentTime: now.toISOString() }),
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    StartTransaction: ({ transactionId }) => ({ transactionId: transactionId ?? 1, idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    GetConfiguration: ({ request }) => ({ configurationKey: [], unknownKey: stringsOf(request, 'key') }),
  },
  '2.0.1': CURATED_2X,
  '2.1': CURATED_2X,
};

// Where an answer must carry a status and the harness has no reason to agree, it declines: the
// SUT then takes its "not done" path instead of waiting for work that never happens.
const NEUTRAL_STATUSES = ['NotSupported', 'NotImplemented', 'Rejected', 'UnknownVendorId', 'Unknown', 'UnknownConnector', 'NotFound', 'Failed', 'Unavailable', 'UnlockFailed', 'NoProfiles', 'NoFirmware'];

/**
 * The reply the harness gives to a CALL when neither the test case nor the configuration says
 * otherwise: curated for the common actions, else the smallest payload its response schema
 * accepts. Valid against the response schema of every action of every version (a unit test
 * proves it); an action the version does not define has no reply (undefined).
 */
export function defaultReply(version: OcppVersion, action: string, context: DefaultReplyContext): Payload | undefined {
  const registry = schemasOf(version);
  const schema = registry.schemaOf(action, 'response');
  if (!schema) return undefined;
  // A curated reply that names parts of a malformed request could break the schema: never sent.
  const curated = CURATED[version][action]?.(context);
  if (curated && !registry.validate(action, 'response', curated)) return curated;
  return smallestValue(schema, schema, context) as Payload;
}

type Schema = Readonly<Record<string, unknown>>;

// Builds the smallest value a schema accepts: required properties only, the fewest array items,
// the most neutral enum value. The OCA response schemas use only $ref into `definitions`,
// type, enum, required, properties, items/minItems, minimum, maxLength and format date-time.
function smallestValue(schema: Schema, root: Schema, context: DefaultReplyContext): unknown {
  const ref = schema['$ref'];
  if (typeof ref === 'string') return smallestValue(resolveRef(ref, root), root, context);
  const choices = schema['enum'];
  if (Array.isArray(choices)) return NEUTRAL_STATUSES.find((status) => choices.includes(status)) ?? choices[0];
  switch (schema['type']) {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      const required = (schema['required'] ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, smallestValue(properties[name] ?? {}, root, context)]));
    }
    case 'array': {
      const count = Number(schema['minItems'] ?? 0);
      return Array.from({ length: count }, () => smallestValue((schema['items'] ?? {}) as Schema, root, context));
    }
    case 'string':
      return schema['format'] === 'date-time' ? context.now.toISOString() : '';
    case 'integer':
    case 'number':
      return Number(schema['minimum'] ?? 0);
    case 'boolean':
      return false;
    default:
      return {};
  }
}

function resolveRef(ref: string, root: Schema): Schema {
  // "#/definitions/StatusInfoType" → root.definitions.StatusInfoType
  const found = ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
  if (!found || typeof found !== 'object') throw new Error(`schema reference ${ref} leads nowhere`);
  return found as Schema;
}

/** One result per asked component and variable, each UnknownComponent; undefined when nothing was asked. */
function unknownComponents(request: Payload | undefined, asked: string, answered: string): Payload | undefined {
  const entries = entriesOf(request, asked);
  if (entries.length === 0) return undefined;
  return { [answered]: entries.map((entry) => ({ attributeStatus: 'UnknownComponent', component: entry['component'], variable: entry['variable'] })) };
}

/** The objects of an array field of a request (empty when absent). */
function entriesOf(request: Payload | undefined, field: string): Array<Record<string, unknown>> {
  const value = request?.[field];
  return Array.isArray(value) ? value.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null) : [];
}

/** The strings of an array field of a request (empty when absent). */
function stringsOf(request: Payload | undefined, field: string): string[] {
  const value = request?.[field];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
