import { afterEach, describe, expect, it } from 'vitest';
import { TestPki } from '../pki/index.js';
import { DEFAULT_CONNECTION_LIMITS, HandshakeError, NO_SECURITY, connectAsStation, type ConnectionSecurity, type RejectedHandshake } from '../transport/index.js';
import { connectionSecurity } from './connection-security.js';
import { startCsmsServers, type CsmsServers } from './csms-servers.js';

const pki = new TestPki();
const own = { pki, hosts: ['127.0.0.1'] };
const PASSWORD = 'fitted-password-0123456';
const profile2 = connectionSecurity({ profile: 2, basicAuthPassword: PASSWORD }, own);
const profile3 = connectionSecurity({ profile: 3 }, own);

let servers: CsmsServers | undefined;
afterEach(async () => {
  await servers?.close();
  servers = undefined;
});

const start = (security: ConnectionSecurity, fitted: { tlsSecurity?: ConnectionSecurity; mutualSecurity?: ConnectionSecurity; upgradeSecurities?: ConnectionSecurity[] }) =>
  startCsmsServers({ listen: { host: '127.0.0.1', port: 0 }, ocpp: '2.0.1', pki, security, ...fitted, limits: DEFAULT_CONNECTION_LIMITS, handshakeMs: 5000 });

const connect = (url: string, security: ConnectionSecurity) => connectAsStation({ endpoint: `${url}/ocpp`, stationId: 'CS001', versions: ['2.0.1'], security });

describe('the harness\'s CSMS servers for cases fitted to a security profile (--builtin)', () => {
  it('a plain configuration with profile 2 and profile 3 cases: one wss server each, the profile 3 one asking for client certificates', async () => {
    servers = await start(NO_SECURITY, { tlsSecurity: profile2, mutualSecurity: profile3 });
    const [plain, tls, mutual] = [servers.urlFor(NO_SECURITY), servers.urlFor(profile2), servers.urlFor(profile3)];
    expect(plain).toMatch(/^ws:/);
    expect(new Set([plain, tls, mutual]).size).toBe(3);
    const station = await connect(mutual, connectionSecurity({ profile: 3 }, own, 'CS001'));
    station.connection.close();
    const basic = await connect(tls, profile2);
    basic.connection.close();
    // A profile 2 station at the profile 3 server presents no certificate: refused.
    const mutualServer = servers.all.find((server) => server.url === mutual)!;
    const rejected = new Promise<RejectedHandshake>((resolve) => mutualServer.once('rejected', resolve));
    const refused = await connect(mutual, { ...profile2, trustedRoots: { server: profile2.trustedRoots.server, client: [] } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HandshakeError);
    expect((await rejected).reason).toMatch(/^A00\.FR\.401\/402: the station presented no client certificate/);
  }, 20_000);

  it('a configuration at profile 3 serves mutual TLS itself: no further server', async () => {
    servers = await start(profile3, { mutualSecurity: profile3 });
    expect(servers.urlFor(profile3)).toBe(servers.all[0]!.url);
    // Its own server and the new-root endpoint.
    expect(servers.all).toHaveLength(2);
  });

  it('a station at profile 1 is upgraded to a wss server that alone serves the upgrade path (A05)', async () => {
    const profile1 = connectionSecurity({ profile: 1, basicAuthPassword: PASSWORD }, own);
    servers = await start(profile1, { upgradeSecurities: [profile2] });
    const port = servers.upgradePortFor(1);
    expect(port).toBeDefined();
    expect(servers.upgradePortFor(2)).toBeUndefined();
    const upgraded = await connectAsStation({ endpoint: `wss://127.0.0.1:${port}/ocpp-harness-upgrade`, stationId: 'CS001', versions: ['2.0.1'], security: profile2 });
    upgraded.connection.close();
    // The plain server does not serve it: HTTP 404.
    const plain = await connectAsStation({ endpoint: `${servers.urlFor(profile1)}/ocpp-harness-upgrade`, stationId: 'CS001', versions: ['2.0.1'], security: profile1 }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(HandshakeError);
  }, 20_000);

  it('a station at profile 2 is upgraded to the mutual-TLS server, started for it', async () => {
    servers = await start(profile2, { upgradeSecurities: [profile3] });
    const port = servers.upgradePortFor(2);
    expect(port).toBe(Number(new URL(servers.urlFor(profile3)).port));
    const station = await connectAsStation({ endpoint: `wss://127.0.0.1:${port}/ocpp-harness-upgrade`, stationId: 'CS001', versions: ['2.0.1'], security: connectionSecurity({ profile: 3 }, own, 'CS001') });
    station.connection.close();
  }, 20_000);
});
