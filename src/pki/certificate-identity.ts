import { createPublicKey, X509Certificate } from 'node:crypto';

/** The first certificate of a PEM chain: the leaf, the one a TLS peer presents as its own. */
export function leafCertificatePem(chainPem: string): string | undefined {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chainPem)?.[0];
}

/**
 * The SHA-256 fingerprint a certificate is known by in traces (upper-case hex pairs joined by
 * colons, as OpenSSL prints it): of the leaf of a PEM chain, or a fingerprint given as 64 hex
 * digits in any case, with or without colons. Undefined when the text is neither.
 */
export function sha256Fingerprint(pemOrFingerprint: string): string | undefined {
  const leaf = leafCertificatePem(pemOrFingerprint);
  if (leaf) {
    try {
      return new X509Certificate(leaf).fingerprint256;
    } catch {
      return undefined;
    }
  }
  const hex = pemOrFingerprint.trim().replace(/:/g, '').toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex.match(/../g)!.join(':') : undefined;
}

/** True when the private key (PEM) is the key of the chain's leaf certificate. */
export function keyFitsCertificate(chainPem: string, privateKeyPem: string): boolean {
  const leaf = leafCertificatePem(chainPem);
  if (!leaf) return false;
  try {
    return new X509Certificate(leaf).publicKey.equals(createPublicKey(privateKeyPem));
  } catch {
    return false;
  }
}

/** A certificate as a verdict names it: subject, serial number, validity and fingerprint, never its key. */
export function certificateSummary(pem: string): string | undefined {
  const leaf = leafCertificatePem(pem);
  if (!leaf) return undefined;
  try {
    const certificate = new X509Certificate(leaf);
    return `"${certificate.subject.replace(/\n/g, ', ')}", serial ${certificate.serialNumber}, valid from ${new Date(certificate.validFrom).toISOString()}, SHA-256 ${certificate.fingerprint256}`;
  } catch {
    return undefined;
  }
}
