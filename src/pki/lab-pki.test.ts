import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateProblem, describeLabPki, initLabPki, issueLabCertificate, openTestPki } from './index.js';

// One lab PKI for the file: issuing some twenty keys is the slow part.
let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'oh-lab-pki-'));
  initLabPki(directory, { hosts: ['csms.lab.example'], stations: ['CS-LAB-1'], operator: 'Lab Operator' });
}, 120_000);

const read = (name: string) => readFileSync(join(directory, `${name}.pem`), 'utf8');
const keyOf = (name: string) => readFileSync(join(directory, `${name}.key.pem`), 'utf8');

/**
 * A real TLS handshake on loopback: the server presents `serverName`'s certificate, the client
 * trusts `root` and connects to `host`. Resolves with the client's verification error code, or
 * 'ok'.
 */
async function handshake(serverName: string, root: string, host = 'localhost', clientName?: string): Promise<{ client: string; serverSawClient?: boolean }> {
  const server = createServer({
    cert: read(serverName), key: keyOf(serverName),
    ...(clientName ? { requestCert: true, rejectUnauthorized: false, ca: [read('csmsRoot'), read('csmsRootEcdsa')] } : {}),
  });
  let serverSawClient: boolean | undefined;
  server.on('secureConnection', (socket) => {
    serverSawClient = socket.authorized;
    socket.end();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const client = await new Promise<string>((resolve) => {
      const socket = connect({
        host: '127.0.0.1', port, servername: host, ca: [read(root)],
        ...(clientName ? { cert: read(clientName), key: keyOf(clientName) } : {}),
      });
      socket.once('secureConnect', () => {
        socket.once('close', () => resolve('ok'));
        socket.resume();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    return { client, ...(serverSawClient === undefined ? {} : { serverSawClient }) };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

// Key generation and handshakes on a 2-core host shared with other test files take seconds.
describe('lab PKI (certs init, show, issue)', { timeout: 60_000 }, () => {
  it('creates the roots, server, station and firmware certificates and the invalid variants, keys with mode 0600', () => {
    const files = readdirSync(directory).sort();
    const certificates = files.filter((file) => !file.endsWith('.key.pem'));
    expect(certificates).toEqual([
      'csmsRoot.pem', 'csmsRootEcdsa.pem', 'csmsServer-ecdsa.pem', 'csmsServer.pem', 'firmwareSigning.pem',
      ...['cn-mismatch', 'expired', 'not-yet-valid', 'short-key', 'unknown-ca', 'wrong-key-usage'].flatMap((variant) => [`invalid-server-${variant}.pem`, `invalid-station-${variant}.pem`]).sort(),
      'manufacturerRoot.pem', 'station-CS-LAB-1-ecdsa.pem', 'station-CS-LAB-1.pem', 'unknownRoot.pem', 'v2gRoot.pem',
    ].sort());
    for (const certificate of certificates) {
      const key = join(directory, certificate.replace(/\.pem$/, '.key.pem'));
      expect(statSync(key).mode & 0o777, key).toBe(0o600);
    }
  });

  it('issues station certificates with CN = identity and O = operator, in both key families, trusted through their root', () => {
    const rsa = new X509Certificate(read('station-CS-LAB-1'));
    const ecdsa = new X509Certificate(read('station-CS-LAB-1-ecdsa'));
    expect(rsa.subject).toBe('CN=CS-LAB-1\nO=Lab Operator');
    expect(ecdsa.subject).toBe('CN=CS-LAB-1\nO=Lab Operator');
    expect(rsa.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(ecdsa.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // A00.FR.514: no extended key usage on a station certificate.
    expect(rsa.keyUsage).toBeUndefined();
    expect(certificateProblem(read('station-CS-LAB-1-ecdsa'), [read('csmsRootEcdsa')])).toBeUndefined();
    expect(certificateProblem(read('station-CS-LAB-1-ecdsa'), [read('csmsRoot')])).toBe('untrusted');
    expect(new X509Certificate(read('csmsServer')).subjectAltName).toBe('DNS:csms.lab.example, DNS:localhost, IP Address:127.0.0.1');
  });

  it('serves real TLS handshakes with the valid server certificates of both families and fails each invalid one', async () => {
    expect((await handshake('csmsServer', 'csmsRoot')).client).toBe('ok');
    expect((await handshake('csmsServer-ecdsa', 'csmsRootEcdsa', 'csms.lab.example')).client).toBe('ok');
    expect((await handshake('csmsServer-ecdsa', 'csmsRoot')).client).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect((await handshake('invalid-server-expired', 'csmsRoot')).client).toBe('CERT_HAS_EXPIRED');
    expect((await handshake('invalid-server-not-yet-valid', 'csmsRoot')).client).toBe('CERT_NOT_YET_VALID');
    expect((await handshake('invalid-server-unknown-ca', 'csmsRoot')).client).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect((await handshake('invalid-server-cn-mismatch', 'csmsRoot')).client).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(new X509Certificate(read('invalid-server-short-key')).publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
  });

  it('gives a mutual-TLS server the station certificate as client certificate (profile 3), and a station certificate of an unknown CA is not authorized', async () => {
    expect(await handshake('csmsServer', 'csmsRoot', 'localhost', 'station-CS-LAB-1')).toEqual({ client: 'ok', serverSawClient: true });
    expect(await handshake('csmsServer', 'csmsRoot', 'localhost', 'station-CS-LAB-1-ecdsa')).toEqual({ client: 'ok', serverSawClient: true });
    expect(await handshake('csmsServer', 'csmsRoot', 'localhost', 'invalid-station-unknown-ca')).toEqual({ client: 'ok', serverSawClient: false });
    expect(await handshake('csmsServer', 'csmsRoot', 'localhost', 'invalid-station-expired')).toEqual({ client: 'ok', serverSawClient: false });
  });

  it('lists every certificate with subject, issuer, validity, key, fingerprint and purpose, and never a key', () => {
    const listed = describeLabPki(directory, new Date());
    expect(listed).toHaveLength(22);
    expect(listed[0]?.file).toBe('csmsRoot.pem');
    const server = listed.find((entry) => entry.file === 'csmsServer-ecdsa.pem')!;
    expect(server).toMatchObject({ subject: 'CN=csms.lab.example, O=ocpp-harness test PKI', issuer: 'CN=ocpp-harness CSMS Root ECDSA, O=ocpp-harness test PKI', state: 'valid', key: 'ECDSA P-256', keyFile: { name: 'csmsServer-ecdsa.key.pem', mode: '0600' } });
    expect(server.sha256).toBe(new X509Certificate(read('csmsServer-ecdsa')).fingerprint256);
    expect(server.purpose).toContain('TLS server');
    expect(listed.find((entry) => entry.file === 'invalid-station-expired.pem')).toMatchObject({ state: 'expired', purpose: 'invalid station certificate (expired): for negative tests' });
    expect(listed.find((entry) => entry.file === 'invalid-station-not-yet-valid.pem')?.state).toBe('not yet valid');
    expect(listed.find((entry) => entry.file === 'invalid-station-short-key.pem')?.key).toBe('RSA 1024 bits');
    expect(JSON.stringify(listed)).not.toContain('PRIVATE KEY');
  });

  it('keeps what is there on a second init, issues more certificates from the same roots, and is the run\'s --pki folder', () => {
    const root = read('csmsRoot');
    const station = read('station-CS-LAB-1');
    const again = initLabPki(directory, { stations: ['CS-LAB-1'] });
    expect(again.every((file) => file.status === 'kept')).toBe(true);
    expect(read('csmsRoot')).toBe(root);
    expect(read('station-CS-LAB-1')).toBe(station);
    expect(issueLabCertificate(directory, { kind: 'station', identity: 'CS-LAB-2', operator: 'Lab Operator' }, 'ECDSA-P256').status).toBe('issued');
    expect(new X509Certificate(read('station-CS-LAB-2-ecdsa')).checkIssued(new X509Certificate(read('csmsRootEcdsa')))).toBe(true);
    expect(issueLabCertificate(directory, { kind: 'station', identity: 'CS-LAB-2' }, 'ECDSA-P256').status).toBe('kept');
    expect(issueLabCertificate(directory, { kind: 'server', hosts: ['10.0.0.5'] }).name).toBe('csmsServer-10.0.0.5');
    expect(new X509Certificate(read('csmsServer-10.0.0.5')).checkIP('10.0.0.5')).toBe('10.0.0.5');
    // The roots are the run's: a run with --pki on this folder serves a certificate they issued.
    expect(openTestPki(directory).certificate('csmsRoot').certificatePem).toBe(root);
    expect(() => issueLabCertificate(mkdtempSync(join(tmpdir(), 'oh-lab-empty-')), { kind: 'station', identity: 'X' })).toThrow(/no lab PKI there.*certs init/);
  });
});
