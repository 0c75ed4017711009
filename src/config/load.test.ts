import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyOverrides, backgroundRepliesFor, ConfigError, DEFAULT_CONFIG, defaultBackgroundReplies, loadConfigFile, resolveConfig } from './index.js';

const EXAMPLE = fileURLToPath(new URL('../../fixtures/config/example.yaml', import.meta.url));

function writeConfig(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'oh-config-')), 'harness.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadConfigFile', () => {
  it('gives the defaults for an empty file or one with comments only', () => {
    for (const text of ['', '# nothing declared yet\n']) {
      const { config, sources } = loadConfigFile(writeConfig(text));
      expect(config).toEqual(DEFAULT_CONFIG);
      expect(config.ocpp).toBeUndefined();
      expect(Object.values(sources).every((source) => source === 'default')).toBe(true);
    }
  });

  it('reads the security section\'s certificate files from the config file\'s folder; a client certificate comes with its key', () => {
    const path = writeConfig('security:\n  profile: 3\n  csmsRootFile: certs/root.pem\n  clientCertificateFile: /lab/CS001.pem\n  clientKeyFile: ../keys/CS001.key.pem\n  stationRootFile: station-root.pem\n');
    const folder = join(path, '..');
    expect(loadConfigFile(path).config.security).toEqual({
      profile: 3, csmsRootFile: join(folder, 'certs/root.pem'), clientCertificateFile: '/lab/CS001.pem', clientKeyFile: join(folder, '../keys/CS001.key.pem'), stationRootFile: join(folder, 'station-root.pem'),
    });
    const lonely = writeConfig('security:\n  profile: 3\n  clientCertificateFile: CS001.pem\n');
    expect(() => loadConfigFile(lonely)).toThrow(/:3: security\.clientCertificateFile: needs security\.clientKeyFile as well; allowed: both clientCertificateFile and clientKeyFile, or neither/);
  });

  it('fills the documented defaults', () => {
    const config = resolveConfig(undefined);
    expect(config.stationId).toBe('CS001');
    expect(config.evses).toEqual([{ id: 1, connectors: [{ id: 1 }] }]);
    expect(config.security).toEqual({ profile: 0 });
    expect(config.timeouts).toEqual({ messageMs: 30000, longOperationMs: 120000, timeToleranceMs: 4000, connectMs: 60000, closeMs: 3000, handshakeMs: 10000 });
    expect(config.limits).toEqual({ maxFrameBytes: 4194304, maxBufferedBytes: 8388608 });
    expect(config.timing).toEqual({ heartbeatIntervalS: 300, meterValueSampleIntervalS: 0, clockAlignedDataIntervalS: 0, offlineThresholdS: 3, retryBackOffWaitMinimumS: 1, reconnectDelayS: 3 });
    expect(config.simulate).toEqual({ rebootDelayMs: 2000 });
    expect(config.fileServer).toEqual({ port: 0 });
    expect(config.adapters).toEqual({ default: { kind: 'prompt' }, actions: {} });
    // Every default token must fit the OCPP 1.6 idTag (CiString20).
    for (const token of Object.values(config.idTokens)) expect(token.idToken.length).toBeLessThanOrEqual(20);
  });

  it('never hands out the frozen defaults themselves', () => {
    const config = resolveConfig({});
    config.evses[0]!.connectors.push({ id: 2 });
    expect(DEFAULT_CONFIG.evses[0]!.connectors).toHaveLength(1);
  });

  it('loads the example file cleanly and says which values came from it', () => {
    const { config, sources } = loadConfigFile(EXAMPLE);
    expect(config.ocpp).toBe('2.0.1');
    expect(config.evses.map((evse) => evse.id)).toEqual([1, 2]);
    expect(config.security.profile).toBe(1);
    expect(config.adapters.actions['plugIn']).toMatchObject({ kind: 'http', success: { status: [200], body: { path: 'ok', equals: true } }, unsupported: { body: { path: 'error', equals: 'no-robot' } } });
    expect(config.adapters.actions['presentIdToken']).toMatchObject({ kind: 'command', unsupported: { exitCodes: [64] } });
    expect(config.tables).toEqual({ socket: { 1: 'left', 2: 'right' } });
    expect(sources['tables']).toBe('file');
    expect(config.features).toContain('TxStartPoint:EVConnected');
    expect(sources['timeouts.longOperationMs']).toBe('file');
    expect(config.simulate.rebootDelayMs).toBe(3000);
    expect(sources['simulate.rebootDelayMs']).toBe('file');
    expect(sources['ocpp']).toBe('file');
  });

  it('refuses a misspelt field of a success test and a table that is not a map', () => {
    const http = (success: unknown) => ({ adapters: { default: { kind: 'http', baseUrl: 'http://127.0.0.1:1', requests: {}, success } } });
    expect(() => resolveConfig(http({ status: [200], body: { path: 'success', equal: true } }))).toThrow(/adapters.default.success.body: unknown field "equal"/);
    expect(() => resolveConfig(http({ status: [200, 'ok'] }))).toThrow(ConfigError);
    expect(() => resolveConfig({ tables: { route: 'reset' } })).toThrow(/tables.route/);
    expect(resolveConfig({}).tables).toEqual({});
  });

  it('refuses brackets nested past the limit on their line, before the YAML parser recurses into them (issue 14)', () => {
    const path = writeConfig(`stationId: CS1\ntables:\n  deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expect(() => loadConfigFile(path)).toThrow(new ConfigError([{ origin: path, line: 3, problem: 'invalid YAML: brackets nested deeper than 100 levels' }]));
  });

  it('reads unquoted ocpp: 1.6 as the version 1.6', () => {
    expect(loadConfigFile(writeConfig('ocpp: 1.6\n')).config.ocpp).toBe('1.6');
  });
});

describe('background replies', () => {
  it('merges the file over the defaults, null removing a default', () => {
    const config = resolveConfig({ ocpp: '2.0.1', background: { Heartbeat: null, StatusNotification: { customData: { vendorId: 'lab' } }, BootNotification: { status: 'Accepted' } } });
    expect(config.background).not.toHaveProperty('Heartbeat');
    expect(config.background['StatusNotification']).toEqual({ customData: { vendorId: 'lab' } });
    expect(config.background['BootNotification']).toEqual({ status: 'Accepted' });
    expect(config.background['MeterValues']).toEqual({});
  });

  it('gives each version its own defaults, TransactionEvent never among them', () => {
    expect(Object.keys(defaultBackgroundReplies('1.6'))).toContain('DiagnosticsStatusNotification');
    expect(Object.keys(defaultBackgroundReplies('2.0.1'))).not.toContain('DiagnosticsStatusNotification');
    expect(defaultBackgroundReplies('2.0.1')['Heartbeat']).toEqual({ currentTime: '{{now}}' });
    expect(Object.keys(defaultBackgroundReplies())).not.toContain('TransactionEvent');
  });

  it('picks the replies of the session version only', () => {
    const config = resolveConfig({ background: { NotifyEvent: null } });
    expect(Object.keys(backgroundRepliesFor(config, '1.6')).sort()).toEqual(Object.keys(defaultBackgroundReplies('1.6')).sort());
    expect(backgroundRepliesFor(config, '2.0.1')).not.toHaveProperty('NotifyEvent');
    expect(backgroundRepliesFor(config, '2.0.1')).not.toHaveProperty('DiagnosticsStatusNotification');
  });
});

describe('applyOverrides', () => {
  it('lets overrides win over file values, section by section', () => {
    const { config } = loadConfigFile(writeConfig('stationId: FROM-FILE\ntimeouts:\n  messageMs: 10000\n  connectMs: 5000\n'));
    const overridden = applyOverrides(config, { stationId: 'FROM-FLAG', ocpp: '1.6', timeouts: { messageMs: 2000, connectMs: undefined } });
    expect(overridden.stationId).toBe('FROM-FLAG');
    expect(overridden.ocpp).toBe('1.6');
    expect(overridden.timeouts).toEqual({ messageMs: 2000, longOperationMs: 120000, timeToleranceMs: 4000, connectMs: 5000, closeMs: 3000, handshakeMs: 10000 });
    expect(config.stationId).toBe('FROM-FILE');
  });

  it('fileServer.port: from the file, a flag wins, and a port out of range is named', () => {
    const { config, sources } = loadConfigFile(writeConfig('fileServer:\n  port: 8080\n'));
    expect(config.fileServer.port).toBe(8080);
    expect(sources['fileServer.port']).toBe('file');
    expect(applyOverrides(config, { fileServer: { port: 8081 } }).fileServer.port).toBe(8081);
    expect(() => loadConfigFile(writeConfig('fileServer:\n  port: 70000\n'))).toThrow(/:2: fileServer\.port: must be at most 65535; got 70000/);
  });

  it('checks the overridden configuration as a whole', () => {
    const config = resolveConfig({});
    expect(() => applyOverrides(config, { security: { profile: 1 } }, 'command line')).toThrow(
      'command line: security.basicAuthPassword: required for security profile 1; allowed: 16 to 64 characters',
    );
    expect(() => applyOverrides(config, { timeouts: { messageMs: -1 } }, 'command line')).toThrow(
      'command line: timeouts.messageMs: must be at least 1; got -1',
    );
  });

  it('applies version limits when the version comes from outside', () => {
    const config = resolveConfig({ idTokens: { valid: { idToken: 'A-TOKEN-OF-24-CHARACTERS', type: 'ISO14443' } } });
    expect(config.idTokens.valid.idToken).toHaveLength(24);
    const attempt = () => applyOverrides(config, { ocpp: '1.6' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow('overrides: idTokens.valid.idToken: 24 characters is too long for OCPP 1.6; allowed: at most 20 characters');
  });
});
