import type { SecurityConfig } from '../config/index.js';
import type { TestPki } from '../pki/index.js';
import { usesBasicAuth, type ConnectionSecurity } from '../transport/index.js';

/** The host the reference CSMS listens on when a run starts it in process (--builtin, sut csms). */
export const REFERENCE_CSMS_HOST = '127.0.0.1';

/**
 * When the CSMS of the connection is the harness's own (its CSMS, or the reference CSMS): the
 * test PKI its server certificate comes from, and the host names and addresses stations reach it by.
 */
export interface OwnCsms {
  pki: TestPki;
  hosts: readonly string[];
}

/**
 * The security of a connection, the one place the configured `security` is read (OCPP 2.0.1
 * Part 2 A00): Basic auth at profiles 1 and 2 (A00.FR.201, A00.FR.302); TLS from profile 2, with a
 * server certificate issued by the test PKI's csmsRoot and that root as the only one a station
 * trusts (A00.FR.308) when the CSMS is the harness's own (`csms`), else Node's default roots for a
 * CSMS under test. Profile 3 sends no Basic auth (A00.FR.401); client certificates are left out
 * until the test PKI issues station certificates, so no client certificate is asked for yet.
 */
export function connectionSecurity(config: SecurityConfig, csms?: OwnCsms): ConnectionSecurity {
  const { profile, basicAuthPassword } = config;
  const basicAuth = usesBasicAuth(profile) && basicAuthPassword !== undefined ? { password: basicAuthPassword } : undefined;
  const tls = profile >= 2 && csms !== undefined;
  return {
    profile,
    ...(basicAuth ? { basicAuth } : {}),
    ...(tls ? { serverCertificate: csms.pki.serverCertificate('csmsRoot', csms.hosts) } : {}),
    trustedRoots: { server: tls ? [csms.pki.certificate('csmsRoot').certificatePem] : [], client: [] },
  };
}
