import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TestPki } from '../pki/index.js';
import { HandshakeError, NO_SECURITY, OcppServer, connectAsStation, withPassword, type ConnectionSecurity } from '../transport/index.js';
import { connectionSecurity } from './connection-security.js';

// One PKI for the file: issuing keys is the slow part.
const pki = new TestPki();
const own = { pki, hosts: ['127.0.0.1', 'localhost'] };
const PASSWORD = 'the-configured-password-01';
const csmsRoot = pki.certificate('csmsRoot').certificatePem;

describe('connectionSecurity: the one rule (OCPP 2.0.1 Part 2 A00)', () => {
  it('profile 0: nothing, even with a password configured', () => {
    expect(connectionSecurity({ profile: 0, basicAuthPassword: PASSWORD }, own)).toEqual(NO_SECURITY);
  });

  it('profile 1: Basic auth over plain ws, no certificate even when the CSMS is the harness\'s', () => {
    expect(connectionSecurity({ profile: 1, basicAuthPassword: PASSWORD }, own)).toEqual({ profile: 1, basicAuth: { password: PASSWORD }, trustedRoots: { server: [], client: [] } });
  });

  it('profile 2 with the harness\'s CSMS: Basic auth, a server certificate csmsRoot issued for the hosts, csmsRoot the only trusted root', () => {
    const security = connectionSecurity({ profile: 2, basicAuthPassword: PASSWORD }, own);
    expect(security).toMatchObject({ profile: 2, basicAuth: { password: PASSWORD }, trustedRoots: { server: [csmsRoot], client: [] } });
    const certificate = new X509Certificate(security.serverCertificate!.certificatePem);
    expect(certificate.checkIssued(new X509Certificate(csmsRoot))).toBe(true);
    expect(certificate.subjectAltName).toMatch(/IP Address:127\.0\.0\.1/);
    expect(certificate.subjectAltName).toMatch(/DNS:localhost/);
    expect(security.clientCertificate).toBeUndefined();
  });

  it('profile 2 with a CSMS under test: Basic auth, no certificate of ours, Node\'s default roots', () => {
    expect(connectionSecurity({ profile: 2, basicAuthPassword: PASSWORD })).toEqual({ profile: 2, basicAuth: { password: PASSWORD }, trustedRoots: { server: [], client: [] } });
  });

  it('profile 3: TLS without Basic auth (A00.FR.401); no client certificate is asked for until the test PKI issues station certificates', () => {
    const security = connectionSecurity({ profile: 3, basicAuthPassword: PASSWORD }, own);
    expect(security.basicAuth).toBeUndefined();
    expect(security.serverCertificate).toEqual(connectionSecurity({ profile: 2, basicAuthPassword: PASSWORD }, own).serverCertificate);
    expect(security.trustedRoots).toEqual({ server: [csmsRoot], client: [] });
  });
});

describe('one value, both sides agree over loopback', () => {
  const servers: OcppServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function serve(security: ConnectionSecurity): Promise<OcppServer> {
    const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], security });
    servers.push(server);
    return server;
  }

  const connect = (url: string, security: ConnectionSecurity) => connectAsStation({ endpoint: `${url}/ocpp`, stationId: 'CS001', versions: ['2.0.1'], security });
  const statusOf = (error: unknown) => (error as HandshakeError).handshake.responseStatus;

  it.each([1, 2] as const)('profile %i: the right password connects, a wrong or missing one gets HTTP 401', async (profile) => {
    const security = connectionSecurity({ profile, basicAuthPassword: PASSWORD }, own);
    const server = await serve(security);
    expect(server.url).toMatch(profile === 2 ? /^wss:/ : /^ws:/);
    const accepted = new Promise<boolean>((resolve) => server.once('connection', (connection) => resolve(Boolean(connection.handshake.tls) === (profile === 2))));
    const station = await connect(server.url, security);
    expect(await accepted).toBe(true);
    station.connection.close();
    expect(statusOf(await connect(server.url, withPassword(security, 'a-wrong-password-0123')).catch((e: unknown) => e))).toBe(401);
    expect(statusOf(await connect(server.url, withPassword(security, undefined)).catch((e: unknown) => e))).toBe(401);
  });

  it('profile 2: the server speaks no plain ws, and the station refuses a ws:// endpoint', async () => {
    const security = connectionSecurity({ profile: 2, basicAuthPassword: PASSWORD }, own);
    const server = await serve(security);
    const plainClient = await connect(server.url.replace(/^wss:/, 'ws:'), withPassword(NO_SECURITY, PASSWORD)).catch((e: unknown) => e);
    expect(plainClient).toBeInstanceOf(HandshakeError);
    expect(statusOf(plainClient)).not.toBe(101);
    const plainServer = await serve(connectionSecurity({ profile: 1, basicAuthPassword: PASSWORD }, own));
    const refused = await connect(plainServer.url, security).catch((e: unknown) => e);
    expect((refused as HandshakeError).stage).toBe('tls');
    expect(statusOf(refused)).toBe(0);
  });
});
