import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestPki } from '../pki/index.js';
import { HandshakeError, NO_SECURITY, OcppServer, connectAsStation, withPassword, type ConnectionSecurity } from '../transport/index.js';
import { connectionSecurity, stationCertificate, stationSideSecurity } from './connection-security.js';

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

  it('profile 3 with the harness\'s CSMS: no Basic auth (A00.FR.401), client certificates of csmsRoot accepted, the station\'s issued by csmsRoot for its identity', () => {
    const security = connectionSecurity({ profile: 3, basicAuthPassword: PASSWORD }, own, 'CS001');
    expect(security.basicAuth).toBeUndefined();
    expect(security.serverCertificate).toEqual(connectionSecurity({ profile: 2, basicAuthPassword: PASSWORD }, own).serverCertificate);
    expect(security.trustedRoots).toEqual({ server: [csmsRoot], client: [csmsRoot] });
    const client = new X509Certificate(security.clientCertificate!.certificatePem);
    expect(client.subject).toMatch(/^CN=CS001$/m);
    expect(client.checkIssued(new X509Certificate(csmsRoot))).toBe(true);
    // One certificate per station and PKI: the second lane's station gets its own.
    expect(connectionSecurity({ profile: 3 }, own, 'CS001').clientCertificate).toBe(security.clientCertificate);
    expect(new X509Certificate(connectionSecurity({ profile: 3 }, own, 'CS001-2').clientCertificate!.certificatePem).subject).toMatch(/^CN=CS001-2$/m);
  });

  it('profile 3 against a CSMS under test: the lab\'s files (root, client certificate and key); without a client certificate the station side says what to configure', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ocpp-harness-tls-'));
    const labRoot = pki.certificate('csmsRoot2').certificatePem;
    const client = stationCertificate(pki, 'CS001');
    writeFileSync(join(folder, 'root.pem'), labRoot);
    writeFileSync(join(folder, 'station.pem'), client.certificatePem);
    writeFileSync(join(folder, 'station.key.pem'), client.privateKeyPem, { mode: 0o600 });
    const files = { csmsRootFile: join(folder, 'root.pem'), clientCertificateFile: join(folder, 'station.pem'), clientKeyFile: join(folder, 'station.key.pem') };
    expect(stationSideSecurity({ profile: 3, ...files }, 'CS001')).toEqual({ profile: 3, clientCertificate: client, trustedRoots: { server: [labRoot], client: [] } });
    expect(connectionSecurity({ profile: 2, basicAuthPassword: PASSWORD, csmsRootFile: files.csmsRootFile }).trustedRoots.server).toEqual([labRoot]);
    expect(() => stationSideSecurity({ profile: 3, csmsRootFile: files.csmsRootFile }, 'CS001')).toThrow(/security\.clientCertificateFile and security\.clientKeyFile/);
    expect(stationSideSecurity({ profile: 3 }, 'CS001', pki).clientCertificate).toBe(stationCertificate(pki, 'CS001'));
    expect(() => connectionSecurity({ profile: 2, csmsRootFile: join(folder, 'missing.pem') })).toThrow(/^security\.csmsRootFile: cannot read .*missing\.pem: ENOENT$/);
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

  it('profile 3: one value, both sides: the station of the identity connects, another station\'s certificate is refused for its CN (A00.FR.405)', async () => {
    const server = await serve(connectionSecurity({ profile: 3 }, own, 'CS001'));
    expect(server.url).toMatch(/^wss:/);
    const station = await connect(server.url, connectionSecurity({ profile: 3 }, own, 'CS001'));
    expect(station.connection.handshake.tls?.peerCertificate?.subject).toContain('CN=127.0.0.1');
    station.connection.close();
    const rejected = new Promise<string>((resolve) => server.once('rejected', ({ reason }) => resolve(reason)));
    const impostor = await connect(server.url, connectionSecurity({ profile: 3 }, own, 'CS002')).catch((e: unknown) => e);
    expect(statusOf(impostor)).toBe(403);
    expect(await rejected).toMatch(/^A00\.FR\.405: the client certificate's commonName "CS002" is not the station identity "CS001"/);
  });
});
