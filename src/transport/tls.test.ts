import { once } from 'node:events';
import { connect as tlsConnect } from 'node:tls';
import forge from 'node-forge';
import { afterEach, describe, expect, it } from 'vitest';
import { HandshakeError, OcppServer, RefusalBook, connectAsStation, type Connection, type ConnectionSecurity, type HandshakeTimeout, type ServerOptions, type TlsFailure } from './index.js';

// Certificates made here with node-forge: the transport layer does not lean on the test PKI.
interface Keyed { certificatePem: string; privateKeyPem: string }

function issue(commonName: string, issuer?: Keyed, hosts?: string[], usage: 'server' | 'client' = 'server'): Keyed {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = `0${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  certificate.validity.notBefore = new Date(Date.now() - 3_600_000);
  certificate.validity.notAfter = new Date(Date.now() + 3_600_000);
  const subject = [{ name: 'commonName', value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(issuer ? forge.pki.certificateFromPem(issuer.certificatePem).subject.attributes : subject);
  const leaf = usage === 'client'
    ? [{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', clientAuth: true }]
    : [{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: (hosts ?? []).map((host) => (/^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host })) }];
  certificate.setExtensions(issuer ? leaf : [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true }]);
  certificate.sign(issuer ? forge.pki.privateKeyFromPem(issuer.privateKeyPem) : keys.privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

const root = issue('transport test root');
const otherRoot = issue('transport test other root');
const server = issue('127.0.0.1', root, ['127.0.0.1', 'localhost']);
const otherServer = issue('127.0.0.1', otherRoot, ['127.0.0.1', 'localhost']);
const wrongHost = issue('example.org', root, ['example.org']);
const stationRoot = issue('transport test station root');
const stationCertificate = issue('CS1', stationRoot, undefined, 'client');
const strangerCertificate = issue('CS1', otherRoot, undefined, 'client');

/** The CSMS's side of profile 2: wss with this server certificate. */
function serving(certificate: Keyed): ConnectionSecurity {
  return { profile: 2, serverCertificate: certificate, trustedRoots: { server: [], client: [] } };
}

/** The station's side of profile 2: these roots only, Basic auth with the password when given. */
function trusting(roots: string[], password?: string): ConnectionSecurity {
  return { profile: 2, ...(password !== undefined ? { basicAuth: { password } } : {}), trustedRoots: { server: roots, client: [] } };
}

const servers: OcppServer[] = [];
afterEach(async () => {
  for (const open of servers.splice(0)) await open.close();
});

async function listen(options: Partial<ServerOptions> = {}): Promise<OcppServer> {
  const started = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], security: serving(server), ...options });
  servers.push(started);
  return started;
}

const accepted = (target: OcppServer) => new Promise<Connection>((resolve) => target.once('connection', (connection) => resolve(connection)));
const tlsFailure = (target: OcppServer) => new Promise<TlsFailure>((resolve) => target.once('tlsFailure', resolve));

describe('TLS (security profile 2)', () => {
  it('names the station of an upgrade request stalled inside TLS when its handshake deadline drops it', async () => {
    const target = await listen({ handshakeMs: 3000 });
    const timedOut = once(target, 'handshakeTimeout');
    const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(target.url).port), ca: [root.certificatePem] });
    socket.on('error', () => undefined);
    await once(socket, 'secureConnect');
    socket.write('GET /ocpp/CS9 HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const [timeout] = (await timedOut) as [HandshakeTimeout];
    socket.destroy();
    expect(timeout.handshake).toMatchObject({ url: '/ocpp/CS9', stationId: 'CS9', requestHeaders: { host: '127.0.0.1' } });
    // Counted on the TCP connection: the TLS records too, more than the request's own bytes.
    expect(timeout.bytesReceived).toBeGreaterThan(40);
  });

  it('serves wss: the station verifies the server against the given root, Basic auth runs inside, both sides record the TLS facts', async () => {
    const target = await listen({ security: { ...serving(server), basicAuth: { password: 'right-password-0123' } } });
    expect(target.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    const connection = accepted(target);
    const station = await connectAsStation({ endpoint: `${target.url}/ocpp`, stationId: 'CS1', versions: ['2.0.1'], security: trusting([root.certificatePem], 'right-password-0123') });
    const tls = station.connection.handshake.tls;
    expect(tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(tls?.peerCertificateSubject).toBe('CN=127.0.0.1');
    expect(tls?.peerCertificateIssuer).toBe('CN=transport test root');
    expect(station.connection.peerCertificatePem?.replace(/\s/g, '')).toBe(server.certificatePem.replace(/\s/g, ''));
    const serverSide = await connection;
    expect(serverSide.handshake.tls?.protocol).toBe(tls?.protocol);
    expect(serverSide.handshake.tls?.peerCertificateSubject).toBeUndefined();
    station.connection.close();
    await serverSide.whenClosed();
  });

  it('a station that does not trust the root gets a TLS HandshakeError, the server a tlsFailure, and both go on', async () => {
    const target = await listen();
    const failure = tlsFailure(target);
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: trusting([otherRoot.certificatePem]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).tlsError).toMatch(/CERT|SELF_SIGNED|UNABLE_TO/);
    expect((error as HandshakeError).message).toContain('TLS handshake failed');
    expect((error as HandshakeError).handshake.responseStatus).toBe(0);
    expect((await failure).remoteAddress).toMatch(/127\.0\.0\.1/);
    // The server still serves a station that trusts it.
    const ok = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: trusting([otherRoot.certificatePem, root.certificatePem]) });
    ok.connection.close();
  });

  it('the station checks the host name (A00.FR.309), and a plain ws client cannot talk to a wss server', async () => {
    const target = await listen({ security: serving(wrongHost) });
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: trusting([root.certificatePem]) }).catch((e: unknown) => e);
    expect((error as HandshakeError).tlsError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const plain = await connectAsStation({ endpoint: target.url.replace('wss:', 'ws:'), stationId: 'CS1', versions: ['2.0.1'] }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(HandshakeError);
  });

  it('two servers of one CSMS (two roots) share their refusals, and a server may keep an endpoint path to itself', async () => {
    const refusals = new RefusalBook();
    const first = await listen({ refusals, isKnownEndpoint: (path) => path !== '/new-root' });
    const second = await listen({ refusals, security: serving(otherServer), isKnownEndpoint: (path) => path === '/new-root' });
    const trust = [root.certificatePem, otherRoot.certificatePem];
    const attempt = async (target: OcppServer, path: string) => {
      const outcome = await connectAsStation({ endpoint: `${target.url}${path}`, stationId: 'CS1', versions: ['2.0.1'], security: trusting(trust) }).catch((e: unknown) => e);
      if (outcome instanceof HandshakeError) return outcome.handshake.responseStatus;
      (outcome as { connection: Connection }).connection.terminate();
      return 101;
    };
    first.refuseAttempts({ stationId: 'CS1', count: 2 });
    expect(await attempt(second, '/new-root')).toBe(503);
    expect(await attempt(first, '/old')).toBe(503);
    expect(await attempt(second, '/new-root')).toBe(101);
    expect(await attempt(first, '/new-root')).toBe(404);
    expect(await attempt(second, '/old')).toBe(404);
  });
});

describe('one ConnectionSecurity value for both sides', () => {
  it('profiles 2 and 3: a station never falls back to plain ws, and no connection reaches the server', async () => {
    const plainServer = await listen({ security: undefined });
    let reached = false;
    plainServer.on('connection', () => (reached = true));
    plainServer.on('rejected', () => (reached = true));
    for (const profile of [2, 3] as const) {
      const error = await connectAsStation({ endpoint: plainServer.url, stationId: 'CS1', versions: ['2.0.1'], security: { ...trusting([root.certificatePem]), profile } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HandshakeError);
      expect((error as HandshakeError).stage).toBe('tls');
      expect((error as HandshakeError).message).toContain(`security profile ${profile} needs TLS, a wss:// endpoint`);
    }
    expect(reached).toBe(false);
  });

  it('profile 3: the server asks for a client certificate of its trusted roots; with one the station connects, without or with a stranger\'s it is refused', async () => {
    const target = await listen({ security: { profile: 3, serverCertificate: server, trustedRoots: { server: [], client: [stationRoot.certificatePem] } } });
    const station = (clientCertificate?: Keyed): ConnectionSecurity => ({ profile: 3, ...(clientCertificate ? { clientCertificate } : {}), trustedRoots: { server: [root.certificatePem], client: [] } });
    const connection = accepted(target);
    const ok = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: station(stationCertificate) });
    const serverSide = await connection;
    expect(serverSide.handshake.tls?.peerCertificateSubject).toBe('CN=CS1');
    expect(serverSide.handshake.tls?.peerCertificateIssuer).toBe('CN=transport test station root');
    expect(serverSide.handshake.requestHeaders['authorization']).toBeUndefined();
    ok.connection.close();
    await serverSide.whenClosed();
    for (const refused of [station(), station(strangerCertificate)]) {
      const failure = tlsFailure(target);
      let reached = false;
      const onConnection = () => (reached = true);
      target.once('connection', onConnection);
      const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: refused }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HandshakeError);
      // The server saw the TLS handshake fail; how the station learns of it depends on timing under
      // TLS 1.3 (an alert, or the socket reset after it sent its upgrade request).
      expect((await failure).remoteAddress).toMatch(/127\.0\.0\.1/);
      target.off('connection', onConnection);
      expect(reached).toBe(false);
    }
  });
});
