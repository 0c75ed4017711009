// The JSON Schema of test-case and reusable-state files. Editors use it through
// yaml-language-server (docs/schemas/testcase.schema.json is generated from it); `ocpp-harness
// check` validates every file against it before the semantic checks.

import { TRACE_EVENT_KINDS } from '../domain/index.js';

const text = (description: string) => ({ type: 'string', description });
const stringList = (description: string) => ({ type: 'array', items: { type: 'string' }, description });
const pattern = { description: 'Payload pattern: deep partial match; objects whose keys all start with $ are operators ($eq, $ne, $in, $regex, $gt, $gte, $lt, $lte, $exists, $contains, $all, $length, $anyOf, $not, $timeNear, $type, $hashDataOf).' };
const payloadTemplate = { type: 'object', description: 'Payload; strings may hold Handlebars templates. A string that is exactly one {{expression}} gives the raw value (a number stays a number).' };
const captures = {
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
          where: { ...pattern, description: 'Pattern the element must match (templates allowed).' },
          path: text('Dotted path inside the element to keep; without it the whole element is kept.'),
        },
      },
    ],
  },
};

const messageExpectation = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: text('OCPP action the SUT sends, without the Request suffix (e.g. BootNotification).'),
    match: pattern,
    capture: captures,
    reply: { ...payloadTemplate, description: 'Response payload to answer with (templates allowed). Without it, the configured background reply is used.' },
    replyError: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: text('RPC error code, e.g. InternalError.'), description: text('Error description.') } },
    noReply: { type: 'boolean', description: 'Leave the CALL unanswered.' },
  },
};

const selector = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: text('OCPP action.'),
    match: pattern,
    from: { enum: ['sut', 'harness'], description: 'Whose messages: the SUT\'s (default) or the harness\'s.' },
  },
};

// What an assertion counts: CALLs of an action, or EVENT records of a kind.
const assertSelector = {
  type: 'object',
  additionalProperties: false,
  oneOf: [{ required: ['action'] }, { required: ['event'] }],
  properties: {
    ...selector.properties,
    event: { enum: [...TRACE_EVENT_KINDS], description: 'Instead of action: EVENT records of this kind (http-request: the SUT\'s requests to the run\'s file server, with method, url, path, bytes, status); match applies to the event\'s fields.' },
  },
};

const common = {
  id: text('Step name, for "since" in assertions and for reports.'),
  title: text('What the step does, for reports.'),
  checks: stringList('Requirement ids this step proves (each listed under requirements).'),
  forbid: { type: 'array', items: selector, description: 'Messages that fail the case if the SUT sends them while this step runs.' },
  forEach: { enum: ['connector', 'evse'], description: 'Repeat per configured connector or EVSE; templates see item.evseId and item.connectorId.' },
  timeoutMs: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string' }], description: 'Overrides the configured message timeout for this step (milliseconds, or a template).' },
};

const stepKinds = ['expect', 'send', 'action', 'wait', 'connection', 'assert', 'anyOf', 'use'];

const step = {
  type: 'object',
  description: `One step; exactly one of: ${stepKinds.join(', ')}.`,
  additionalProperties: false,
  oneOf: stepKinds.map((kind) => ({ required: [kind] })),
  properties: {
    ...common,
    expect: {
      description: 'Wait for a CALL from the SUT: an action name, or { anyOf: [ {action, match, capture, reply}, ... ] }.',
      oneOf: [
        { type: 'string' },
        { type: 'object', additionalProperties: false, required: ['anyOf'], properties: { anyOf: { type: 'array', minItems: 1, items: messageExpectation } } },
      ],
    },
    match: pattern,
    capture: captures,
    reply: messageExpectation.properties.reply,
    replyError: messageExpectation.properties.replyError,
    noReply: messageExpectation.properties.noReply,
    allow: { type: 'array', items: messageExpectation, description: 'Messages the SUT may send before the expected one (answered and recorded).' },
    send: text('Send this CALL to the SUT (action name) and check the answer.'),
    payload: payloadTemplate,
    error: { description: 'The answer must be a CALLERROR with this code (or one of these codes).', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    action: text('Device action performed by an adapter (plugIn, presentIdToken, reboot, csmsSend, ...).'),
    params: { type: 'object', description: 'Parameters of the device action (templates allowed).' },
    prompt: text('Operator text for the prompt adapter (templates allowed).'),
    wait: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        durationMs: { description: 'Wait this long (a number or a template).', oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] },
        until: { enum: ['disconnected', 'connected'], description: 'Wait until the connection is down or up.' },
      },
    },
    connection: { enum: ['drop', 'restore', 'open', 'refuse'], description: 'drop: close the connection; restore: get it back (await the station, or reconnect as station); open: connect as station with options; refuse: turn away the station\'s next connection attempts (harness as CSMS).' },
    attempts: { type: 'integer', minimum: 1, description: 'For connection: refuse, how many attempts to turn away (default 1).' },
    path: text('For connection: refuse, only attempts at this URL path (prefix); for restore, the station must connect at this path (prefix). Templates allowed.'),
    minDelayS: { description: 'For connection: restore or refuse, each attempt must come at least this many seconds after the connection was lost or the previous attempt refused (OCPP-J §5.3 back-off). A number or a template.', oneOf: [{ type: 'number', minimum: 0 }, { type: 'string' }] },
    subprotocols: stringList('For connection: open, the subprotocols to offer.'),
    password: text('For connection: open, the Basic-auth password to use.'),
    refused: { type: 'boolean', description: 'For connection: open, the CSMS must refuse the connection: no OCPP connection may result.' },
    assert: {
      type: 'object', additionalProperties: false,
      oneOf: [{ required: ['none'] }, { required: ['some'] }, { required: ['count'] }, { required: ['increasing'] }],
      properties: {
        none: { ...assertSelector, description: 'No such message (or event) so far (or since the named step).' },
        some: { ...assertSelector, description: 'At least one such message (or event) so far (or since the named step).' },
        count: {
          ...assertSelector,
          properties: {
            ...assertSelector.properties, min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 },
            in: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, description: 'The number must be one of these (e.g. [1, 4]).' },
          },
        },
        increasing: { ...assertSelector, required: ['path'], properties: { ...assertSelector.properties, path: text('Dotted path of the value that must increase, e.g. seqNo.') } },
        since: text('Step id from which to look.'),
      },
    },
    anyOf: { type: 'array', minItems: 2, items: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } }, description: 'Alternative continuations; each starts with an expect, or a use of a reusable state whose first step is an expect.' },
    use: text('Reusable state to include (Booted, Authorized, EnergyTransferStarted, ...).'),
    with: { type: 'object', description: 'Parameters of the reusable state.' },
  },
};

const stateRef = {
  oneOf: [
    { type: 'string' },
    { type: 'object', additionalProperties: false, required: ['use'], properties: { use: { type: 'string' }, with: { type: 'object' } } },
  ],
};

/** JSON Schema of a test-case file. */
export const TESTCASE_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ocpp-harness.dev/schemas/testcase.schema.json',
  title: 'ocpp-harness test case or reusable state',
  type: 'object',
  definitions: { step },
  oneOf: [{ required: ['id'] }, { required: ['state'] }],
  additionalProperties: false,
  properties: {
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
    requirements: { type: 'object', additionalProperties: { type: 'string' }, description: 'Requirement id → paraphrase of what the SUT must do.' },
    features: stringList('Features (PICS ids) the SUT must declare for the case to apply.'),
    minEvses: { type: 'integer', minimum: 1, description: 'EVSEs the station needs at least (default 1); with fewer in the configuration the case is not applicable. The built-in reference is given as many.' },
    minSecurityProfile: { enum: [0, 1, 2, 3], description: 'The OCPP security profile the station must be connected with at least (default 0; 2: TLS with Basic auth); with a lower configured security.profile the case is not applicable. The built-in reference is given it.' },
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
    steps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
    post: { type: 'array', items: { $ref: '#/definitions/step' } },
    mustFailWith: stringList('Faults of the reference implementation that must make the case fail.'),
  },
} as const;
