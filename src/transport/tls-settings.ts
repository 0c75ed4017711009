import type { SecureContextOptions, TLSSocket } from 'node:tls';
import type { ConnectionSecurity, SecurityProfile } from './connection-security.js';

/**
 * The TLS 1.2 cipher suites OCPP 2.0.1 names (A00.FR.318/319 for profile 2, A00.FR.421/422 for
 * profile 3), in OpenSSL's spelling: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
 * TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_RSA_WITH_AES_128_GCM_SHA256 and
 * TLS_RSA_WITH_AES_256_GCM_SHA384. Nothing else is offered or accepted over TLS 1.2; TLS 1.3
 * keeps Node's own suites (AEAD only, none unsuitable for legacy use: A00.FR.320).
 */
export const OCPP_TLS12_CIPHERS = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384'] as const;

/** The same suites by their IANA names, as a connection's TLS facts give the negotiated one. */
export const OCPP_TLS12_CIPHER_NAMES = ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384'] as const;


/** The versions and suites one side of a connection offers or accepts. */
export type TlsVersionOptions = Pick<SecureContextOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;

/**
 * TLS 1.2 or later with the OCPP suites (A00.FR.313, A00.FR.416), unless `legacyTls` says
 * otherwise. OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level, so a side that
 * speaks them lowers it to 0: it exists to be refused.
 */
export function tlsVersionOptions(security: ConnectionSecurity): TlsVersionOptions {
  const legacy = 'DEFAULT@SECLEVEL=0';
  if (security.legacyTls === 'only') return { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: legacy };
  if (security.legacyTls === 'accepted') return { minVersion: 'TLSv1', ciphers: legacy };
  return { minVersion: 'TLSv1.2', ciphers: OCPP_TLS12_CIPHERS.join(':') };
}

/** A requirement id of security profile 2 or, for profile 3, its counterpart. */
function requirement(profile: SecurityProfile, profile2: string, profile3: string): string {
  return profile === 3 ? profile3 : profile2;
}

/**
 * Why a TLS handshake failed, in words naming the requirement it touches, from Node's error code
 * (OpenSSL's X509_V_ERR_* names and ERR_SSL_*). Certificates are verified during the handshake
 * only by the station side, so a certificate named here is the CSMS's.
 */
export function tlsFailureReason(given: string | undefined, message: string, profile: SecurityProfile): string {
  const code = sslCodeOf(given, message);
  const detail = `${code ?? 'TLS error'}: ${message.split('\n')[0]?.trim() ?? ''}`;
  const named = (text: string) => `${text} (${detail})`;
  switch (code) {
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE':
      return named(`${requirement(profile, 'A00.FR.313/315/316', 'A00.FR.416/418/419')}: no TLS version in common, TLS 1.2 or later is required`);
    case 'ERR_SSL_NO_SHARED_CIPHER':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
    case 'ERR_SSL_NO_CIPHERS_AVAILABLE':
      return named(`${requirement(profile, 'A00.FR.318/319', 'A00.FR.421/422')}: no cipher suite in common among ${OCPP_TLS12_CIPHERS.join(', ')} (TLS 1.2) and TLS 1.3`);
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return named(`${requirement(profile, 'A00.FR.308/310', 'A00.FR.411/413')}: the server certificate is not valid now`);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return named(`${requirement(profile, 'A00.FR.309', 'A00.FR.412')}: the server certificate does not name the CSMS's host`);
    default:
      if (code !== undefined && /ALERT/.test(code)) return named('the peer ended the handshake with a TLS alert');
      if (code !== undefined && CERTIFICATE_PATH_ERROR.test(code)) {
        return named(`${requirement(profile, 'A00.FR.308/310', 'A00.FR.411/413')}: the server certificate does not chain to a trusted root`);
      }
      return detail;
  }
}

/**
 * Node's ERR_SSL_* code of an error. A failed socket write reports the generic EPROTO, the OpenSSL
 * reason only in its message ("SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:"), from
 * which Node's own code is spelled the way Node spells it elsewhere.
 */
function sslCodeOf(code: string | undefined, message: string): string | undefined {
  if (code !== 'EPROTO') return code;
  const reason = /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1];
  return reason ? `ERR_SSL_${reason.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_')}` : code;
}

const CERTIFICATE_PATH_ERROR = /CERT|SELF_SIGNED|UNABLE_TO|VERIFY/;

/** A certificate as traces show it: never its key. */
export interface PeerCertificateInfo {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  serialNumber: string;
  /** SHA-256 of the DER encoding, colon-separated hex pairs as OpenSSL prints it. */
  fingerprintSha256: string;
  /** The public key's family and size (A00.FR.502/503: RSA of 2048 bits or more, EC of 224 or more). */
  publicKey?: { type: 'RSA' | 'EC' | 'other'; bits: number };
}

/** The certificate the peer presented on a TLS socket, or undefined when it presented none. */
export function peerCertificateInfo(socket: TLSSocket): PeerCertificateInfo | undefined {
  const peer = socket.getPeerCertificate?.();
  if (!peer || !peer.raw) return undefined;
  return {
    subject: distinguishedName(peer.subject),
    issuer: distinguishedName(peer.issuer),
    validFrom: new Date(peer.valid_from).toISOString(),
    validTo: new Date(peer.valid_to).toISOString(),
    serialNumber: peer.serialNumber,
    fingerprintSha256: peer.fingerprint256,
    ...(typeof peer.bits === 'number' ? { publicKey: { type: peer.modulus ? 'RSA' : (peer as { asn1Curve?: string }).asn1Curve ? 'EC' : 'other', bits: peer.bits } } : {}),
  };
}

/** `CN=CS1, O=Operator`: attribute names as OpenSSL abbreviates them, in the certificate's order. */
function distinguishedName(name: object | undefined): string {
  return Object.entries(name ?? {}).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`).join(', ');
}

/** The commonName of the peer's certificate subject (the first, when there are several). */
export function peerCommonName(socket: TLSSocket): string | undefined {
  const cn = (socket.getPeerCertificate?.()?.subject as Record<string, string | string[]> | undefined)?.['CN'];
  return Array.isArray(cn) ? cn[0] : cn;
}
