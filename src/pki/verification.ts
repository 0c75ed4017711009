import { createSign, createVerify } from 'node:crypto';
import forge from 'node-forge';

export type CertificateProblem = 'unreadable' | 'expired' | 'not-yet-valid' | 'untrusted';

/**
 * Why a certificate cannot be trusted, or undefined when it can: it parses, is inside its validity
 * window at `now`, and is one of `trustedRoots` or signed by one of them (the depth the test PKI
 * uses: roots sign leaves directly).
 */
export function certificateProblem(certificatePem: string, trustedRoots: readonly string[], now = new Date()): CertificateProblem | undefined {
  const certificate = readCertificate(certificatePem);
  if (!certificate) return 'unreadable';
  if (now < certificate.validity.notBefore) return 'not-yet-valid';
  if (now > certificate.validity.notAfter) return 'expired';
  const trusted = trustedRoots.map(readCertificate).some((root) => root !== undefined && issuedBy(certificate, root));
  return trusted ? undefined : 'untrusted';
}

/** Why a certificate offered as a new root (InstallCertificate) is unusable: unreadable or out of date. */
export function rootCertificateProblem(certificatePem: string, now = new Date()): CertificateProblem | undefined {
  const certificate = readCertificate(certificatePem);
  if (!certificate) return 'unreadable';
  if (now < certificate.validity.notBefore) return 'not-yet-valid';
  if (now > certificate.validity.notAfter) return 'expired';
  return undefined;
}

/** An RSA-SHA256 signature over `data`, base64, as OCPP's firmware `signature` field carries it. */
export function signData(data: Uint8Array, privateKeyPem: string): string {
  return createSign('sha256').update(data).sign(privateKeyPem, 'base64');
}

/** Whether `signatureBase64` is the certificate's key's RSA-SHA256 signature over `data`. */
export function verifySignature(data: Uint8Array, signatureBase64: string, certificatePem: string): boolean {
  try {
    return createVerify('sha256').update(data).verify(certificatePem, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

function readCertificate(pem: string): forge.pki.Certificate | undefined {
  try {
    return forge.pki.certificateFromPem(pem);
  } catch {
    return undefined;
  }
}

function issuedBy(certificate: forge.pki.Certificate, root: forge.pki.Certificate): boolean {
  try {
    return root.issued(certificate) && root.verify(certificate);
  } catch {
    return false;
  }
}
