import { issueCertificate, type CertificateRequest, type KeyedCertificate } from './certificate-factory.js';
import type { TestPki } from './test-pki.js';

const YEAR_MS = 365 * 24 * 3_600_000;

/**
 * What makes a certificate invalid, and how a request gets it; every variant is RSA-2048 by
 * csmsRoot unless it says otherwise. The negative cases of A00 present them: a CSMS server
 * certificate the station must refuse (A00.FR.310/311, 412-414), a station certificate the CSMS
 * must refuse (A00.FR.405, 407).
 */
const INVALID_VARIANTS = {
  expired: (request: CertificateRequest) => ({ ...request, notBefore: new Date(Date.now() - 2 * YEAR_MS), notAfter: new Date(Date.now() - YEAR_MS) }),
  'not-yet-valid': (request: CertificateRequest) => ({ ...request, notBefore: new Date(Date.now() + YEAR_MS), notAfter: new Date(Date.now() + 2 * YEAR_MS) }),
  'unknown-ca': (request: CertificateRequest, pki: TestPki) => ({ ...request, issuer: pki.certificate('unknownRoot') }),
  // A server certificate for another host (A00.FR.412); a station certificate of another station (A00.FR.405).
  'cn-mismatch': (request: CertificateRequest) => (request.serverHosts ? { ...request, commonName: 'other-host.invalid', serverHosts: ['other-host.invalid'] } : { ...request, commonName: `other-${request.commonName}` }),
  // No digitalSignature: the key may not sign a TLS handshake (RFC 5280 §4.2.1.3).
  'wrong-key-usage': (request: CertificateRequest) => ({ ...request, keyUsage: ['dataEncipherment'] as const }),
  // A00.FR.502: RSA keys are at least 2048 bits.
  'short-key': (request: CertificateRequest) => ({ ...request, keyAlgorithm: 'RSA-1024' as const }),
} satisfies Record<string, (request: CertificateRequest, pki: TestPki) => CertificateRequest>;

export type InvalidCertificateVariant = keyof typeof INVALID_VARIANTS;
export const INVALID_CERTIFICATE_VARIANTS = Object.keys(INVALID_VARIANTS) as InvalidCertificateVariant[];

/** The request spoiled the way `variant` says. */
export function spoilRequest(variant: InvalidCertificateVariant, request: CertificateRequest, pki: TestPki): CertificateRequest {
  return INVALID_VARIANTS[variant](request, pki);
}

// One per PKI, variant and subject: a key costs tens of milliseconds.
const issued = new WeakMap<TestPki, Map<string, KeyedCertificate>>();

function once(pki: TestPki, key: string, request: () => CertificateRequest): KeyedCertificate {
  const known = issued.get(pki) ?? new Map<string, KeyedCertificate>();
  issued.set(pki, known);
  const certificate = known.get(key) ?? issueCertificate(request());
  known.set(key, certificate);
  return certificate;
}

/** A CSMS server certificate for `hosts` (the first its commonName), by csmsRoot, spoiled as `variant` says. */
export function invalidServerCertificate(pki: TestPki, variant: InvalidCertificateVariant, hosts: readonly string[]): KeyedCertificate {
  return once(pki, `server ${variant} ${hosts.join(' ')}`, () => spoilRequest(variant, { commonName: hosts[0] ?? 'localhost', serverHosts: hosts, issuer: pki.certificate('csmsRoot') }, pki));
}

/** A station certificate for `stationId` (its commonName, A00.FR.511), by csmsRoot, spoiled as `variant` says. */
export function invalidStationCertificate(pki: TestPki, variant: InvalidCertificateVariant, stationId: string): KeyedCertificate {
  return once(pki, `station ${variant} ${stationId}`, () => spoilRequest(variant, { commonName: stationId, issuer: pki.certificate('csmsRoot') }, pki));
}
