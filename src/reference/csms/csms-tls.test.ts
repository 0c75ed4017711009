import { afterEach, describe, expect, it } from 'vitest';
import { issueCertificate, TestPki } from '../../pki/index.js';
import { HandshakeError, connectAsStation, type ConnectionSecurity } from '../../transport/index.js';
import { parseFault } from '../faults.js';
import { ReferenceCsms } from './reference-csms.js';

// One PKI for the file: issuing keys is the slow part.
const pki = new TestPki();
const root = pki.certificate('csmsRoot').certificatePem;
const serverCertificate = pki.serverCertificate('csmsRoot', ['127.0.0.1']);
const stationCertificate = issueCertificate({ commonName: 'CS001', issuer: pki.certificate('csmsRoot') });

let csms: ReferenceCsms | undefined;
afterEach(async () => {
  await csms?.stop();
  csms = undefined;
});

async function started(security: ConnectionSecurity, faults: string[] = []): Promise<string> {
  csms = new ReferenceCsms({ version: '2.0.1', security, faults: faults.map(parseFault) });
  return (await csms.start()).url;
}

const station = (extra: Partial<ConnectionSecurity>): ConnectionSecurity => ({ profile: 3, clientCertificate: stationCertificate, trustedRoots: { server: [root], client: [] }, ...extra });
const connect = (url: string, security: ConnectionSecurity, stationId = 'CS001') => connectAsStation({ endpoint: `${url}/ocpp`, stationId, versions: ['2.0.1'], security });

describe('reference CSMS over mutual TLS (security profile 3)', () => {
  const mutual: ConnectionSecurity = { profile: 3, serverCertificate, trustedRoots: { server: [], client: [root] } };

  it('admits the station whose certificate its root issued for that identity, and refuses it under another identity, keeping the reason (A00.FR.405)', async () => {
    const url = await started(mutual);
    const ok = await connect(url, station({}));
    expect(ok.connection.handshake.tls?.peerCertificate?.issuer).toBe('CN=ocpp-harness CSMS Root 1, O=ocpp-harness test PKI');
    ok.connection.close();
    const refused = await connect(url, station({}), 'CS002').catch((e: unknown) => e);
    expect((refused as HandshakeError).handshake.responseStatus).toBe(403);
    expect(csms!.snapshot()).toMatchObject({ refusedConnections: [{ stationId: 'CS002', reason: expect.stringMatching(/^A00\.FR\.405: /) }] });
  });

  it('refuses a station offering only TLS 1.1 (A00.FR.418), unless behaviour:accepts-old-tls', async () => {
    const url = await started(mutual);
    const refused = await connect(url, station({ legacyTls: 'only' })).catch((e: unknown) => e);
    expect((refused as HandshakeError).stage).toBe('tls');
    await csms!.stop();
    const lax = await started(mutual, ['behaviour:accepts-old-tls']);
    const ok = await connect(lax, station({ legacyTls: 'only' }));
    expect(ok.connection.handshake.tls?.protocol).toBe('TLSv1.1');
    ok.connection.close();
  });
});
