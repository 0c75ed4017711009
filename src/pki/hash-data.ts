import { createHash } from 'node:crypto';
import forge from 'node-forge';

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
  const certificate = forge.pki.certificateFromPem(certificatePem);
  const issuer = forge.pki.certificateFromPem(issuerPem);
  const issuerNameDer = forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(certificate.issuer)).getBytes();
  // For RSA the subjectPublicKey BIT STRING holds exactly the DER of the RSAPublicKey structure.
  const issuerKeyDer = forge.asn1.toDer(forge.pki.publicKeyToRSAPublicKey(issuer.publicKey as forge.pki.rsa.PublicKey)).getBytes();
  return {
    hashAlgorithm,
    issuerNameHash: digestHex(hashAlgorithm, issuerNameDer),
    issuerKeyHash: digestHex(hashAlgorithm, issuerKeyDer),
    serialNumber: certificate.serialNumber.replace(/^0+(?=.)/, '').toLowerCase(),
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

function digestHex(algorithm: HashAlgorithm, binary: string): string {
  return createHash(NODE_DIGEST[algorithm]).update(Buffer.from(binary, 'binary')).digest('hex');
}
