import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestPki, invalidServerCertificate } from '../../pki/index.js';
import { OcppServer, connectAsStation, type Connection, type ConnectionSecurity, type HandshakeInfo, type KeyedCertificatePem } from '../../transport/index.js';
import { stationCertificate } from '../connection-security.js';
import { tlsProblems } from './tls-judgement.js';

// Real handshakes on loopback, the certificates from the test PKI the runs use.
const pki = new TestPki();
const root = pki.certificate('csmsRoot').certificatePem;
const HOSTS = ['127.0.0.1', 'localhost'];

// RSA keys take a while on a loaded host: issued once, before the tests' own timeouts run.
beforeAll(() => {
  pki.serverCertificate('csmsRoot', HOSTS);
  stationCertificate(pki, 'CS1');
  invalidServerCertificate(pki, 'short-key', HOSTS);
}, 60_000);

const servers: OcppServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Connects a station to a CSMS serving `serverCertificate` (and, with `client`, mutual TLS); both sides' handshakes. */
async function handshakes(serverCertificate: KeyedCertificatePem, client?: KeyedCertificatePem, legacy = false): Promise<{ csms: HandshakeInfo; station: HandshakeInfo }> {
  const served: ConnectionSecurity = { profile: client ? 3 : 2, serverCertificate, trustedRoots: { server: [], client: client ? [root] : [] }, ...(legacy ? { legacyTls: 'only' as const } : {}) };
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], security: served });
  servers.push(server);
  const accepted = new Promise<Connection>((resolve) => server.once('connection', resolve));
  const security: ConnectionSecurity = { profile: client ? 3 : 2, ...(client ? { clientCertificate: client } : {}), trustedRoots: { server: [root], client: [] }, ...(legacy ? { legacyTls: 'accepted' as const } : {}) };
  const { connection } = await connectAsStation({ endpoint: server.url, stationId: 'CS1', versions: ['2.0.1'], security });
  const csmsSide = await accepted;
  connection.close();
  return { csms: connection.handshake, station: csmsSide.handshake };
}

describe('judging the TLS of a connection (TC_A_04, TC_A_07)', () => {
  it('finds nothing wrong with the harness\'s own sides, in both directions, at profile 3', async () => {
    const { csms, station } = await handshakes(pki.serverCertificate('csmsRoot', HOSTS), stationCertificate(pki, 'CS1'));
    expect(tlsProblems(csms, { peer: 'csms', profile: 3, name: '127.0.0.1' })).toEqual([]);
    expect(tlsProblems(station, { peer: 'station', profile: 3, name: 'CS1' })).toEqual([]);
    expect(tlsProblems(station, { peer: 'station', profile: 3, name: 'CS2' })).toEqual(['A00.FR.511: the client certificate\'s commonName is "CS1", not the station identity "CS2"']);
  });

  it('names the CSMS certificate\'s short key (A00.FR.502) and a commonName that is not the host reached (A00.FR.510)', async () => {
    const { csms } = await handshakes(invalidServerCertificate(pki, 'short-key', HOSTS));
    expect(tlsProblems(csms, { peer: 'csms', profile: 2, name: 'csms.example.org' })).toEqual([
      'A00.FR.502: the server certificate has an RSA key of 1024 bits, fewer than 2048',
      'A00.FR.510: the server certificate\'s commonName is "127.0.0.1", not the host the CSMS is reached by "csms.example.org"',
    ]);
  });

  it('names TLS older than 1.2 (A00.FR.313), a connection without TLS (A00.FR.312) and a station without a certificate at profile 3 (A00.FR.402)', async () => {
    const { csms, station } = await handshakes(pki.serverCertificate('csmsRoot', HOSTS), undefined, true);
    expect(tlsProblems(csms, { peer: 'csms', profile: 2, name: '127.0.0.1' })).toEqual(['A00.FR.313: it runs over TLSv1.1, not TLS 1.2 or later']);
    expect(tlsProblems(station, { peer: 'station', profile: 3, name: 'CS1' })).toEqual(['A00.FR.416: it runs over TLSv1.1, not TLS 1.2 or later', 'A00.FR.402: the station presented no certificate']);
    const { tls: _tls, ...plain } = csms;
    expect(tlsProblems(plain, { peer: 'csms', profile: 2, name: '127.0.0.1' })).toEqual(['A00.FR.312: the connection does not run over TLS']);
  });
});
