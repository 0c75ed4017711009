// The JSON Schema of test-case and reusable-state files, assembled from a set of step kinds (the
// runner's registry binds it). Editors use it through yaml-language-server
// (docs/schemas/testcase.schema.json is generated from it); `ocpp-harness check` validates every
// file against it before the semantic checks.

import { acceptsCommon, COMMON_STEP_FIELDS, type JsonSchema, type StepFormat, type StepFormats } from './step-format.js';

/** A string field with its description. */
export const text = (description: string) => ({ type: 'string', description });
/** A list of strings with its description. */
export const stringList = (description: string) => ({ type: 'array', items: { type: 'string' }, description });
/** A number of milliseconds or seconds, or a template that gives one. */
export const numberOrTemplate = (description: string, minimum = 0) => ({ description, oneOf: [{ type: 'number', minimum }, { type: 'string' }] });

/** A payload pattern (see match.ts). */
export const patternSchema = { description: 'Payload pattern: deep partial match; objects whose keys all start with $ are operators ($eq, $ne, $in, $regex, $gt, $gte, $lt, $lte (numbers, or date-times), $exists, $contains, $all, $length, $anyOf, $not, $timeNear, $type, $hashDataOf, $csr (a valid CSR, with CN and O when given), $answersCsr (a certificate for this CSR); $default: X takes X or an absent key, for an optional field whose default is X).' };
/** A payload with templates in its strings. */
export const payloadTemplateSchema = { type: 'object', description: 'Payload; strings may hold Handlebars templates. A string that is exactly one {{expression}} gives the raw value (a number stays a number).' };
/** Captures: name → what to keep (see capture.ts). */
export const capturesSchema = {
  type: 'object',
  description: 'name → what to keep; later steps read it as {{captured.name}}.',
  additionalProperties: {
    oneOf: [
      { type: 'string', description: 'Dotted path in the payload (e.g. transactionInfo.transactionId).' },
      {
        type: 'object', additionalProperties: false, required: ['in', 'where'],
        description: 'The first element of an array that matches a pattern, in any order (e.g. the certificateHashDataChain entry of one certificate).',
        properties: {
          in: text('Dotted path of the array in the payload.'),
          where: { ...patternSchema, description: 'Pattern the element must match (templates allowed).' },
          path: text('Dotted path inside the element to keep; without it the whole element is kept.'),
        },
      },
    ],
  },
};

/** One acceptable CALL from the SUT and how to answer it. */
export const messageExpectationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: text('OCPP action the SUT sends, without the Request suffix (e.g. BootNotification).'),
    match: patternSchema,
    capture: capturesSchema,
    reply: { ...payloadTemplateSchema, description: 'Response payload to answer with (templates allowed). Without it, the configured background reply is used.' },
    replyError: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: text('RPC error code, e.g. InternalError.'), description: text('Error description.') } },
    noReply: { type: 'boolean', description: 'Leave the CALL unanswered.' },
  },
};

/** The CALLs of an action, from the SUT (default) or the harness. */
export const selectorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: text('OCPP action.'),
    match: patternSchema,
    from: { enum: ['sut', 'harness'], description: 'Whose messages: the SUT\'s (default) or the harness\'s.' },
  },
};

const commonFields: Record<(typeof COMMON_STEP_FIELDS)[number], JsonSchema> = {
  id: text('Step name, for "since" in assertions and for reports.'),
  title: text('What the step does, for reports.'),
  checks: stringList('Requirement ids this step proves (each listed under requirements).'),
  forbid: { type: 'array', items: selectorSchema, description: 'Messages that fail the case if the SUT sends them while this step runs.' },
  forEach: {
    description: 'Repeat per configured connector or EVSE (templates see item.evseId, item.connectorId), or per element of a list (templates see item, item.<field>).',
    oneOf: [{ enum: ['connector', 'evse'] }, { type: 'array', minItems: 1 }],
  },
  timeoutMs: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string' }], description: 'Overrides the configured timeout of the step\'s kind (milliseconds, or a template); --timeout-scale multiplies it.' },
  when: text('A template: the step runs only when it renders true, e.g. \'{{eq config.security.profile 1}}\' (a Part 6 step or memory state for one configuration only); otherwise it is skipped.'),
};

/** The closed schema of one step kind: the common fields it takes and its own, nothing else. */
function stepKindSchema(format: StepFormat): JsonSchema {
  const common = Object.fromEntries(COMMON_STEP_FIELDS.filter((field) => acceptsCommon(format, field)).map((field) => [field, commonFields[field]]));
  return {
    type: 'object',
    title: `${format.name} step`,
    description: format.summary,
    additionalProperties: false,
    required: [format.name],
    properties: { ...common, ...format.fields },
  };
}

/** A step: exactly one kind, told apart by its key, each kind's schema closed. */
export function stepSchema(formats: StepFormats): JsonSchema {
  return {
    description: `One step; exactly one of: ${formats.names.join(', ')}.`,
    oneOf: formats.list.map(stepKindSchema),
  };
}

const stateRef = {
  oneOf: [
    { type: 'string' },
    { type: 'object', additionalProperties: false, required: ['use'], properties: { use: { type: 'string' }, with: { type: 'object' }, when: { type: 'string', description: 'A template: the state is reached only when it renders true, e.g. a Part 6 memory state for one configured security profile.' } } },
  ],
};

/** The fields of a case's or state's header: everything but its steps. */
export const HEADER_PROPERTIES = {
  id: text('OCA test case id, e.g. TC_B_01_CS; equals the file name.'),
  state: text('Reusable state name (files under testcases/<version>/states/).'),
  title: text('Test case name.'),
  description: text('What a reusable state prepares.'),
  ocpp: { enum: ['1.6', '2.0.1', '2.1'], description: 'OCPP version.' },
  sut: { enum: ['cs', 'csms'], description: 'cs: a charging station is tested (the harness plays the CSMS); csms: a CSMS is tested.' },
  module: text('Certification module folder (core, advanced-security, ...).'),
  purpose: text('One line: what the case verifies.'),
  prerequisites: text('Prerequisites, as the certification document states them.'),
  profiles: {
    type: 'array',
    items: {
      type: 'object', additionalProperties: false, required: ['name', 'conformance'],
      properties: { name: { type: 'string' }, conformance: { enum: ['mandatory', 'conditional'] }, condition: { type: 'string' } },
    },
  },
  useCases: stringList('Use-case ids, e.g. B01.'),
  requirements: {
    description: 'The requirements the case proves: a list of ids whose paraphrases are in ocpp<version>/_requirements.yaml, or id → paraphrase.',
    oneOf: [
      { type: 'array', items: { type: 'string' }, uniqueItems: true },
      { type: 'object', additionalProperties: { type: 'string' } },
    ],
  },
  features: stringList('Feature ids the SUT must declare for the case to apply: PICS ids, OCPP 1.6 profiles (Reservation), key:<ConfigKey>, writable:<ConfigKey> (a 1.6 station declares those itself); see docs/testcase-format.md, Features.'),
  minEvses: { type: 'integer', minimum: 1, description: 'EVSEs the station needs at least (default 1); with fewer in the configuration the case is not applicable. The built-in reference is given as many.' },
  minSecurityProfile: { enum: [0, 1, 2, 3], description: 'The OCPP security profile the station must be connected with at least (default 0; 2: TLS with Basic auth); with a lower configured security.profile the case is not applicable. The built-in reference is given it.' },
  maxSecurityProfile: { enum: [0, 1, 2, 3], description: 'The OCPP security profile the station may be connected with at most (default 3); with a higher configured security.profile the case is not applicable. A Basic-auth case ends at 2: profile 3 authenticates with a client certificate only (A00.FR.401); a case that offers a higher profile (A05) needs one above the configured one.' },
  params: { type: 'object', description: 'Reusable state parameters and their defaults.' },
  before: {
    type: 'object', additionalProperties: false,
    properties: {
      configuration: {
        type: 'array',
        items: {
          type: 'object', additionalProperties: false, required: ['variable', 'value'],
          properties: {
            component: { type: 'string' }, componentInstance: { type: 'string' },
            evse: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'integer' }, connectorId: { type: 'integer' } } },
            variable: { type: 'string' }, instance: { type: 'string' }, value: {}, optional: { type: 'boolean' },
          },
        },
      },
      states: { type: 'array', items: stateRef },
    },
  },
  mustFailWith: stringList('Faults of the reference implementation that must make the case fail.'),
  expectedFindings: stringList('Finding codes (docs/findings.md) the case provokes on purpose: a violation of these codes on a frame of the SUT does not fail the case; it stays in the results\' findings.'),
  mustPassWith: stringList('Conforming variations of the reference implementation, written as faults (e.g. omit: of an optional field whose absence means its default), under which the case must still pass.'),
} as const;

/** JSON Schema of a test-case or reusable-state file, with the steps of a set of kinds. */
export function testcaseJsonSchema(formats: StepFormats): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ocpp-harness.dev/schemas/testcase.schema.json',
    title: 'ocpp-harness test case or reusable state',
    type: 'object',
    definitions: { step: stepSchema(formats) },
    oneOf: [{ required: ['id'] }, { required: ['state'] }],
    additionalProperties: false,
    properties: {
      ...HEADER_PROPERTIES,
      steps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
      post: { type: 'array', items: { $ref: '#/definitions/step' }, description: `Assertions after the steps (${formats.list.filter((format) => format.passive).map((format) => format.name).join(', ')} steps).` },
    },
  };
}
