import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateHashData, certificateLabel, certificateProblem, hashDataNames, openTestPki, rootCertificateProblem, sameCertificate, signData, TestPki, verifySignature } from './index.js';

// One PKI for the file: issuing keys is the slow part.
const pki = new TestPki();

/** The DER of a certificate's issuer Name, found by walking the DER with Node only (not forge). */
function issuerNameDer(pem: string): Buffer {
  const der = new X509Certificate(pem).raw;
  const header = (offset: number) => {
    const first = der[offset + 1] ?? 0;
    if (first < 0x80) return { start: offset + 2, length: first };
    const count = first & 0x7f;
    let length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (der[offset + 2 + i] ?? 0);
    return { start: offset + 2 + count, length };
  };
  const tbs = header(0).start; // Certificate SEQUENCE → tbsCertificate SEQUENCE
  let field = header(tbs).start;
  const skip = () => { const h = header(field); field = h.start + h.length; };
  if (der[field] === 0xa0) skip(); // [0] version
  skip(); // serialNumber
  skip(); // signature AlgorithmIdentifier
  const issuer = header(field);
  return der.subarray(field, issuer.start + issuer.length);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('test PKI', () => {
  it('computes OCPP hash data the way an independent DER reading does (M03.FR.04 fields)', () => {
    const root = pki.certificate('manufacturerRoot').certificatePem;
    const leaf = pki.certificate('firmwareSigning').certificatePem;
    const rootKey = new X509Certificate(root).publicKey.export({ type: 'pkcs1', format: 'der' });

    const hashData = pki.hashData('firmwareSigning');
    expect(hashData.hashAlgorithm).toBe('SHA256');
    expect(hashData.issuerNameHash).toBe(sha256(issuerNameDer(leaf)));
    expect(hashData.issuerKeyHash).toBe(sha256(rootKey));
    expect(hashData.serialNumber).toBe(new X509Certificate(leaf).serialNumber.toLowerCase().replace(/^0+/, ''));
    // A root is its own issuer.
    expect(pki.hashData('manufacturerRoot').issuerKeyHash).toBe(hashData.issuerKeyHash);
    expect(certificateHashData(root, root, 'SHA384').issuerKeyHash).toHaveLength(96);
  });

  it('tells certificates apart by hash data, ignoring hex case and leading zeroes', () => {
    const root1 = pki.hashData('csmsRoot');
    const root2 = pki.hashData('csmsRoot2');
    expect(sameCertificate(root1, { ...root1, serialNumber: `00${root1.serialNumber.toUpperCase()}` })).toBe(true);
    expect(sameCertificate(root1, root2)).toBe(false);
    expect(sameCertificate(root1, { ...root1, hashAlgorithm: 'SHA512' })).toBe(false);
  });

  it('recognises reported hash data in whichever algorithm they state, and names certificates for people', () => {
    const root = pki.certificate('csmsRoot2').certificatePem;
    const sha512 = certificateHashData(root, root, 'SHA512');
    expect(hashDataNames(pki.hashData('csmsRoot2'), root)).toBe(true);
    expect(hashDataNames({ ...sha512, issuerKeyHash: sha512.issuerKeyHash.toUpperCase() }, root)).toBe(true);
    expect(hashDataNames(pki.hashData('csmsRoot'), root)).toBe(false);
    expect(hashDataNames({ ...sha512, hashAlgorithm: 'SHA384' }, root)).toBe(false);
    expect(hashDataNames({ ...sha512, hashAlgorithm: 'MD5' }, root)).toBe(false);
    expect(hashDataNames('SHA256', root)).toBe(false);
    expect(hashDataNames(pki.hashData('csmsRoot2'), 'not a certificate')).toBe(false);
    expect(certificateLabel(root)).toBe(`"ocpp-harness CSMS Root 2" (serial ${pki.hashData('csmsRoot2').serialNumber})`);
    expect(certificateLabel('not a certificate')).toBeUndefined();
  });

  it('trusts a leaf only through an installed root, and rejects expired or unreadable certificates', () => {
    const manufacturerRoot = pki.certificate('manufacturerRoot').certificatePem;
    expect(certificateProblem(pki.certificate('firmwareSigning').certificatePem, [manufacturerRoot])).toBeUndefined();
    expect(certificateProblem(pki.certificate('untrustedFirmwareSigning').certificatePem, [manufacturerRoot])).toBe('untrusted');
    expect(certificateProblem(pki.certificate('firmwareSigning').certificatePem, [])).toBe('untrusted');
    expect(rootCertificateProblem(pki.certificate('expiredRoot').certificatePem)).toBe('expired');
    expect(rootCertificateProblem('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n')).toBe('unreadable');
    expect(rootCertificateProblem(pki.certificate('csmsRoot2').certificatePem)).toBeUndefined();
  });

  it('signs firmware so that only the signing certificate verifies it', () => {
    const image = Buffer.from('firmware image');
    const signature = signData(image, pki.certificate('firmwareSigning').privateKeyPem);
    expect(verifySignature(image, signature, pki.certificate('firmwareSigning').certificatePem)).toBe(true);
    expect(verifySignature(Buffer.from('another image'), signature, pki.certificate('firmwareSigning').certificatePem)).toBe(false);
    expect(verifySignature(image, signature, pki.certificate('untrustedFirmwareSigning').certificatePem)).toBe(false);
    expect(verifySignature(image, 'not base64 at all', pki.certificate('firmwareSigning').certificatePem)).toBe(false);
  });

  it('signs firmware in RSA-PSS (1.6 security whitepaper L01.FR.04), which a PKCS#1 v1.5 check does not take', () => {
    const image = Buffer.from('firmware image');
    const { privateKeyPem, certificatePem } = pki.certificate('firmwareSigning');
    const pss = signData(image, privateKeyPem, 'pss');
    expect(verifySignature(image, pss, certificatePem, 'pss')).toBe(true);
    expect(verifySignature(image, pss, certificatePem)).toBe(false);
    expect(verifySignature(image, signData(image, privateKeyPem), certificatePem, 'pss')).toBe(false);
    expect(verifySignature(Buffer.from('another image'), pss, certificatePem, 'pss')).toBe(false);
  });

  it('keeps a PKI in a directory: what is there is reused, what is missing is issued and written at once', () => {
    const directory = mkdtempSync(join(tmpdir(), 'oh-pki-dir-'));
    const first = openTestPki(directory);
    const root = first.certificate('manufacturerRoot');
    const signing = first.certificate('firmwareSigning');
    expect(readdirSync(directory).sort()).toEqual(['firmwareSigning.key.pem', 'firmwareSigning.pem', 'manufacturerRoot.key.pem', 'manufacturerRoot.pem']);
    const again = openTestPki(directory);
    expect(again.certificate('manufacturerRoot')).toEqual(root);
    expect(again.certificate('firmwareSigning')).toEqual(signing);
    // Without its issuer a leaf is issued anew, so that it still chains to the (new) root.
    unlinkSync(join(directory, 'manufacturerRoot.pem'));
    const partial = openTestPki(directory);
    expect(partial.certificate('firmwareSigning').certificatePem).not.toBe(signing.certificatePem);
    expect(certificateProblem(partial.certificate('firmwareSigning').certificatePem, [partial.certificate('manufacturerRoot').certificatePem])).toBeUndefined();
  });

  it('offers templates lazy certificates and signatures, and writes what it issued', () => {
    const fresh = new TestPki();
    const image = Buffer.from('image');
    const view = fresh.templateView(image, Buffer.from('uninstallable image')) as Record<string, { pem: string } & Record<string, unknown>>;
    expect(fresh.writeCertificates(mkdtempSync(join(tmpdir(), 'oh-pki-')))).toEqual([]);
    expect(view.csmsRoot?.pem).toContain('BEGIN CERTIFICATE');
    const signature = view.firmwareSignature as unknown as string;
    expect(verifySignature(image, signature, fresh.certificate('firmwareSigning').certificatePem)).toBe(true);
    expect(verifySignature(image, view.invalidFirmwareSignature as unknown as string, fresh.certificate('firmwareSigning').certificatePem)).toBe(false);
    expect(verifySignature(Buffer.from('uninstallable image'), view.uninstallableFirmwareSignature as unknown as string, fresh.certificate('firmwareSigning').certificatePem)).toBe(true);
    const directory = mkdtempSync(join(tmpdir(), 'oh-pki-'));
    fresh.writeCertificates(directory);
    expect(readdirSync(directory).sort()).toEqual(['csmsRoot.pem', 'firmwareSigning.pem', 'manufacturerRoot.pem', 'unknownRoot.pem', 'untrustedFirmwareSigning.pem']);
  });

  it('issues TLS server certificates per root and hosts: subjectAltName, serverAuth, signed by the root, memoized and written', () => {
    const fresh = new TestPki();
    const issued = fresh.serverCertificate('csmsRoot2', ['localhost', '127.0.0.1', '::1']);
    const certificate = new X509Certificate(issued.certificatePem);
    // Read by Node, not forge: what a TLS peer will see.
    expect(certificate.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(certificate.subject).toContain('CN=localhost');
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkHost('example.org')).toBeUndefined();
    expect(certificate.ca).toBe(false);
    expect(certificate.verify(new X509Certificate(fresh.certificate('csmsRoot2').certificatePem).publicKey)).toBe(true);
    expect(certificate.verify(new X509Certificate(pki.certificate('csmsRoot').certificatePem).publicKey)).toBe(false);
    expect(fresh.serverCertificate('csmsRoot2', ['localhost', '127.0.0.1', '::1'])).toBe(issued);
    expect(() => fresh.serverCertificate('csmsRoot', [])).toThrow('at least one host');
    const directory = mkdtempSync(join(tmpdir(), 'oh-pki-'));
    fresh.writeCertificates(directory);
    expect(readdirSync(directory).sort()).toEqual(['csmsRoot2-server.pem', 'csmsRoot2.pem']);
  });
});
