import { OCPP_TLS12_CIPHER_NAMES, type HandshakeInfo } from '../../transport/index.js';

/** Whose TLS a connection step judges, and the name its certificate must carry. */
export interface TlsExpectation {
  /** The CSMS's side (the harness is the station) or the station's (the harness is the CSMS). */
  peer: 'csms' | 'station';
  /** The security profile the connection runs at: 2, or 3 (mutual TLS). */
  profile: number;
  /** The CSMS: the host of the URL the harness connected to (A00.FR.510); a station: its identity (A00.FR.511). */
  name: string;
}

/**
 * What is wrong with the TLS of a connection, each naming its requirement (OCPP 2.0.1 Part 2 A00;
 * the tool validations of TC_A_04 and TC_A_07 in Part 6): TLS 1.2 or later, a TLS 1.2 suite OCPP
 * names, and the peer's certificate: present (the station's at profile 3 only), a key long enough,
 * a serial number, its commonName. Empty when nothing is.
 */
export function tlsProblems(handshake: HandshakeInfo, expected: TlsExpectation): string[] {
  const byProfile = (profile2: string, profile3: string) => (expected.profile >= 3 ? profile3 : profile2);
  const tls = handshake.tls;
  if (!tls) return [`${byProfile('A00.FR.312', 'A00.FR.415')}: the connection does not run over TLS`];
  const problems: string[] = [];
  if (tls.protocol !== 'TLSv1.2' && tls.protocol !== 'TLSv1.3') problems.push(`${byProfile('A00.FR.313', 'A00.FR.416')}: it runs over ${tls.protocol ?? 'an unknown TLS version'}, not TLS 1.2 or later`);
  if (tls.protocol === 'TLSv1.2' && !(OCPP_TLS12_CIPHER_NAMES as readonly string[]).includes(tls.cipher)) {
    const requirement = expected.peer === 'csms' ? byProfile('A00.FR.318', 'A00.FR.421') : byProfile('A00.FR.319', 'A00.FR.422');
    problems.push(`${requirement}: the TLS 1.2 cipher suite ${tls.cipher} is not one OCPP names (${OCPP_TLS12_CIPHER_NAMES.join(', ')})`);
  }
  const certificate = tls.peerCertificate;
  const whose = expected.peer === 'csms' ? 'the server certificate' : 'the client certificate';
  if (!certificate) {
    if (expected.peer === 'csms' || expected.profile >= 3) problems.push(`${expected.peer === 'csms' ? 'A00.FR.307/410' : 'A00.FR.402'}: ${expected.peer === 'csms' ? 'the CSMS' : 'the station'} presented no certificate`);
    return problems;
  }
  const key = certificate.publicKey;
  if (key?.type === 'RSA' && key.bits < 2048) problems.push(`A00.FR.502: ${whose} has an RSA key of ${key.bits} bits, fewer than 2048`);
  if (key?.type === 'EC' && key.bits < 224) problems.push(`A00.FR.503: ${whose} has an elliptic-curve key of ${key.bits} bits, fewer than 224`);
  if (!certificate.serialNumber) problems.push(`${whose} has no serial number`);
  const commonName = /(?:^|, )CN=([^,]*)/.exec(certificate.subject)?.[1];
  if (commonName !== expected.name) {
    const requirement = expected.peer === 'csms' ? 'A00.FR.510' : 'A00.FR.511';
    const what = expected.peer === 'csms' ? 'the host the CSMS is reached by' : 'the station identity';
    problems.push(`${requirement}: ${whose}'s commonName is "${commonName ?? ''}", not ${what} "${expected.name}"`);
  }
  return problems;
}
