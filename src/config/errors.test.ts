import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from './index.js';

const DIRECTORY = mkdtempSync(join(tmpdir(), 'oh-config-errors-'));
const FILE = join(DIRECTORY, 'harness.yaml');

/** The error of loading the given text, one message line per problem. */
function problemsOf(text: string): string[] {
  writeFileSync(FILE, text);
  try {
    loadConfigFile(FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('OH_CONFIG_INVALID');
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('config error messages', () => {
  it('names an unknown field with its line and the allowed fields', () => {
    const text = ['evses:', '  - id: 1', '    connectors:', '      - id: 1', '      - id: 2', '        typ: cType2', ''].join('\n');
    expect(problemsOf(text)).toEqual([`${FILE}:6: evses[0].connectors[1]: unknown field "typ"; allowed: id, type`]);
  });

  it('lists the values of an enum', () => {
    expect(problemsOf('stationId: CS1\nsecurity:\n  profile: 4\n')).toEqual([`${FILE}:3: security.profile: must be one of 0, 1, 2, 3; got 4`]);
    expect(problemsOf('ocpp: "2.0"\n')).toEqual([`${FILE}:1: ocpp: must be one of "1.6", "2.0.1", "2.1"; got "2.0"`]);
  });

  it('names the expected type', () => {
    expect(problemsOf('timeouts:\n  messageMs: 30s\n')).toEqual([`${FILE}:2: timeouts.messageMs: must be a whole number; got "30s"`]);
    expect(problemsOf('evses: one\n')).toEqual([`${FILE}:1: evses: must be a list; got "one"`]);
  });

  it('requires a 16 to 64 character password for security profile 1 and 2 (40 for OCPP 1.6), never echoing it', () => {
    const lines = problemsOf('security:\n  profile: 1\n  basicAuthPassword: secret\n');
    expect(lines).toEqual([`${FILE}:3: security.basicAuthPassword: 6 characters is too short for security profile 1; allowed: 16 to 64 characters`]);
    expect(lines.join()).not.toContain('secret');
    expect(problemsOf('security:\n  profile: 2\n')).toEqual([`${FILE}:1: security.basicAuthPassword: required for security profile 2; allowed: 16 to 64 characters`]);
    // 2.0.1 errata 2025-01 (A00.FR.205): up to the station's maxLimit, at most 64; the 1.6 whitepaper: 40.
    const password = (length: number): string => `security:\n  profile: 1\n  basicAuthPassword: ${'k'.repeat(length)}\n`;
    writeFileSync(FILE, password(64));
    expect(loadConfigFile(FILE).config.security.basicAuthPassword).toHaveLength(64);
    expect(problemsOf(password(65))).toEqual([`${FILE}:3: security.basicAuthPassword: 65 characters is too long for security profile 1; allowed: 16 to 64 characters`]);
    expect(problemsOf(`ocpp: 1.6\n${password(41)}`)).toEqual([`${FILE}:4: security.basicAuthPassword: 41 characters is too long for security profile 1; allowed: 16 to 40 characters`]);
  });

  it('rejects a duplicate EVSE id and, for OCPP 1.6, a connector id used twice in the station', () => {
    const evses = 'evses:\n  - id: 1\n    connectors: [{ id: 1 }]\n  - id: 1\n    connectors: [{ id: 1 }]\n';
    expect(problemsOf(evses)).toEqual([`${FILE}:4: evses[1].id: EVSE id 1 is already used by evses[0]; allowed: a different id per EVSE`]);
    const flat = 'ocpp: 1.6\nevses:\n  - id: 1\n    connectors: [{ id: 1 }]\n  - id: 2\n    connectors: [{ id: 1 }]\n';
    expect(problemsOf(flat)).toEqual([
      `${FILE}:6: evses[1].connectors[0].id: connector id 1 is already used by evses[0].connectors[0], and OCPP 1.6 connectorIds are station-wide; allowed: a different id per connector of the station`,
    ]);
  });

  it('checks adapters: kind, required fields and the http base URL', () => {
    expect(problemsOf('adapters:\n  default: { kind: shell }\n  actions:\n    plugIn: { kind: command }\n')).toEqual([
      `${FILE}:2: adapters.default.kind: must be one of "prompt", "command", "http", "builtin"; got "shell"`,
      `${FILE}:4: adapters.actions.plugIn.commands: required field missing`,
    ]);
    expect(problemsOf('adapters:\n  default:\n    kind: http\n    baseUrl: ftp://lab\n    requests: {}\n')).toEqual([
      `${FILE}:4: adapters.default.baseUrl: must be an http:// or https:// URL; got "ftp://lab"`,
    ]);
  });

  it('rejects background replies for actions the version does not have', () => {
    expect(problemsOf('ocpp: 1.6\nbackground:\n  NotifyEvent: {}\n  Heartbeet: {}\n')).toEqual([
      `${FILE}:4: background.Heartbeet: not an action of OCPP 1.6; allowed: OCPP action names such as Heartbeat, StatusNotification`,
    ]);
  });

  it('reports every problem, one line each, in file order', () => {
    expect(problemsOf('timing:\n  heartbeatIntervalS: 0\nfeatures: [C-09.1, C-09.1]\nstationId: ""\n')).toEqual([
      `${FILE}:2: timing.heartbeatIntervalS: must be at least 1; got 0`,
      `${FILE}:3: features[1]: "C-09.1" is listed twice`,
      `${FILE}:4: stationId: must not be empty`,
    ]);
  });

  it('gives the line of invalid YAML', () => {
    expect(problemsOf('stationId: CS1\nsecurity:\n  profile: 1\n  profile: 2\n')).toEqual([`${FILE}:4: invalid YAML: Map keys must be unique`]);
  });

  it('gives only the first syntax error of a file that is no YAML (the later ones follow from it)', () => {
    expect(problemsOf('{"a": 1}\n{"b": [1, 2}\n{"c": "x" "y"}\n')).toHaveLength(1);
  });

  it('names a missing file', () => {
    const missing = join(DIRECTORY, 'missing.yaml');
    expect(() => loadConfigFile(missing)).toThrow(ConfigError);
    expect(() => loadConfigFile(missing)).toThrow(`${missing}: cannot read the config file: ENOENT`);
  });
});
