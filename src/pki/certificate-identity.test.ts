import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateForCsr, certificateSummary, createCsr, keyFitsCertificate, leafCertificatePem, sha256Fingerprint, TestPki } from './index.js';

const pki = new TestPki();

describe('telling one certificate from another (A02.FR.08: the renewed one)', { timeout: 30_000 }, () => {
  it('knows a certificate by the SHA-256 fingerprint of its leaf, given as PEM or as hex in any spelling', () => {
    const { csrPem } = createCsr({ commonName: 'CS001' });
    const root = pki.certificate('csmsRoot');
    const leaf = certificateForCsr(csrPem, root);
    const fingerprint = new X509Certificate(leaf).fingerprint256;
    expect(sha256Fingerprint(leaf)).toBe(fingerprint);
    expect(sha256Fingerprint(`${leaf}\n${root.certificatePem}`)).toBe(fingerprint);
    expect(leafCertificatePem(`${leaf}\n${root.certificatePem}`)?.trim()).toBe(leaf.trim());
    expect(sha256Fingerprint(fingerprint.replace(/:/g, '').toLowerCase())).toBe(fingerprint);
    expect(sha256Fingerprint('not a certificate')).toBeUndefined();
    expect(certificateSummary(leaf)).toMatch(/^"CN=CS001", serial [0-9A-F]+, valid from \S+Z, SHA-256 [0-9A-F:]{95}$/);
  });

  it('finds the key a certificate was issued for among the keys of CSRs', () => {
    const first = createCsr({ commonName: 'CS001' });
    const second = createCsr({ commonName: 'CS001' });
    const certificate = certificateForCsr(second.csrPem, pki.certificate('csmsRoot'));
    expect(keyFitsCertificate(certificate, second.privateKeyPem)).toBe(true);
    expect(keyFitsCertificate(certificate, first.privateKeyPem)).toBe(false);
    expect(keyFitsCertificate('no certificate', second.privateKeyPem)).toBe(false);
  });
});
