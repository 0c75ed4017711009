import type { InvalidCertificateVariant } from '../../pki/index.js';
import type { Step } from '../../testcase/index.js';

// The connection step's fields, and what its two halves (connection-as-csms.ts,
// connection-as-station.ts) say alike.

export interface ConnectionStep extends Step {
  kind: 'connection';
  operation: 'drop' | 'restore' | 'open' | 'refuse' | 'password' | 'present';
  /** For `refuse`: how many attempts to turn away (default 1); for `present`, how many handshakes. A number or a template. */
  attempts?: number | string;
  /** For `refuse`: only attempts at this URL path prefix; for `restore`: the station must connect at it. */
  path?: string;
  /** For `restore` and `refuse`: each attempt comes at least this long after the loss or previous refusal (OCPP-J §5.3). */
  minDelayS?: number | string;
  /** For `open`: subprotocols to offer instead of the case's version. */
  subprotocols?: string[];
  /** For `open`: the Basic-auth password to use instead of the configured one; for `password`: the only one that admits the station from now on. */
  password?: string;
  /** For `open`: the CSMS must refuse this connection (e.g. it offers only unsupported subprotocols). */
  refused?: boolean;
  /** For `open`: the Basic-auth username to use instead of the station identity. */
  username?: string;
  /** For `open`: the invalid client certificate the harness presents; for `present`: the invalid server certificate. */
  certificate?: InvalidCertificateVariant;
  /** For `open` and `present`: `legacy`, the harness speaks TLS 1.0 and 1.1 only. */
  tls?: 'legacy';
  /** For `present`: close the connection once the presentation is armed, so that the very next handshake gets it. */
  drop?: boolean;
  /** For `open`: the CSMS endpoint to connect to instead of the configured one (A05: the upgraded profile's). */
  url?: string;
  /** For `open`: the security profile to connect with instead of the configured one (A05). */
  securityProfile?: number | string;
  /** For `open` and `restore`: judge the TLS of the connection (version, cipher suite, the peer's certificate). */
  checkTls?: boolean;
  /** For `restore` (harness as CSMS): judge the station's Basic-auth credentials (A00.FR.202-205). */
  checkBasicAuth?: boolean;
  /**
   * For `restore` and `open`, the client certificate of the connection (a template): harness as
   * CSMS, the station must present exactly this one; harness as station, the harness presents it.
   */
  clientCertificate?: string;
  /** For `drop`: the SUT may close the connection itself within this long; the harness closes it only after. */
  graceMs?: number | string;
}

/** What is wrong with a certificate of each invalid variant, as verdicts say it. */
export const CERTIFICATE_FLAWS: Record<InvalidCertificateVariant, string> = {
  expired: 'expired', 'not-yet-valid': 'not yet valid', 'unknown-ca': 'issued by an unknown root', 'cn-mismatch': 'issued for another host or identity',
  'wrong-key-usage': 'without the key usage TLS needs', 'short-key': 'of a 1024-bit RSA key',
};

/** A duration in seconds as verdicts give it: `1.25 s`. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
