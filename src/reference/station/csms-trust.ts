import { certificateProblem } from '../../pki/index.js';
import type { OcppVersion } from '../../protocol/index.js';
import type { CertificateStore, InstalledCertificate } from './certificate-store.js';

/** The certificate types under which a station keeps the roots of its CSMS (2.0.1; the 1.6 security whitepaper's name). */
export const CSMS_ROOT_TYPES = ['CSMSRootCertificate', 'CentralSystemRootCertificate'] as const;

/**
 * The roots the station verifies the CSMS's server certificate with over TLS (security profiles 2
 * and 3, A00.FR.308): exactly its installed CSMS roots, which InstallCertificate extends (M05).
 * `behaviour:trust-delivered-root-only`: only the ones it was delivered with.
 */
export function trustedCsmsRoots(store: CertificateStore, delivered: readonly InstalledCertificate[], deliveredOnly: boolean): string[] {
  const roots = deliveredOnly ? delivered : store.ofTypes(CSMS_ROOT_TYPES);
  return roots.filter((certificate) => (CSMS_ROOT_TYPES as readonly string[]).includes(certificate.certificateType)).map((certificate) => certificate.pem);
}

/** The installed CSMS root a server certificate chains to, if any. */
export function rootOfServerCertificate(store: CertificateStore, serverCertificatePem: string, now: Date): InstalledCertificate | undefined {
  return store.ofTypes(CSMS_ROOT_TYPES).find((root) => certificateProblem(serverCertificatePem, [root.pem], now) === undefined);
}

/**
 * The certificates a station was delivered with, under its version's type names: a 1.6 Charge
 * Point keeps its CSMS roots as CentralSystemRootCertificate (1.6 security whitepaper §6.4).
 */
export function deliveredUnderVersionNames(certificates: readonly InstalledCertificate[], version: OcppVersion): InstalledCertificate[] {
  if (version !== '1.6') return [...certificates];
  return certificates.map((certificate) => (certificate.certificateType === CSMS_ROOT_TYPES[0] ? { ...certificate, certificateType: CSMS_ROOT_TYPES[1] } : certificate));
}
