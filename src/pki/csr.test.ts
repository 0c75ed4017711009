import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateProblem, checkCsr, createCsr, createCsrInBackground, signCsr, TestPki, type CsrCheck } from './index.js';

const pki = new TestPki();
const station = { commonName: 'CS001', organization: 'Lab Operator' };

function refusal(check: CsrCheck): { reason: string; requirement: string } | undefined {
  return check.ok ? undefined : { reason: check.reason, requirement: check.requirement };
}

describe('CSR check and signing (SignCertificate → CertificateSigned, A02/A03)', { timeout: 30_000 }, () => {
  it('accepts a CSR of the station with an RSA-2048 or ECDSA P-256 key and signs it: same subject and key, issued by the CSMS root', () => {
    for (const algorithm of ['RSA-2048', 'ECDSA-P256'] as const) {
      const { csrPem, privateKeyPem } = createCsr(station, algorithm);
      const check = checkCsr(csrPem, station);
      expect(check.ok, algorithm).toBe(true);
      if (!check.ok) continue;
      const certificatePem = signCsr(check.request, pki.certificate('csmsRoot'));
      const certificate = new X509Certificate(certificatePem);
      expect(certificate.subject).toBe('CN=CS001\nO=Lab Operator');
      expect(certificate.checkPrivateKey(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey)).toBe(false);
      // The key in the certificate is the station's, whose private key never left it (A02.FR.05).
      expect(certificate.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
      expect(certificateProblem(certificatePem, [pki.certificate('csmsRoot').certificatePem])).toBeUndefined();
      expect(certificate.ca).toBe(false);
    }
  });

  it('makes the same CSR with a key generated off the event loop (a station sharing its process)', async () => {
    const { csrPem, privateKeyPem } = await createCsrInBackground(station);
    const check = checkCsr(csrPem, station);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.request.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new X509Certificate(signCsr(check.request, pki.certificate('csmsRoot'))).checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
  });

  it('refuses a CSR whose CN is not the station identity (A00.FR.511) or whose O is not the operator (A00.FR.509)', () => {
    expect(refusal(checkCsr(createCsr({ ...station, commonName: 'CS999' }).csrPem, station))).toEqual({ reason: 'subject CN is "CS999", not the station\'s identity "CS001"', requirement: 'A00.FR.511' });
    expect(refusal(checkCsr(createCsr({ commonName: 'CS001' }).csrPem, station))).toEqual({ reason: 'subject O is missing, not the operator "Lab Operator"', requirement: 'A00.FR.509' });
    expect(refusal(checkCsr(createCsr({ ...station, organization: 'Someone Else' }).csrPem, station))?.requirement).toBe('A00.FR.509');
  });

  it('refuses an RSA key shorter than 2048 bits (A00.FR.502)', () => {
    expect(refusal(checkCsr(createCsr(station, 'RSA-1024').csrPem, station))).toEqual({ reason: 'RSA key of 1024 bits, fewer than 2048', requirement: 'A00.FR.502' });
  });

  it('refuses a CSR whose signature its own key does not verify, and text that is no CSR', () => {
    const forged = createCsr(station, 'RSA-2048', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect(refusal(checkCsr(forged.csrPem, station))).toEqual({ reason: 'the signature does not verify with the request\'s own public key', requirement: 'A02.FR.03' });
    const certificateInstead = pki.certificate('csmsRoot').certificatePem;
    expect(refusal(checkCsr(certificateInstead, station))?.requirement).toBe('A02.FR.03');
    expect(refusal(checkCsr('-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n'))?.reason).toContain('not a PEM encoded PKCS#10');
    // One flipped byte in the subject: the signature no longer covers what is there.
    const { csrPem } = createCsr(station);
    const body = Buffer.from(csrPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const at = body.indexOf(Buffer.from('CS001'));
    body[at] = 'X'.charCodeAt(0);
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${body.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(refusal(checkCsr(tampered))?.requirement).toBe('A02.FR.03');
  });

  it('checks no subject when none is expected (a V2G certificate request names the SECC, not the station)', () => {
    expect(checkCsr(createCsr({ commonName: 'SECC-1' }, 'ECDSA-P256').csrPem).ok).toBe(true);
  });
});

