import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect as connectTls } from 'node:tls';
import forge from 'node-forge';
import { afterEach, describe, expect, it } from 'vitest';
import { HandshakeError, OcppServer, RefusalBook, connectAsStation, type Connection, type ConnectionSecurity, type HandshakeTimeout, type PresentationOutcome, type RejectedHandshake, type ServerOptions, type TlsFailure } from './index.js';

// Certificates made here with node-forge: the transport layer does not lean on the test PKI.
interface Keyed { certificatePem: string; privateKeyPem: string }

const HOUR_MS = 3_600_000;

function issue(commonName: string, issuer?: Keyed, hosts?: string[], usage: 'server' | 'client' = 'server', validity = { fromMs: -HOUR_MS, toMs: HOUR_MS }): Keyed {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = `0${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  certificate.validity.notBefore = new Date(Date.now() + validity.fromMs);
  certificate.validity.notAfter = new Date(Date.now() + validity.toMs);
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
const EXPIRED = { fromMs: -2 * HOUR_MS, toMs: -HOUR_MS };
const expiredStationCertificate = issue('CS1', stationRoot, undefined, 'client', EXPIRED);
const otherStationCertificate = issue('CS2', stationRoot, undefined, 'client');
const expiredServer = issue('127.0.0.1', root, ['127.0.0.1'], 'server', EXPIRED);

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
/** The CSMS's side of profile 3: wss, client certificates of the station root. */
const mutual: ConnectionSecurity = { profile: 3, serverCertificate: server, trustedRoots: { server: [], client: [stationRoot.certificatePem] } };
/** The station's side of profile 3: this client certificate (or none), the transport test root. */
const presenting = (clientCertificate?: Keyed): ConnectionSecurity => ({ profile: 3, ...(clientCertificate ? { clientCertificate } : {}), trustedRoots: { server: [root.certificatePem], client: [] } });

const tlsFailure = (target: OcppServer) => new Promise<TlsFailure>((resolve) => target.once('tlsFailure', resolve));

describe('TLS (security profile 2)', () => {
  it('names the station of an upgrade request stalled inside TLS when its handshake deadline drops it', async () => {
    const target = await listen({ handshakeMs: 3000 });
    const timedOut = once(target, 'handshakeTimeout');
    const socket = connectTls({ host: '127.0.0.1', port: Number(new URL(target.url).port), ca: [root.certificatePem] });
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
    // The trace's view of the server certificate: never its key.
    const x509 = new X509Certificate(server.certificatePem);
    expect(tls?.peerCertificate).toEqual({
      subject: 'CN=127.0.0.1', issuer: 'CN=transport test root', serialNumber: x509.serialNumber,
      validFrom: new Date(x509.validFrom).toISOString(), validTo: new Date(x509.validTo).toISOString(), fingerprintSha256: x509.fingerprint256, publicKey: { type: 'RSA', bits: 2048 },
    });
    expect(tls?.cipher).toMatch(/^TLS_/);
    expect(station.connection.peerCertificatePem?.replace(/\s/g, '')).toBe(server.certificatePem.replace(/\s/g, ''));
    const serverSide = await connection;
    expect(serverSide.handshake.tls?.protocol).toBe(tls?.protocol);
    expect(serverSide.handshake.tls?.peerCertificate).toBeUndefined();
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

  it('profile 3: the server asks for a client certificate of its trusted roots whose CN is the station identity; with one the station connects', async () => {
    const target = await listen({ security: mutual });
    const connection = accepted(target);
    const ok = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: presenting(stationCertificate) });
    const serverSide = await connection;
    expect(serverSide.handshake.tls?.peerCertificate).toMatchObject({ subject: 'CN=CS1', issuer: 'CN=transport test station root', fingerprintSha256: new X509Certificate(stationCertificate.certificatePem).fingerprint256 });
    expect(serverSide.handshake.requestHeaders['authorization']).toBeUndefined();
    ok.connection.close();
    await serverSide.whenClosed();
  });

  it.each([
    ['no client certificate', undefined, 'CS1', /^A00\.FR\.401\/402: the station presented no client certificate$/],
    ['an expired one', expiredStationCertificate, 'CS1', /^A00\.FR\.403\/407: .*"CN=CS1" is not valid now, .*\(CERT_HAS_EXPIRED\)$/],
    ['one of another CA', strangerCertificate, 'CS1', /^A00\.FR\.403\/407: .*does not chain to a trusted root; its issuer is "CN=transport test other root"/],
    ['one whose CN is another station', otherStationCertificate, 'CS1', /^A00\.FR\.405: the client certificate's commonName "CS2" is not the station identity "CS1"/],
  ] as const)('profile 3: a station with %s is refused after a real TLS handshake, the reason naming the requirement', async (_what, certificate, stationId, reason) => {
    const target = await listen({ security: mutual });
    let reached = false;
    target.on('connection', () => (reached = true));
    const rejection = new Promise<RejectedHandshake>((resolve) => target.once('rejected', resolve));
    const error = await connectAsStation({ endpoint: target.url, stationId, versions: ['2.0.1'], security: presenting(certificate) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).handshake.responseStatus).toBe(403);
    const rejected = await rejection;
    expect(rejected.reason).toMatch(reason);
    expect(rejected.handshake.stationId).toBe(stationId);
    // The handshake that was refused is in the trace with the certificate the station presented.
    expect(rejected.handshake.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    if (certificate) expect(rejected.handshake.tls?.peerCertificate?.fingerprintSha256).toBe(new X509Certificate(certificate.certificatePem).fingerprint256);
    expect(reached).toBe(false);
  });

  it('profile 3: a station pinned to one client certificate is refused with another one, valid as it is', async () => {
    const refusals = new RefusalBook();
    const target = await listen({ security: mutual, refusals });
    const renewed = issue('CS1', stationRoot, undefined, 'client');
    refusals.pinClientCertificate('CS1', new X509Certificate(stationCertificate.certificatePem).fingerprint256);
    const rejection = new Promise<RejectedHandshake>((resolve) => target.once('rejected', resolve));
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: presenting(renewed) }).catch((e: unknown) => e);
    expect((error as HandshakeError).handshake.responseStatus).toBe(403);
    expect((await rejection).reason).toMatch(/^the client certificate "CN=CS1" \(SHA-256 [0-9A-F:]{95}\) is not the one the station is held to/);
    const ok = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: presenting(stationCertificate) });
    ok.connection.close();
  });
});

describe('TLS versions and cipher suites (A00.FR.313/318/319, A00.FR.416/421/422)', () => {
  const legacy = (security: ConnectionSecurity, legacyTls: 'only' | 'accepted' = 'only'): ConnectionSecurity => ({ ...security, legacyTls });

  it('the weakened sides really speak TLS 1.1 with each other: the refusals below are about the version', async () => {
    const target = await listen({ security: legacy(serving(server)) });
    const station = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: legacy(trusting([root.certificatePem])) });
    expect(station.connection.handshake.tls?.protocol).toBe('TLSv1.1');
    station.connection.close();
  });

  it('a lax side (a faulty reference) speaks TLS 1.1 with a weakened peer and TLS 1.2 or later with a proper one', async () => {
    const lax = await listen({ security: legacy(serving(server), 'accepted') });
    for (const [security, version] of [[legacy(trusting([root.certificatePem])), /^TLSv1\.1$/], [trusting([root.certificatePem]), /^TLSv1\.[23]$/]] as const) {
      const station = await connectAsStation({ endpoint: lax.url, stationId: 'CS1', versions: ['2.0.1'], security });
      expect(station.connection.handshake.tls?.protocol).toMatch(version);
      station.connection.close();
    }
  });

  it('as CSMS the harness refuses a station that offers only TLS 1.1, and reports why', async () => {
    const target = await listen();
    const failure = tlsFailure(target);
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: legacy(trusting([root.certificatePem])) }).catch((e: unknown) => e);
    expect((error as HandshakeError).stage).toBe('tls');
    expect((await failure).reason).toMatch(/^A00\.FR\.313\/315\/316: no TLS version in common, TLS 1\.2 or later is required \(ERR_SSL_UNSUPPORTED_PROTOCOL/);
  });

  it('as station the harness refuses a CSMS that speaks only TLS 1.1', async () => {
    const target = await listen({ security: legacy(serving(server)) });
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: trusting([root.certificatePem]) }).catch((e: unknown) => e);
    expect((error as HandshakeError).stage).toBe('tls');
    expect((error as HandshakeError).message).toMatch(/TLS handshake failed: A00\.FR\.313\/315\/316: no TLS version in common/);
  });

  it('over TLS 1.2 the server agrees only to the suites OCPP names: an RSA one is taken, ECDHE-RSA is refused', async () => {
    const target = await listen();
    const port = Number(new URL(target.url).port);
    const handshake = (ciphers: string) => new Promise<string>((resolve) => {
      const socket = connectTls({ host: '127.0.0.1', port, maxVersion: 'TLSv1.2', ciphers, ca: [root.certificatePem] }, () => {
        resolve(socket.getCipher().standardName);
        socket.destroy();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(await handshake('AES256-GCM-SHA384')).toBe('TLS_RSA_WITH_AES_256_GCM_SHA384');
    expect(await handshake('AES128-GCM-SHA256')).toBe('TLS_RSA_WITH_AES_128_GCM_SHA256');
    const failure = tlsFailure(target);
    expect(await handshake('ECDHE-RSA-AES128-GCM-SHA256')).toMatch(/ALERT_HANDSHAKE_FAILURE/);
    expect((await failure).reason).toMatch(/^A00\.FR\.318\/319: no cipher suite in common/);
  });

  it('as station the harness refuses an expired server certificate, naming the requirement', async () => {
    const target = await listen({ security: serving(expiredServer) });
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: trusting([root.certificatePem]) }).catch((e: unknown) => e);
    expect((error as HandshakeError).tlsError).toBe('CERT_HAS_EXPIRED');
    expect((error as HandshakeError).message).toMatch(/A00\.FR\.308\/310: the server certificate is not valid now/);
  });

  it('as station at profile 3 the harness refuses a server certificate of an unknown CA, naming the requirement', async () => {
    const target = await listen({ security: mutual });
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: { ...presenting(stationCertificate), trustedRoots: { server: [otherRoot.certificatePem], client: [] } } }).catch((e: unknown) => e);
    expect((error as HandshakeError).message).toMatch(/A00\.FR\.411\/413: the server certificate does not chain to a trusted root/);
  });
});

describe('presenting a bad TLS side for one handshake (A00 negative cases, harness as CSMS)', () => {
  function nextOutcome(target: OcppServer) {
    return new Promise<PresentationOutcome>((resolve) => target.once('presented', resolve));
  }

  it.each([
    ['an expired certificate', { certificate: expiredServer }, /CERT_HAS_EXPIRED/],
    ['a certificate of another root', { certificate: otherServer }, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER/],
    ['a certificate for another host', { certificate: wrongHost }, /ERR_TLS_CERT_ALTNAME_INVALID/],
    ['TLS 1.0/1.1 only', { legacyTls: 'only' as const }, /TLS|SSL|PROTOCOL|VERSION/i],
  ])('a station that refuses %s ends the connection before any upgrade request; the next handshake gets the normal side', async (label, presented, clientError) => {
    const book = new RefusalBook();
    const target = await listen({ refusals: book });
    book.present({ label, ...presented }, 1);
    const outcome = nextOutcome(target);
    const refused = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: trusting([root.certificatePem]) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HandshakeError);
    expect(`${(refused as HandshakeError).tlsError} ${(refused as HandshakeError).message}`).toMatch(clientError);
    expect(await outcome).toMatchObject({ label, refused: true });
    const admitted = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: trusting([root.certificatePem]) });
    expect(admitted.connection.handshake.tls?.peerCertificate?.subject).toBe('CN=127.0.0.1');
    admitted.connection.close();
  });

  it('a station that takes what it should refuse is named, with the TLS version it used, and turned away', async () => {
    const book = new RefusalBook();
    const target = await listen({ refusals: book });
    book.present({ label: 'TLS 1.0/1.1 only', legacyTls: 'only' }, 1);
    const outcome = nextOutcome(target);
    const lax: ConnectionSecurity = { ...trusting([root.certificatePem]), legacyTls: 'accepted' };
    const answer = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: lax }).catch((e: unknown) => e);
    expect((answer as HandshakeError).handshake.responseStatus).toBe(503);
    expect(await outcome).toMatchObject({ refused: false, reason: expect.stringMatching(/upgrade request \(GET \/CS1\) over TLSv1\.1/) });
  });
});
