import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STANDARD_ACTIONS } from './index.js';

const TESTCASES = new URL('../../../testcases/', import.meta.url).pathname;

interface SendStep { where: string; params: Record<string, unknown> }

function yamlFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

/** Every csmsSend step of the test cases and reusable states, anyOf branches included. */
function csmsSendSteps(): SendStep[] {
  const found: SendStep[] = [];
  const walk = (steps: unknown, where: string): void => {
    for (const step of Array.isArray(steps) ? (steps as Array<Record<string, unknown>>) : []) {
      if (step['action'] === 'csmsSend') found.push({ where, params: step['params'] as Record<string, unknown> });
      for (const branch of (step['anyOf'] ?? []) as unknown[]) walk(branch, where);
    }
  };
  for (const file of yamlFiles(TESTCASES)) {
    const document = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    walk(document['steps'], relative(TESTCASES, file));
    walk(document['post'], relative(TESTCASES, file));
  }
  return found;
}

const at = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), value);

/** `{{config.idTokens.valid}}` (a whole IdTokenType) read as its `idToken` or `type` field. */
const tokenField = (token: unknown, field: string): unknown => (typeof token === 'string' ? token.replace(/\}\}$/, `.${field}}}`) : at(token, field));

/** Where each key param sits in the requests that name it (OCPP 1.6 and 2.0.1). */
function keyValuesOf(payload: Record<string, unknown>): Record<string, unknown> {
  const variable = at(payload, 'getVariableData', 0) ?? at(payload, 'setVariableData', 0);
  const certificateTypes = payload['certificateType'];
  const values: Record<string, unknown> = {
    transactionId: payload['transactionId'],
    evseId: payload['evseId'] ?? at(payload, 'evse', 'id'),
    connectorId: payload['connectorId'] ?? at(payload, 'evse', 'connectorId'),
    idToken: payload['idTag'] ?? (payload['idToken'] === undefined ? undefined : tokenField(payload['idToken'], 'idToken')),
    idTokenType: payload['idToken'] === undefined ? undefined : tokenField(payload['idToken'], 'type'),
    remoteStartId: payload['remoteStartId'],
    requestId: payload['requestId'],
    type: payload['type'],
    operationalStatus: payload['operationalStatus'],
    requestedMessage: payload['requestedMessage'],
    logType: payload['logType'],
    certificateType: Array.isArray(certificateTypes) && certificateTypes.length === 1 ? certificateTypes[0] : certificateTypes,
    configurationSlot: payload['configurationSlot'],
    component: at(variable, 'component', 'name'),
    variable: at(variable, 'variable', 'name'),
    attributeValue: at(payload, 'setVariableData', 0, 'attributeValue'),
    // 1.6 GetConfiguration of one key.
    key: Array.isArray(payload['key']) && payload['key'].length === 1 ? payload['key'][0] : undefined,
  };
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && (typeof value !== 'object' || value === null)));
}

describe('csmsSend steps of the test cases', () => {
  const steps = csmsSendSteps();

  it('are found, and name only params of the catalogue', () => {
    // 35 since issue 12: a request the CSMS is asked for is written once, in a state, whatever the number of cases using it.
    expect(steps.length).toBeGreaterThanOrEqual(30);
    const known: readonly string[] = STANDARD_ACTIONS.csmsSend.params;
    expect(steps.flatMap(({ where, params }) => Object.keys(params).filter((name) => !known.includes(name)).map((name) => `${where}: ${name}`))).toEqual([]);
  });

  it('give every key value of their payload as its own param, so that an API that builds the request gets it', () => {
    const missing = steps.flatMap(({ where, params }) => {
      const payload = (params['payload'] ?? {}) as Record<string, unknown>;
      return Object.entries(keyValuesOf(payload))
        .filter(([name, value]) => params[name] !== value)
        .map(([name, value]) => `${where} ${String(params['action'])}: ${name} should be ${JSON.stringify(value)}, is ${JSON.stringify(params[name])}`);
    });
    expect(missing).toEqual([]);
  });

  it('name the transaction to stop, with or without a payload', () => {
    const stops = steps.filter(({ params }) => ['RequestStopTransaction', 'RemoteStopTransaction'].includes(String(params['action'])));
    expect(stops.length).toBeGreaterThanOrEqual(2);
    expect(stops.filter(({ params }) => typeof params['transactionId'] !== 'string' || params['transactionId'] === '').map(({ where }) => where)).toEqual([]);
  });
});
