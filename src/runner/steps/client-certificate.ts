import { certificateSummary, sha256Fingerprint } from '../../pki/index.js';
import type { KeyedCertificatePem } from '../../transport/index.js';
import type { CaseRun } from '../case-run.js';
import { errorStep, failStep } from '../step-stop.js';

// The `clientCertificate` of a connection step (security profile 3): the certificate a station
// renewed with A02 is the one it must connect with (A02.FR.08), and the one a CSMS must admit.

/**
 * Harness as CSMS, `clientCertificate`: the station presented exactly the certificate the step
 * names (A02.FR.08: a station switches to its renewed certificate), told by its SHA-256 fingerprint.
 */
export function judgeClientCertificate(template: string | undefined, run: CaseRun): string {
  if (template === undefined) return '';
  const given = String(run.render(template));
  const fingerprint = sha256Fingerprint(given);
  if (!fingerprint) throw errorStep('clientCertificate', 'it is neither a PEM certificate nor a SHA-256 fingerprint');
  const expected = `the station presents the client certificate ${certificateSummary(given) ?? `of SHA-256 ${fingerprint}`}`;
  const tls = run.env.link.handshake?.tls;
  if (!tls) throw failStep(expected, 'it connected without TLS');
  const presented = tls.peerCertificate;
  if (!presented) throw failStep(expected, 'it presented no client certificate');
  if (presented.fingerprintSha256 !== fingerprint) {
    throw failStep(expected, `it presented another: "${presented.subject}" issued by "${presented.issuer}", serial ${presented.serialNumber}, valid from ${presented.validFrom}, SHA-256 ${presented.fingerprintSha256}`);
  }
  return `; with the client certificate the step names ("${presented.subject}", serial ${presented.serialNumber})`;
}

/**
 * Harness as station, `clientCertificate`: a certificate issued for one of the case's CSRs
 * (csr.<name>), with the key the harness kept for it (TC_A_11_CSMS: the one the CSMS sent in
 * CertificateSigned, presented when the harness reconnects).
 */
export function heldCertificate(certificatePem: string, run: CaseRun): KeyedCertificatePem {
  const privateKeyPem = run.csrKeyFor(certificatePem);
  if (!privateKeyPem) throw errorStep('a client certificate the harness holds the key of', `the certificate ${certificateSummary(certificatePem) ?? '(no PEM certificate)'} is for none of the keys of the case's csr.<name> requests`);
  return { certificatePem, privateKeyPem };
}
