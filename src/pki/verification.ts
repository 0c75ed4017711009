import { constants, createSign, createVerify, X509Certificate } from 'node:crypto';

/**
 * How a firmware signature is made: `pkcs1` is SHA256withRSA (PKCS#1 v1.5, what OCPP 2.0.1 L01
 * tools use), `pss` RSA-PSS with SHA-256 and a salt as long as the digest, which the 1.6 security
 * whitepaper prescribes (L01.FR.04). An EC key signs ECDSA either way.
 */
export type SignatureScheme = 'pkcs1' | 'pss';

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };

export type CertificateProblem = 'unreadable' | 'expired' | 'not-yet-valid' | 'untrusted';

/**
 * Why a certificate cannot be trusted, or undefined when it can: it parses, is inside its validity
 * window at `now`, and is one of `trustedRoots` or signed by one of them (the depth the test PKI
 * uses: roots sign leaves directly).
 */
export function certificateProblem(certificatePem: string, trustedRoots: readonly string[], now = new Date()): CertificateProblem | undefined {
  const certificate = readCertificate(certificatePem);
  if (!certificate) return 'unreadable';
  const window = validityOf(certificate);
  if (now < window.notBefore) return 'not-yet-valid';
  if (now > window.notAfter) return 'expired';
  const trusted = trustedRoots.map(readCertificate).some((root) => root !== undefined && issuedBy(certificate, root));
  return trusted ? undefined : 'untrusted';
}

/** Why a certificate offered as a new root (InstallCertificate) is unusable: unreadable or out of date. */
export function rootCertificateProblem(certificatePem: string, now = new Date()): CertificateProblem | undefined {
  const certificate = readCertificate(certificatePem);
  if (!certificate) return 'unreadable';
  const window = validityOf(certificate);
  if (now < window.notBefore) return 'not-yet-valid';
  if (now > window.notAfter) return 'expired';
  return undefined;
}

/** A SHA-256 signature (RSA PKCS#1 v1.5 or RSA-PSS by `scheme`, or ECDSA for an EC key) over `data`, base64, as OCPP's firmware `signature` field carries it. */
export function signData(data: Uint8Array, privateKeyPem: string, scheme: SignatureScheme = 'pkcs1'): string {
  const key = scheme === 'pss' ? { key: privateKeyPem, ...PSS } : privateKeyPem;
  return createSign('sha256').update(data).sign(key, 'base64');
}

/** Whether `signatureBase64` is the certificate's key's SHA-256 signature over `data`, made by `scheme`. */
export function verifySignature(data: Uint8Array, signatureBase64: string, certificatePem: string, scheme: SignatureScheme = 'pkcs1'): boolean {
  try {
    const key = scheme === 'pss' ? { key: certificatePem, ...PSS } : certificatePem;
    return createVerify('sha256').update(data).verify(key, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

/** A certificate's validity window (RFC 5280 §4.1.2.5). */
export function validityOf(certificate: X509Certificate): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
}

function readCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

// Node reads RSA and ECDSA certificates alike: the issuer's name matches and its key verifies the signature.
function issuedBy(certificate: X509Certificate, root: X509Certificate): boolean {
  try {
    return certificate.checkIssued(root) && certificate.verify(root.publicKey);
  } catch {
    return false;
  }
}
