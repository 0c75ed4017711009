import { readFileSync } from 'node:fs';
import type { SecurityConfig } from '../config/index.js';
import { issueCertificate, type KeyedCertificate, type TestPki } from '../pki/index.js';
import { usesBasicAuth, type ConnectionSecurity, type KeyedCertificatePem } from '../transport/index.js';

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
 * Part 2 A00): Basic auth at profiles 1 and 2 (A00.FR.201, A00.FR.302); TLS from profile 2. When
 * the CSMS is the harness's own (`csms`) it serves a server certificate issued by the test PKI's
 * csmsRoot, the only root a station trusts (A00.FR.308); a CSMS under test is verified against
 * the configured `csmsRootFile`, else Node's default roots. Profile 3 sends no Basic auth
 * (A00.FR.401): the station presents a client certificate (A00.FR.402) for `stationId`, the
 * configured one or, with the harness's own CSMS, one the test PKI's csmsRoot issues; the CSMS
 * accepts those of `stationRootFile`, else of csmsRoot (A00.FR.403).
 */
export function connectionSecurity(config: SecurityConfig, csms?: OwnCsms, stationId?: string): ConnectionSecurity {
  const { profile, basicAuthPassword } = config;
  const basicAuth = usesBasicAuth(profile) && basicAuthPassword !== undefined ? { password: basicAuthPassword } : undefined;
  if (profile < 2) return { profile, ...(basicAuth ? { basicAuth } : {}), trustedRoots: { server: [], client: [] } };
  const ownRoot = csms ? [csms.pki.certificate('csmsRoot').certificatePem] : [];
  const serverRoots = csms ? ownRoot : config.csmsRootFile !== undefined ? [pemFile(config, 'csmsRootFile')] : [];
  const security: ConnectionSecurity = {
    profile,
    ...(basicAuth ? { basicAuth } : {}),
    ...(csms ? { serverCertificate: csms.pki.serverCertificate('csmsRoot', csms.hosts) } : {}),
    trustedRoots: { server: serverRoots, client: [] },
  };
  if (profile < 3) return security;
  const clientRoots = config.stationRootFile !== undefined ? [pemFile(config, 'stationRootFile')] : ownRoot;
  const clientCertificate = configuredClientCertificate(config) ?? (csms && stationId !== undefined ? stationCertificate(csms.pki, stationId) : undefined);
  return { ...security, ...(clientCertificate ? { clientCertificate } : {}), trustedRoots: { server: serverRoots, client: clientRoots } };
}

/**
 * The security of a station (the harness, the reference station) against a CSMS under test: as
 * connectionSecurity, and at profile 3 a client certificate: the configured one, else one the
 * kept test PKI `pki` issues (its csmsRoot is what the harness's CSMS trusts by default). Without
 * either the station could not connect (A00.FR.407): better said before the run than in every case.
 */
export function stationSideSecurity(config: SecurityConfig, stationId: string, pki?: TestPki): ConnectionSecurity {
  const configured = connectionSecurity(config, undefined, stationId);
  const security = configured.profile === 3 && !configured.clientCertificate && pki ? { ...configured, clientCertificate: stationCertificate(pki, stationId) } : configured;
  if (security.profile === 3 && !security.clientCertificate) {
    throw new Error('security profile 3: the station needs a client certificate, set security.clientCertificateFile and security.clientKeyFile');
  }
  return security;
}

function configuredClientCertificate(config: SecurityConfig): KeyedCertificatePem | undefined {
  if (config.clientCertificateFile === undefined || config.clientKeyFile === undefined) return undefined;
  return { certificatePem: pemFile(config, 'clientCertificateFile'), privateKeyPem: pemFile(config, 'clientKeyFile') };
}

/** A PEM file of the configuration; unreadable, the error names the field. */
function pemFile(config: SecurityConfig, field: 'csmsRootFile' | 'clientCertificateFile' | 'clientKeyFile' | 'stationRootFile'): string {
  const path = config[field]!;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`security.${field}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

// Station certificates the test PKI's csmsRoot issued, one per PKI and identity: a key costs tens of milliseconds.
const stationCertificates = new WeakMap<TestPki, Map<string, KeyedCertificate>>();

/**
 * A client certificate for a station of the harness's own CSMS: commonName the station identity
 * (A00.FR.405, A00.FR.511), issued by the test PKI's csmsRoot, which that CSMS trusts.
 */
export function stationCertificate(pki: TestPki, stationId: string): KeyedCertificate {
  const issued = stationCertificates.get(pki) ?? new Map<string, KeyedCertificate>();
  stationCertificates.set(pki, issued);
  const known = issued.get(stationId);
  if (known) return known;
  const certificate = issueCertificate({ commonName: stationId, issuer: pki.certificate('csmsRoot') });
  issued.set(stationId, certificate);
  return certificate;
}
