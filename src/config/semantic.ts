import { OCPP_VERSIONS, schemasOf, type OcppVersion } from '../protocol/index.js';
import { defaultBackgroundReplies } from './defaults.js';
import { describeValue, toPointer, type FieldProblem } from './errors.js';
import type { AdapterConfig, HarnessConfig, IdTokenConfig } from './types.js';

// OCPP 1.6 idTag is CiString20Type; OCPP 2.0.1 IdTokenType.idToken allows 36, OCPP 2.1 widened it to 255.
const ID_TOKEN_MAX_LENGTH: Record<OcppVersion, number> = { '1.6': 20, '2.0.1': 36, '2.1': 255 };
// OCPP 2.0.1 IdTokenEnumType; OCPP 2.1 turned the type into an open string of at most 20 characters.
const ID_TOKEN_TYPES_201 = ['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'];

function evseProblems(config: HarnessConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const evseIndexOf = new Map<number, number>();
  // OCPP 1.6 numbers connectors station-wide, so there a connector id may appear only once at all.
  const stationWide = new Map<number, string>();
  config.evses.forEach((evse, i) => {
    const first = evseIndexOf.get(evse.id);
    if (first === undefined) evseIndexOf.set(evse.id, i);
    else problems.push({ pointer: toPointer('evses', i, 'id'), problem: `EVSE id ${evse.id} is already used by evses[${first}]`, allowed: 'a different id per EVSE' });
    const connectorIndexOf = new Map<number, number>();
    evse.connectors.forEach((connector, k) => {
      const pointer = toPointer('evses', i, 'connectors', k, 'id');
      const firstHere = connectorIndexOf.get(connector.id);
      const firstAnywhere = stationWide.get(connector.id);
      if (firstHere !== undefined) {
        problems.push({ pointer, problem: `connector id ${connector.id} is already used by evses[${i}].connectors[${firstHere}]`, allowed: 'a different id per connector of the EVSE' });
      } else if (config.ocpp === '1.6' && firstAnywhere !== undefined) {
        problems.push({ pointer, problem: `connector id ${connector.id} is already used by ${firstAnywhere}, and OCPP 1.6 connectorIds are station-wide`, allowed: 'a different id per connector of the station' });
      }
      connectorIndexOf.set(connector.id, firstHere ?? k);
      stationWide.set(connector.id, firstAnywhere ?? `evses[${i}].connectors[${k}]`);
    });
  });
  return problems;
}

// The Basic-auth password is at least 16 characters. Its maximum: 64 in OCPP 2.0.1 (errata 2025-01,
// A00.FR.205: the station's maxLimit of BasicAuthPassword, at least 40 and at most 64), 40 in the
// 1.6 security whitepaper (A00.FR.205: AuthorizationKey, up to 40 hexadecimal digits). Profile 3
// authenticates with a client certificate, so it needs no password.
function securityProblems(config: HarnessConfig): FieldProblem[] {
  return [...passwordProblems(config), ...clientCertificateProblems(config)];
}

// A client certificate is presented with its key (A00.FR.402): one without the other is a mistake.
function clientCertificateProblems(config: HarnessConfig): FieldProblem[] {
  const { clientCertificateFile, clientKeyFile } = config.security;
  if ((clientCertificateFile === undefined) === (clientKeyFile === undefined)) return [];
  const missing = clientCertificateFile === undefined ? 'clientCertificateFile' : 'clientKeyFile';
  const given = missing === 'clientKeyFile' ? 'clientCertificateFile' : 'clientKeyFile';
  return [{ pointer: `/security/${given}`, problem: `needs security.${missing} as well`, allowed: 'both clientCertificateFile and clientKeyFile, or neither' }];
}

function passwordProblems(config: HarnessConfig): FieldProblem[] {
  const { profile, basicAuthPassword } = config.security;
  if (profile !== 1 && profile !== 2) return [];
  const pointer = '/security/basicAuthPassword';
  const longest = config.ocpp === '1.6' ? 40 : 64;
  const allowed = `16 to ${longest} characters`;
  if (basicAuthPassword === undefined) return [{ pointer, problem: `required for security profile ${profile}`, allowed }];
  const length = basicAuthPassword.length;
  if (length >= 16 && length <= longest) return [];
  // The password itself never appears in a message: error output ends up in CI logs.
  return [{ pointer, problem: `${length} characters is too ${length < 16 ? 'short' : 'long'} for security profile ${profile}`, allowed }];
}

// Group identifiers are never presented as tokens, so they may equal one another or a token.
const GROUP_ROLES = new Set(['groupIdToken', 'masterPassGroupId']);

function idTokenProblems(config: HarnessConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const roleOf = new Map<string, string>();
  for (const [role, token] of Object.entries(config.idTokens) as Array<[string, IdTokenConfig]>) {
    const pointer = toPointer('idTokens', role, 'idToken');
    const max = config.ocpp ? ID_TOKEN_MAX_LENGTH[config.ocpp] : undefined;
    if (max !== undefined && token.idToken.length > max) {
      problems.push({ pointer, problem: `${token.idToken.length} characters is too long for OCPP ${config.ocpp}`, allowed: `at most ${max} characters` });
    }
    if (config.ocpp === '2.0.1' && !ID_TOKEN_TYPES_201.includes(token.type)) {
      const allowed = ID_TOKEN_TYPES_201.map((t) => JSON.stringify(t)).join(', ');
      problems.push({ pointer: toPointer('idTokens', role, 'type'), problem: `must be one of ${allowed} for OCPP 2.0.1; got ${describeValue(token.type)}` });
    }
    if (GROUP_ROLES.has(role)) continue;
    // IdTokens are case-insensitive (OCPP 2.0.1 IdTokenType, 1.6 CiString): two roles sharing one would make tests meaningless.
    const key = token.idToken.toLowerCase();
    const other = roleOf.get(key);
    if (other) problems.push({ pointer, problem: `same token as idTokens.${other}`, allowed: 'a different token per role' });
    else roleOf.set(key, role);
  }
  return problems;
}

function urlProblem(adapter: AdapterConfig, at: string): FieldProblem[] {
  if (adapter.kind !== 'http') return [];
  let protocol: string | undefined;
  try {
    protocol = new URL(adapter.baseUrl).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === 'http:' || protocol === 'https:') return [];
  return [{ pointer: `${at}/baseUrl`, problem: `must be an http:// or https:// URL; got ${describeValue(adapter.baseUrl)}` }];
}

function adapterProblems(config: HarnessConfig): FieldProblem[] {
  const { default: fallback, actions } = config.adapters;
  return [
    ...urlProblem(fallback, '/adapters/default'),
    ...Object.entries(actions).flatMap(([name, adapter]) => urlProblem(adapter, toPointer('adapters', 'actions', name))),
  ];
}

function backgroundProblems(config: HarnessConfig): FieldProblem[] {
  const defaults = defaultBackgroundReplies();
  const versions = config.ocpp ? [config.ocpp] : OCPP_VERSIONS;
  const label = config.ocpp ? `OCPP ${config.ocpp}` : 'any OCPP version';
  return Object.keys(config.background)
    .filter((action) => !Object.hasOwn(defaults, action) && !versions.some((v) => schemasOf(v).hasAction(action)))
    .map((action) => ({ pointer: toPointer('background', action), problem: `not an action of ${label}`, allowed: 'OCPP action names such as Heartbeat, StatusNotification' }));
}

/** Checks what the schema cannot express: unique ids, passwords per profile, URLs, version limits. */
export function semanticProblems(config: HarnessConfig): FieldProblem[] {
  return [...evseProblems(config), ...securityProblems(config), ...idTokenProblems(config), ...adapterProblems(config), ...backgroundProblems(config)];
}
