/**
 * TLS versions below 1.2 on purpose: `only` speaks nothing newer than TLS 1.1 (the harness's
 * weakened side in the "TLS version too low" cases, TC_A_06), `accepted` speaks TLS 1.0 and
 * later (a faulty reference that does not refuse an old version: breaks A00.FR.315/316, 418/419).
 */
export type LegacyTls = 'only' | 'accepted';

/** The OCPP security profiles (OCPP 2.0.1 Part 2 A00; the 1.6 security whitepaper has the same three). */
export type SecurityProfile = 0 | 1 | 2 | 3;

/** A certificate with its private key, both PEM. */
export interface KeyedCertificatePem {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * How a connection between a station and a CSMS is secured, as one value both sides are given
 * (OCPP 2.0.1 Part 2 A00): profile 0 nothing, 1 Basic auth over ws, 2 TLS with the CSMS's server
 * certificate and Basic auth, 3 TLS with client certificates and no Basic auth. Each side reads
 * its part: the CSMS its server certificate and the roots it accepts client certificates from,
 * the station its client certificate and the roots it accepts the server certificate from; both
 * the Basic-auth password.
 */
export interface ConnectionSecurity {
  readonly profile: SecurityProfile;
  /** Profiles 1 and 2: the Basic-auth password; the username is the station identity (A00.FR.203). */
  readonly basicAuth?: {
    readonly password: string;
    /** Another username than the station identity: a faulty reference only (breaks A00.FR.204). */
    readonly username?: string;
  };
  /** Profiles 2 and 3, the CSMS's side: the certificate it serves wss with. */
  readonly serverCertificate?: KeyedCertificatePem;
  /** Profile 3, the station's side: the client certificate it presents (A00.FR.402). */
  readonly clientCertificate?: KeyedCertificatePem;
  readonly trustedRoots: {
    /** The station's side: the roots a server certificate must chain to, and nothing else (A00.FR.308); empty: Node's default store. */
    readonly server: readonly string[];
    /** Profile 3, the CSMS's side: the roots a client certificate must chain to; empty: no client certificate is asked for. */
    readonly client: readonly string[];
  };
  /**
   * TLS below 1.2 on purpose (see LegacyTls): `only` for the harness's weakened side, whose peer
   * must refuse it (A00.FR.315/316, A00.FR.418/419; TC_A_06), `accepted` for a faulty reference.
   * Absent: TLS 1.2 or later only (A00.FR.313/416).
   */
  readonly legacyTls?: LegacyTls;
  /**
   * The station's side, a faulty reference only: take any server certificate, whatever its path,
   * validity or host (breaks A00.FR.310/311, 412-414). Absent: the certificate is verified.
   */
  readonly acceptsAnyServerCertificate?: true;
}

/** Profile 0: plain ws, no credentials. */
export const NO_SECURITY: ConnectionSecurity = { profile: 0, trustedRoots: { server: [], client: [] } };

/** True for the profiles that authenticate the station with Basic auth (1 and 2, A00.FR.201/302; never 3, A00.FR.401). */
export function usesBasicAuth(profile: SecurityProfile): boolean {
  return profile === 1 || profile === 2;
}

/** True for the profiles that run over TLS (2 and 3, A00.FR.301/401). */
export function usesTls(security: ConnectionSecurity): boolean {
  return security.profile >= 2;
}

/** The value with another Basic-auth password (a test case connecting with a wrong one), or none. */
export function withPassword(security: ConnectionSecurity, password: string | undefined): ConnectionSecurity {
  const { basicAuth: _old, ...rest } = security;
  return password === undefined ? rest : { ...rest, basicAuth: { password } };
}
