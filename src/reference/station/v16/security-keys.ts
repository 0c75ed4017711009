import { CERTIFICATE_ENTRIES_MAX } from '../certificate-management.js';
import type { ResolvedStationOptions } from '../options.js';
import type { ConfigurationKey } from './configuration.js';

/** 1.6 security whitepaper §7.3: the largest certificateChain a CertificateSigned.req may carry. */
const CERTIFICATE_CHAIN_MAX = 10_000;

/**
 * The configuration keys of the 1.6 security whitepaper (edition 3, chapter 7), with the
 * accessibility it gives them. SecurityProfile starts at the profile the station connects with;
 * AuthorizationKey holds its Basic-auth password (A00.FR.205/304), write-only (§7.2) and 16 to 40
 * characters long (the whitepaper's minimum of 16 bytes; the harness's passwords are alphanumeric,
 * not the hexadecimal the whitepaper advises, so the format is not checked).
 */
export function securityKeys16(options: ResolvedStationOptions): Record<string, ConfigurationKey> {
  return {
    // §7.1: the reference lets any CA certificate replace a Central System root.
    AdditionalRootCertificateCheck: { value: 'false', readonly: true, kind: 'boolean' },
    AuthorizationKey: { value: options.security?.basicAuth?.password ?? '', readonly: false, kind: 'string', length: { min: 16, max: 40 }, writeOnly: true },
    CertificateSignedMaxChainSize: { value: String(CERTIFICATE_CHAIN_MAX), readonly: true, kind: 'integer' },
    CertificateStoreMaxLength: { value: String(CERTIFICATE_ENTRIES_MAX), readonly: true, kind: 'integer' },
    // The O of the station certificates the test PKI issues.
    CpoName: { value: 'ocpp-harness', readonly: false, kind: 'string' },
    SecurityProfile: { value: String(options.security?.profile ?? 0), readonly: false, kind: 'integer', minimum: 0 },
  };
}
