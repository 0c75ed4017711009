// The schema of the config FILE: every field optional (defaults fill the gaps) and
// additionalProperties false everywhere, so a misspelt key is an error rather than silently ignored.
// Descriptions double as editor hints, so each one says what the field does and its unit.

const idToken = (role: string) => ({
  type: 'object',
  description: `${role}. OCPP 2.x IdTokenType; OCPP 1.6 sends idToken as the idTag.`,
  additionalProperties: false,
  properties: {
    idToken: { type: 'string', minLength: 1, maxLength: 255, description: 'The token value; at most 20 characters for OCPP 1.6, 36 for 2.0.1, 255 for 2.1.' },
    type: {
      type: 'string', minLength: 1, maxLength: 20,
      description: 'IdTokenEnumType: Central, eMAID, ISO14443, ISO15693, KeyCode, Local, MacAddress or NoAuthorization (OCPP 2.1 allows others). Unused by 1.6.',
    },
  },
});

const stringMap = (description: string, valueDescription: string) => ({
  type: 'object', description, additionalProperties: { type: 'string', description: valueDescription },
});

const httpResponseTest = {
  type: 'object',
  description: 'A test on the API\'s answer; every part given must hold.',
  additionalProperties: false,
  properties: {
    status: { type: 'array', minItems: 1, uniqueItems: true, description: 'Accepted HTTP status codes.', items: { type: 'integer', minimum: 100, maximum: 599, description: 'An HTTP status code.' } },
    body: {
      type: 'object', description: 'The JSON response body holds `equals` at `path` (not tested on a 204 No Content, which has no body).', additionalProperties: false, required: ['path', 'equals'],
      properties: {
        path: { type: 'string', description: 'Dotted path into the JSON body, e.g. success or result.status; an empty path is the whole body.' },
        equals: { description: 'The value expected there (compared as JSON).' },
      },
    },
  },
};

/** `success` and `unsupported`, on an http adapter and (overriding it) on one request. */
const outcomeTests = {
  success: { $ref: '#/definitions/httpResponseTest', description: 'When the action is done. Default: any 2xx status. Otherwise the action failed and the case is an error.' },
  unsupported: { $ref: '#/definitions/httpResponseTest', description: 'When the API cannot perform the action: the case becomes inconclusive. HTTP 501 always counts.' },
};

const httpRequest = {
  type: 'object',
  description: 'An HTTP request; strings may contain Handlebars templates such as {{params.evseId}}. Its success and unsupported replace the adapter\'s.',
  additionalProperties: false,
  required: ['path'],
  properties: {
    method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], description: 'HTTP method.' },
    path: { type: 'string', minLength: 1, description: 'Path resolved against baseUrl, e.g. /evse/{{params.evseId}}/plug-in.' },
    body: { description: 'Request body, sent as JSON; any value. A string that is one expression ({{params.payload}}) sends that value as JSON; {{optional params.x}} leaves a field out when x is absent.' },
    headers: stringMap('Headers of this request, added to the adapter\'s headers.', 'Header value.'),
    ...outcomeTests,
  },
};

const kind = (name: string) => ({ const: name, description: 'Adapter kind: prompt, command, http or builtin.' });

/** JSON Schema (draft-07) of the harness configuration file. */
export const CONFIG_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'ocpp-harness run configuration',
  description: 'What a test lab declares about the system under test (SUT) and how to drive it. Every field is optional.',
  type: 'object',
  additionalProperties: false,
  definitions: {
    adapter: {
      type: 'object',
      description: 'How the harness makes the SUT do something manual (plug in a cable, present a card, ...).',
      required: ['kind'],
      discriminator: { propertyName: 'kind' },
      oneOf: [
        { type: 'object', description: 'Ask the operator at the terminal.', additionalProperties: false, required: ['kind'], properties: { kind: kind('prompt') } },
        {
          type: 'object', description: 'Run a shell command per action.', additionalProperties: false, required: ['kind', 'commands'],
          properties: {
            kind: kind('command'),
            commands: stringMap('Shell command per action name; Handlebars templates allowed. The command also gets OCPP_HARNESS_ACTION and OCPP_HARNESS_PARAMS (JSON) in its environment.', 'The shell command.'),
            defaultCommand: { type: 'string', minLength: 1, description: 'Command for actions not listed in commands.' },
            cwd: { type: 'string', minLength: 1, description: 'Working directory of the commands.' },
            unsupported: {
              type: 'object', description: 'Exit codes that mean "this action cannot be done here": the case becomes inconclusive, not an error.', additionalProperties: false, required: ['exitCodes'],
              properties: { exitCodes: { type: 'array', minItems: 1, uniqueItems: true, description: 'The exit codes.', items: { type: 'integer', minimum: 1, maximum: 255, description: 'An exit code.' } } },
            },
          },
        },
        {
          type: 'object', description: 'Send an HTTP request per action (a simulator or lab controller API).', additionalProperties: false,
          required: ['kind', 'baseUrl', 'requests'],
          properties: {
            kind: kind('http'),
            baseUrl: { type: 'string', description: 'http:// or https:// URL the request paths are resolved against.' },
            requests: { type: 'object', description: 'Request per action name.', additionalProperties: { $ref: '#/definitions/httpRequest', description: 'The request for this action.' } },
            defaultRequest: { $ref: '#/definitions/httpRequest', description: 'Request for actions not listed in requests.' },
            headers: stringMap('Headers sent with every request.', 'Header value.'),
            ...outcomeTests,
          },
        },
        { type: 'object', description: 'Drive the harness\'s own simulated station.', additionalProperties: false, required: ['kind'], properties: { kind: kind('builtin') } },
      ],
    },
    httpRequest,
    deviceAction: {
      type: 'object', description: 'A device action, performed by the adapter configured for it.', additionalProperties: false, required: ['action'],
      properties: {
        action: { type: 'string', minLength: 1, description: 'Action name, e.g. reboot.' },
        params: { type: 'object', description: 'Its parameters.' },
      },
    },
    httpResponseTest,
  },
  properties: {
    stationId: { type: 'string', minLength: 1, maxLength: 48, description: 'Charging station identity, the last path segment of the OCPP-J URL. Default CS001.' },
    ocpp: { enum: ['1.6', '2.0.1', '2.1'], description: 'OCPP version of the SUT; the --ocpp flag wins over it.' },
    evses: {
      type: 'array', minItems: 1, description: 'EVSEs and their connectors. Default: EVSE 1 with connector 1.',
      items: {
        type: 'object', description: 'One EVSE.', additionalProperties: false, required: ['id', 'connectors'],
        properties: {
          id: { type: 'integer', minimum: 1, description: 'EVSE id, unique, from 1.' },
          connectors: {
            type: 'array', minItems: 1, description: 'Connectors of this EVSE.',
            items: {
              type: 'object', description: 'One connector.', additionalProperties: false, required: ['id'],
              properties: {
                id: { type: 'integer', minimum: 1, description: 'Connector id within the EVSE, from 1. For OCPP 1.6: the 1.6 connectorId, unique across the station.' },
                type: { type: 'string', minLength: 1, description: 'Connector type such as cType2 or cCCS2 (informative).' },
              },
            },
          },
        },
      },
    },
    idTokens: {
      type: 'object', description: 'Tokens test cases present, by role. Each role defaults to a token of 20 characters or fewer.', additionalProperties: false,
      properties: {
        valid: idToken('Accepted by the CSMS'),
        valid2: idToken('A second accepted token'),
        invalid: idToken('Unknown to the CSMS'),
        blocked: idToken('Blocked at the CSMS'),
        expired: idToken('Expired at the CSMS'),
        masterPass: idToken('May stop any transaction: a token of the group masterPassGroupId'),
        masterPassGroupId: idToken('The MasterPassGroupId, the group identifier of masterPass (AuthCtrlr.MasterPassGroupId)'),
        group: idToken('Another token in the group groupIdToken'),
        groupIdToken: idToken('The group identifier of valid and group'),
      },
    },
    network: {
      type: 'object', description: 'Network connection profiles the migration cases (TC_B_45, TC_B_46) give the station.', additionalProperties: false,
      properties: {
        configurationSlot: { type: 'integer', minimum: 0, description: 'Part 6 <Configured configurationSlot>. Default 1.' },
        configurationSlot2: { type: 'integer', minimum: 0, description: 'Part 6 <Configured configurationSlot2>. Default 2.' },
        ocppInterface: { enum: ['Wired0', 'Wired1', 'Wired2', 'Wired3', 'Wireless0', 'Wireless1', 'Wireless2', 'Wireless3'], description: 'connectionData.ocppInterface. Default Wired0.' },
        messageTimeoutS: { type: 'integer', minimum: 1, description: 'connectionData.messageTimeout in seconds. Default 30.' },
      },
    },
    security: {
      type: 'object', description: 'OCPP security profile of the connection.', additionalProperties: false,
      properties: {
        profile: { enum: [0, 1, 2, 3], description: '0 none, 1 Basic auth, 2 TLS + Basic auth, 3 TLS with client certificates. Default 0. From 2 the harness as CSMS serves wss with a server certificate of the run\'s test PKI: the station must trust <out>/certs/csmsRoot.pem (written when the run begins); cases with a higher minSecurityProfile are not applicable. Profile 3: no Basic auth; the station presents a client certificate (see clientCertificateFile, stationRootFile).' },
        basicAuthPassword: { type: 'string', description: 'Basic-auth password for profiles 1 and 2: 16 to 64 characters (40 for OCPP 1.6).' },
        csmsRootFile: { type: 'string', minLength: 1, description: 'Harness as station, profiles 2 and 3: PEM file of the root(s) the CSMS\'s server certificate must chain to (A00.FR.308/411), e.g. the lab\'s CSMS root; without it a wss:// target is verified against Node\'s default roots. A relative path is read from the config file\'s folder.' },
        clientCertificateFile: { type: 'string', minLength: 1, description: 'Harness as station, profile 3: PEM file of the client certificate it presents (A00.FR.402), whose commonName is the station identity (A00.FR.405). Needed against a CSMS under test; against the built-in reference CSMS the test PKI issues one. Relative to the config file\'s folder.' },
        clientKeyFile: { type: 'string', minLength: 1, description: 'Harness as station, profile 3: PEM file of the private key of clientCertificateFile (given together). Relative to the config file\'s folder.' },
        organizationName: { type: 'string', minLength: 1, description: 'Harness as station: the O (organisation, SecurityCtrlr.OrganizationName, A00.FR.509) of the CSRs it sends in SignCertificateRequest; their CN is stationId. Default "ocpp-harness test CSO".' },
        stationRootFile: { type: 'string', minLength: 1, description: 'Harness as CSMS, profile 3: PEM file of the root(s) a station\'s client certificate must chain to (A00.FR.403); default the test PKI\'s csmsRoot (<out>/certs/csmsRoot.pem). The certificate\'s commonName must be the station identity (A00.FR.405). Relative to the config file\'s folder.' },
        upgradeTargetUrl: { type: 'string', pattern: '^wss?://', description: 'Harness as station, profiles 1 and 2: the CSMS under test\'s endpoint (without the station identity) for the security profile one above `profile`, where the station connects once the CSMS has upgraded it (A05: TC_A_19_CSMS, TC_083_CSMS; templates read it as target.upgradeUrl). Default: the --target URL, for a CSMS that serves both profiles at one endpoint (possible from 2 to 3 only: profile 2 needs wss://).' },
      },
    },
    timeouts: {
      type: 'object', description: 'How long the harness waits for the SUT, in milliseconds.', additionalProperties: false,
      properties: {
        messageMs: { type: 'integer', minimum: 1, description: 'How long a step waits for the SUT\'s message or answer. Default 30000.' },
        longOperationMs: { type: 'integer', minimum: 1, description: 'Wait for slow operations: reboots, firmware updates. Default 120000.' },
        timeToleranceMs: { type: 'integer', minimum: 0, description: 'Deviation accepted on time comparisons. Default 4000, as certification labs accept.' },
        connectMs: { type: 'integer', minimum: 1, description: 'How long to wait for a station to (re)connect. Default 60000.' },
        closeMs: { type: 'integer', minimum: 1, description: 'How long a WebSocket closing handshake may take; a peer that has not completed it by then has its socket dropped (finding close-timeout). Default 3000.' },
        handshakeMs: { type: 'integer', minimum: 1, description: 'Harness as CSMS: how long a station\'s whole opening handshake may take, from the TCP connection to the end of the upgrade request; slower ones are dropped (handshake-timeout). Default 10000. As station, the connection step\'s timeout bounds the whole handshake.' },
      },
    },
    limits: {
      type: 'object', description: 'What one connection may cost the harness, whatever the peer does, in bytes.', additionalProperties: false,
      properties: {
        maxFrameBytes: { type: 'integer', minimum: 1024, description: 'The largest WebSocket message the harness accepts; a larger one is a frame-too-large violation and the connection is closed with 1009 (RFC 6455 §7.4.1). Default 4194304 (4 MiB).' },
        maxBufferedBytes: { type: 'integer', minimum: 1024, description: 'Outgoing bytes a peer may leave unread on one connection; beyond that the harness drops the connection (finding peer-not-reading). Default 8388608 (8 MiB).' },
      },
    },
    timing: {
      type: 'object', description: 'Interval values test cases configure on the SUT, and the pace of the harness as a station, in seconds.', additionalProperties: false,
      properties: {
        heartbeatIntervalS: { type: 'integer', minimum: 1, description: 'Heartbeat interval sent to the SUT. Default 300.' },
        meterValueSampleIntervalS: { type: 'integer', minimum: 0, description: 'Sampled meter value interval; 0 = off (default).' },
        clockAlignedDataIntervalS: { type: 'integer', minimum: 0, description: 'Clock-aligned meter value interval; 0 = off (default).' },
        offlineThresholdS: { type: 'integer', minimum: 3, description: 'OfflineThreshold the offline-status cases set (TC_B_51 waits it + 2 s, TC_B_52 it - 2 s as RetryBackOffWaitMinimum). Default 3.' },
        retryBackOffWaitMinimumS: { type: 'integer', minimum: 1, description: 'RetryBackOffWaitMinimum the reconnection cases set on the station (OCPP-J §5.3, TC_B_57). Default 1.' },
        reconnectDelayS: { type: 'number', minimum: 0, description: 'Harness as station (sut csms): how long after its connection closed (a reboot the case plays, the connection of the previous case) it opens the next one, as a rebooting station would. Default 3; runs against the built-in reference use 0.05.' },
      },
    },
    simulate: {
      type: 'object', description: 'How `ocpp-harness simulate` runs the reference station or CSMS on its own (the built-in references of --builtin and selfcheck stay fast).', additionalProperties: false,
      properties: {
        rebootDelayMs: { type: 'integer', minimum: 0, description: 'How long a reboot (the reboot device action, a Reset) keeps the reference station away, from dropping its connection (closed first) to its next connection attempt. Default 2000.' },
      },
    },
    fileServer: {
      type: 'object', description: 'The run\'s HTTP file server: firmware images for the firmware (L) cases, log uploads for the log (N) cases. It listens on the host of --listen.', additionalProperties: false,
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535, description: 'Its port (--file-server-port wins): 0, the default, takes any free port; a lab behind a firewall opens a fixed one.' },
      },
    },
    features: {
      type: 'array', uniqueItems: true, description: 'Feature ids the SUT declares; a case needing an undeclared one is not-applicable. E.g. PICS entries (C-09.1, TxStartPoint:EVConnected), OCPP 1.6 profiles (Reservation), key:<ConfigKey>, writable:<ConfigKey>. A 1.6 charging station under test also declares its profiles and keys itself (asked with GetConfiguration); these add to them.',
      items: { type: 'string', minLength: 1, description: 'One PICS entry or feature.' },
    },
    adapters: {
      type: 'object', description: 'How manual actions reach the SUT. Default: prompt the operator.', additionalProperties: false,
      properties: {
        default: { $ref: '#/definitions/adapter', description: 'Adapter for every action not listed in actions.' },
        actions: { type: 'object', description: 'Adapter per action name, e.g. plugIn, presentIdToken.', additionalProperties: { $ref: '#/definitions/adapter', description: 'The adapter for this action.' } },
      },
    },
    betweenCases: {
      type: 'object', description: 'How one SUT is kept idle from case to case (OCPP 2.0.1 Part 6 general pre-conditions). Not used with --builtin, which gives every case a fresh reference unless --between-cases is given.', additionalProperties: false,
      properties: {
        mode: { enum: ['restore', 'reset', 'none'], description: 'restore (default): before each case verify the SUT is idle, after it undo what it did (stop transactions, unplug, availability, settings back, certificates and profiles removed, boot accepted); reset: the same, then reset the station; none: leave the SUT as the case left it. The --between-cases flag wins.' },
        beforeEach: { type: 'array', description: 'Device actions before each case, e.g. a power cycle.', items: { $ref: '#/definitions/deviceAction', description: 'One device action.' } },
        afterEach: { type: 'array', description: 'Device actions after each case, after its clean-up.', items: { $ref: '#/definitions/deviceAction', description: 'One device action.' } },
      },
    },
    tables: {
      type: 'object',
      description: 'Lookup tables for templates, by name: e.g. route: { RequestStartTransaction: remote-start }, read as {{lookup config.tables.route params.action}}; a missing key is an error.',
      additionalProperties: { type: 'object', description: 'One table: key to value.', additionalProperties: { description: 'The value for this key; any value.' } },
    },
    background: {
      type: 'object',
      description: 'Replies to background traffic (Heartbeat, StatusNotification, ...) by OCPP action, merged over the defaults; null removes a default.',
      additionalProperties: { type: ['object', 'null'], description: 'Response payload template; strings may contain Handlebars such as {{now}}.' },
    },
  },
};

/** The schema as pretty-printed JSON, for editors and the docs/schemas generator. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(CONFIG_JSON_SCHEMA, null, 2)}\n`;
}
