import type { TLSSocket } from 'node:tls';
import { peerCertificateInfo, peerCommonName } from './tls-settings.js';

/**
 * Why a station's TLS client certificate does not admit it at security profile 3, or undefined
 * when it does: it presented one (A00.FR.401/402), it chains to a trusted root and is valid now
 * (A00.FR.403, else the connection ends: A00.FR.407), and its commonName is the identity the
 * station connects as (A00.FR.405; the harness asks for equality, the identity being the serial
 * number the CN carries). A station pinned to one certificate (`checks.pinned`, its SHA-256
 * fingerprint) is admitted with that one only.
 */
export function clientCertificateProblem(socket: TLSSocket, stationId: string, checks: { path: boolean; commonName: boolean; pinned?: string | undefined } = { path: true, commonName: true }): string | undefined {
  const certificate = peerCertificateInfo(socket);
  if (!certificate) return 'A00.FR.401/402: the station presented no client certificate';
  if (!socket.authorized && checks.path) {
    const code = String(socket.authorizationError ?? 'UNVERIFIED');
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      return `A00.FR.403/407: the client certificate "${certificate.subject}" is not valid now, only from ${certificate.validFrom} to ${certificate.validTo} (${code})`;
    }
    return `A00.FR.403/407: the client certificate "${certificate.subject}" does not chain to a trusted root; its issuer is "${certificate.issuer}" (${code})`;
  }
  const commonName = peerCommonName(socket);
  if (commonName !== stationId && checks.commonName) return `A00.FR.405: the client certificate's commonName "${commonName ?? ''}" is not the station identity "${stationId}" of the URL`;
  if (checks.pinned !== undefined && certificate.fingerprintSha256 !== checks.pinned) return `the client certificate "${certificate.subject}" (SHA-256 ${certificate.fingerprintSha256}) is not the one the station is held to (SHA-256 ${checks.pinned})`;
  return undefined;
}
