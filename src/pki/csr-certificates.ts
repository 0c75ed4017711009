import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { distinguishedName, TEST_PKI_ORGANIZATION, type KeyedCertificate } from './certificate-factory.js';
import { checkCsr, signCsr, type CertificateSigningRequest } from './csr.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The certificates a test can give for a station's CSR: `valid` (the CSR's subject and key, signed
 * by the issuer), and the invalid ones a station must discard (A02.FR.07, A03.FR.07): `expired`,
 * `notYetValid`, `otherCommonName` (a CN that is not the station's identity, A00.FR.511) and
 * `otherKey` (the CSR's subject on a key the station does not hold). An unknown CA is the issuer's choice.
 */
export const CSR_CERTIFICATE_VARIANTS = ['valid', 'expired', 'notYetValid', 'otherCommonName', 'otherKey'] as const;
export type CsrCertificateVariant = (typeof CSR_CERTIFICATE_VARIANTS)[number];

/** A CSR that cannot be signed: unreadable, or its signature does not verify. */
export class UnsignableCsrError extends Error {
  constructor(reason: string) {
    super(`the CSR cannot be signed: ${reason}`);
    this.name = 'UnsignableCsrError';
  }
}

/** The PEM certificate `issuer` gives the CSR, in the variant asked for. */
export function certificateForCsr(csrPem: string, issuer: KeyedCertificate, variant: CsrCertificateVariant = 'valid'): string {
  const request = readableRequest(csrPem);
  const now = Date.now();
  switch (variant) {
    case 'valid':
      return signCsr(request, issuer);
    case 'expired':
      return signCsr(request, issuer, { notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now - DAY_MS) });
    case 'notYetValid':
      return signCsr(request, issuer, { notBefore: new Date(now + 30 * DAY_MS), notAfter: new Date(now + 365 * DAY_MS) });
    case 'otherCommonName':
      return signCsr({ ...request, subject: distinguishedName(`${request.commonName ?? 'station'}-OTHER`, request.organization ?? TEST_PKI_ORGANIZATION) }, issuer);
    case 'otherKey':
      return signCsr({ ...request, publicKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey }, issuer);
  }
}

/**
 * Why a certificate chain does not answer a CSR, or undefined when its first certificate (the
 * leaf, A02.FR.08) has the CSR's public key and the subject CN the CSR asked for.
 */
export function csrAnswerProblem(certificateChainPem: string, csrPem: string): string | undefined {
  const request = readableRequest(csrPem);
  const leaf = firstCertificate(certificateChainPem);
  if (!leaf) return 'no readable PEM certificate';
  if (!leaf.publicKey.equals(request.publicKey)) return 'the certificate is for another key than the CSR\'s';
  const commonName = /^CN=(.*)$/m.exec(leaf.subject)?.[1];
  if (commonName !== request.commonName) return `the certificate's CN is ${commonName === undefined ? 'missing' : `"${commonName}"`}, the CSR asked for "${request.commonName ?? ''}"`;
  return undefined;
}

function readableRequest(csrPem: string): CertificateSigningRequest {
  const check = checkCsr(csrPem);
  if (!check.ok) throw new UnsignableCsrError(`${check.reason} (${check.requirement})`);
  return check.request;
}

function firstCertificate(chainPem: string): X509Certificate | undefined {
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chainPem)?.[0];
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}
