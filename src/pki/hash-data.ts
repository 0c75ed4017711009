import { createHash, X509Certificate } from 'node:crypto';
import { bitStringBytes, certificateFields, children, encodeDer } from './der.js';

/** OCPP 2.0.1 CertificateHashDataType (Part 2 §2.6). */
export interface CertificateHashData {
  hashAlgorithm: HashAlgorithm;
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
}

export type HashAlgorithm = 'SHA256' | 'SHA384' | 'SHA512';

const NODE_DIGEST: Record<HashAlgorithm, string> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

/**
 * The hash data identifying a certificate, as OCPP 2.0.1 defines it (the fields of an OCSP CertID,
 * RFC 6960): the hash of the DER-encoded issuer name, the hash of the issuer's public key (the
 * subjectPublicKey bits), and the serial number in hexadecimal without leading zeroes. A root is
 * its own issuer, so `issuerPem` defaults to the certificate itself.
 */
export function certificateHashData(certificatePem: string, issuerPem = certificatePem, hashAlgorithm: HashAlgorithm = 'SHA256'): CertificateHashData {
  const issuerNameDer = encodeDer(certificateFields(certificatePem).issuer);
  // The subjectPublicKey bits: for RSA the DER of RSAPublicKey, for ECDSA the curve point.
  const issuerKey = bitStringBytes(children(certificateFields(issuerPem).subjectPublicKeyInfo)[1]!);
  return {
    hashAlgorithm,
    issuerNameHash: digestHex(hashAlgorithm, issuerNameDer),
    issuerKeyHash: digestHex(hashAlgorithm, issuerKey),
    serialNumber: new X509Certificate(certificatePem).serialNumber.replace(/^0+(?=.)/, '').toLowerCase(),
  };
}

/** Two hash data name the same certificate: algorithm equal, hex compared case-insensitively. */
export function sameCertificate(a: CertificateHashData, b: CertificateHashData): boolean {
  const hex = (text: string) => text.toLowerCase().replace(/^0+(?=.)/, '');
  return a.hashAlgorithm === b.hashAlgorithm
    && hex(a.issuerNameHash) === hex(b.issuerNameHash)
    && hex(a.issuerKeyHash) === hex(b.issuerKeyHash)
    && hex(a.serialNumber) === hex(b.serialNumber);
}

/**
 * Whether hash data a peer reported (e.g. a GetInstalledCertificateIdsResponse entry) name this
 * certificate: computed in the hash algorithm they state, so a station that reports SHA384 is
 * judged by SHA384. False for anything that is not hash data, or an unreadable certificate.
 */
export function hashDataNames(reported: unknown, certificatePem: string, issuerPem = certificatePem): boolean {
  if (typeof reported !== 'object' || reported === null) return false;
  const candidate = reported as Partial<Record<keyof CertificateHashData, unknown>>;
  const algorithm = candidate.hashAlgorithm;
  if (typeof algorithm !== 'string' || !Object.hasOwn(NODE_DIGEST, algorithm)) return false;
  if (![candidate.issuerNameHash, candidate.issuerKeyHash, candidate.serialNumber].every((field) => typeof field === 'string')) return false;
  try {
    return sameCertificate(certificateHashData(certificatePem, issuerPem, algorithm as HashAlgorithm), candidate as CertificateHashData);
  } catch {
    return false;
  }
}

/** A certificate named for people, e.g. `"ocpp-harness CSMS Root 2" (serial 4f1c…)`; undefined when it cannot be read. */
export function certificateLabel(certificatePem: string): string | undefined {
  try {
    const certificate = new X509Certificate(certificatePem);
    const commonName = /^CN=(.*)$/m.exec(certificate.subject)?.[1];
    const serial = certificate.serialNumber.replace(/^0+(?=.)/, '').toLowerCase();
    return `${commonName ? `"${commonName}"` : 'a certificate'} (serial ${serial})`;
  } catch {
    return undefined;
  }
}

function digestHex(algorithm: HashAlgorithm, bytes: Buffer): string {
  return createHash(NODE_DIGEST[algorithm]).update(bytes).digest('hex');
}
