import { isIP } from 'node:net';
import forge from 'node-forge';

/** A certificate and its private key, both PEM. */
export interface KeyedCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface CertificateRequest {
  commonName: string;
  /** Signs the new certificate; absent: the certificate signs itself (a root). */
  issuer?: KeyedCertificate;
  /** A CA may issue certificates (basicConstraints cA). Roots always are. */
  isCa?: boolean;
  /** Validity window; by default from one hour ago for ten years. */
  notBefore?: Date;
  notAfter?: Date;
  /**
   * A TLS server certificate for these host names and IP addresses: subjectAltName entries (DNS
   * names, IPv4 and IPv6 addresses) and extKeyUsage serverAuth. Only for leaves.
   */
  serverHosts?: readonly string[];
}

const ORGANISATION = 'ocpp-harness test PKI';
const HOUR_MS = 3_600_000;
const TEN_YEARS_MS = 10 * 365 * 24 * HOUR_MS;

/**
 * Issues an RSA-2048 / SHA-256 certificate. Keys come from node-forge, which hands RSA key
 * generation to Node's native crypto, so a certificate costs tens of milliseconds.
 */
export function issueCertificate(request: CertificateRequest): KeyedCertificate {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = randomSerialNumber();
  const now = Date.now();
  certificate.validity.notBefore = request.notBefore ?? new Date(now - HOUR_MS);
  certificate.validity.notAfter = request.notAfter ?? new Date(now + TEN_YEARS_MS);
  const subject = [
    { name: 'commonName', value: request.commonName },
    { name: 'organizationName', value: ORGANISATION },
  ];
  certificate.setSubject(subject);

  const isRoot = request.issuer === undefined;
  const isCa = isRoot || request.isCa === true;
  const issuerCertificate = request.issuer ? forge.pki.certificateFromPem(request.issuer.certificatePem) : undefined;
  certificate.setIssuer(issuerCertificate ? issuerCertificate.subject.attributes : subject);
  const server = !isCa && request.serverHosts !== undefined && request.serverHosts.length > 0 ? request.serverHosts : undefined;
  certificate.setExtensions([
    { name: 'basicConstraints', cA: isCa, critical: true },
    isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...(server ? [{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: server.map(altName) }] : []),
  ]);
  const signingKey = request.issuer ? forge.pki.privateKeyFromPem(request.issuer.privateKeyPem) : keys.privateKey;
  certificate.sign(signingKey, forge.md.sha256.create());
  return {
    certificatePem: forge.pki.certificateToPem(certificate),
    privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

// RFC 5280 §4.2.1.6: an IP address is an iPAddress entry (type 7), anything else a dNSName (type 2).
function altName(host: string): { type: number; ip?: string; value?: string } {
  return isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host };
}

// RFC 5280 §4.1.2.2: a positive integer of at most 20 octets; a first byte below 0x80 keeps it positive.
function randomSerialNumber(): string {
  const bytes = forge.random.getBytesSync(16);
  const hex = forge.util.bytesToHex(bytes);
  return (parseInt(hex[0] ?? '0', 16) & 0x7).toString(16) + hex.slice(1);
}
