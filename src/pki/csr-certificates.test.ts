import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateForCsr, certificateProblem, createCsr, csrAnswerProblem, TestPki, UnsignableCsrError } from './index.js';

const pki = new TestPki();
const station = { commonName: 'CS001', organization: 'Lab Operator' };

describe('certificates for a station\'s CSR, valid and invalid (A02.FR.06/07)', { timeout: 30_000 }, () => {
  it('gives the CSR\'s subject and key a certificate the CSMS root vouches for, and lists what makes the others invalid', () => {
    const { csrPem } = createCsr(station);
    const root = pki.certificate('csmsRoot');
    const trusted = [root.certificatePem];
    const valid = certificateForCsr(csrPem, root);
    expect(certificateProblem(valid, trusted)).toBeUndefined();
    expect(csrAnswerProblem(valid, csrPem)).toBeUndefined();
    expect(new X509Certificate(valid).subject).toBe('CN=CS001\nO=Lab Operator');

    expect(certificateProblem(certificateForCsr(csrPem, pki.certificate('unknownRoot')), trusted)).toBe('untrusted');
    expect(certificateProblem(certificateForCsr(csrPem, root, 'expired'), trusted)).toBe('expired');
    expect(certificateProblem(certificateForCsr(csrPem, root, 'notYetValid'), trusted)).toBe('not-yet-valid');

    const otherName = certificateForCsr(csrPem, root, 'otherCommonName');
    expect(certificateProblem(otherName, trusted)).toBeUndefined();
    expect(csrAnswerProblem(otherName, csrPem)).toBe('the certificate\'s CN is "CS001-OTHER", the CSR asked for "CS001"');
    const otherKey = certificateForCsr(csrPem, root, 'otherKey');
    expect(new X509Certificate(otherKey).subject).toBe('CN=CS001\nO=Lab Operator');
    expect(csrAnswerProblem(otherKey, csrPem)).toBe('the certificate is for another key than the CSR\'s');
  });

  it('reads the leaf of a chain, and says when there is no certificate', () => {
    const { csrPem } = createCsr(station, 'ECDSA-P256');
    const leaf = certificateForCsr(csrPem, pki.certificate('csmsRoot'));
    expect(csrAnswerProblem(`${leaf}\n${pki.certificate('csmsRoot').certificatePem}`, csrPem)).toBeUndefined();
    expect(csrAnswerProblem(`${pki.certificate('csmsRoot').certificatePem}\n${leaf}`, csrPem)).toMatch(/another key/);
    expect(csrAnswerProblem('not a certificate', csrPem)).toBe('no readable PEM certificate');
  });

  it('refuses to sign a CSR that is no CSR or whose signature fails', () => {
    expect(() => certificateForCsr('hello', pki.certificate('csmsRoot'))).toThrow(UnsignableCsrError);
    const forged = createCsr(station, 'RSA-2048', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect(() => certificateForCsr(forged.csrPem, pki.certificate('csmsRoot'))).toThrow(/signature does not verify/);
  });
});
