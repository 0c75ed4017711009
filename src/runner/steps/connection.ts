import { numberOrTemplate, stringList, text } from '../../testcase/index.js';
import { INVALID_CERTIFICATE_VARIANTS, type InvalidCertificateVariant } from '../../pki/index.js';
import type { CaseRun } from '../case-run.js';
import { errorStep } from '../step-stop.js';
import { runAsCsms } from './connection-as-csms.js';
import { runAsStation } from './connection-as-station.js';
import type { ConnectionStep } from './connection-step.js';
import { perItem, type StepKind } from './step-kind.js';
import { closedWithin } from './wait.js';

export type { ConnectionStep } from './connection-step.js';

/**
 * Drop the connection, bring it back, or (harness as station) open one with particular options;
 * (harness as CSMS) refuse the station's next attempts, or admit it only with a new password.
 */
// Fields that mean something only for some operations: a misplaced one is a misunderstanding.
const OPERATION_FIELDS: Record<string, readonly string[]> = {
  subprotocols: ['open'], password: ['open', 'password'], refused: ['open'], attempts: ['refuse', 'present'], path: ['refuse', 'restore'], minDelayS: ['refuse', 'restore'],
  username: ['open'], url: ['open'], securityProfile: ['open'], certificate: ['open', 'present'], tls: ['open', 'present'], drop: ['present'], checkTls: ['open', 'restore'], checkBasicAuth: ['restore'],
  clientCertificate: ['open', 'restore'], graceMs: ['drop'],
};

/** `connection: drop | restore | open | refuse`, with the fields of its operation. */
export const connectionKind: StepKind<ConnectionStep> = {
  name: 'connection',
  summary: 'Drop the connection, get it back, open one with options (harness as station), or refuse attempts (harness as CSMS).',
  fields: {
    connection: { enum: ['drop', 'restore', 'open', 'refuse', 'password', 'present'], description: 'drop: close the connection; restore: get it back (await the station, or reconnect as station); open: connect as station with options; refuse: turn away the station\'s next connection attempts (harness as CSMS); password: from now until the case ends, admit the station only with `password` (harness as CSMS, A01); present: serve the station\'s next TLS handshakes with an invalid server certificate (`certificate`) or old TLS (`tls: legacy`), each of which the station must refuse before it sends its upgrade request (harness as CSMS, A00.FR.310/311, 316, 412-414, 419).' },
    attempts: numberOrTemplate('For connection: refuse, how many attempts to turn away; for present, how many TLS handshakes get what the step presents, each to be refused (default 1). A whole number from 1, or a template (e.g. a value the case read from the station).'),
    path: text('For connection: refuse, only attempts at this URL path (prefix); for restore, the station must connect at this path (prefix). Templates allowed.'),
    minDelayS: numberOrTemplate('For connection: restore or refuse, each attempt must come at least this many seconds after the connection was lost or the previous attempt refused (OCPP-J §5.3 back-off). A number or a template.'),
    subprotocols: stringList('For connection: open, the subprotocols to offer.'),
    password: text('For connection: open, the Basic-auth password to use; for connection: password, the only one that admits the station from now on (e.g. {{secret.password}}, the one the case sets; default: the configured security.basicAuthPassword).'),
    refused: { type: 'boolean', description: 'For connection: open, the CSMS must refuse the connection: no OCPP connection may result. A TLS handshake the CSMS ends, a connection it closes before answering, or an upgrade it answers without 101 or without a subprotocol is a refusal; a CSMS that cannot be reached, or whose server certificate the harness does not trust, is an error.' },
    username: text('For connection: open, the Basic-auth username to send instead of the station identity (A00.FR.204; e.g. "{{config.stationId}}Invalid"). Templates allowed.'),
    certificate: { enum: [...INVALID_CERTIFICATE_VARIANTS], description: 'The invalid certificate the harness presents, issued by the run\'s test PKI: for connection: open (harness as station) as its client certificate (profile 3, A00.FR.405/407); for connection: present (harness as CSMS) as its server certificate (A00.FR.310/311, 412-414). expired, not-yet-valid, unknown-ca (issued by a root nobody trusts), cn-mismatch (station: CN not the identity; server: CN and names not the host), wrong-key-usage, short-key (RSA 1024).' },
    url: text('For connection: open, the CSMS endpoint (without the station identity) to connect to instead of the configured one, e.g. {{target.upgradeUrl}} after a security profile upgrade (A05). Templates allowed.'),
    securityProfile: numberOrTemplate('For connection: open, the security profile to connect with instead of the configured one (A05: one above it after an upgrade): its Basic-auth password (1, 2), TLS trusting the configured CSMS root (2, 3), the client certificate (3). A number or a template.'),
    checkTls: { type: 'boolean', description: 'For connection: open (harness as station) and restore (harness as CSMS), judge the TLS of the connection the step makes or awaits, as TC_A_04 and TC_A_07 do: TLS 1.2 or later (A00.FR.313/416), over TLS 1.2 a cipher suite OCPP names (A00.FR.318/319, 421/422), the peer\'s certificate with a key long enough (A00.FR.502/503), a serial number, and as commonName the host the CSMS is reached by (A00.FR.510) or the station identity (A00.FR.511); the station\'s certificate is asked for at profile 3 only. Harness as station, a TLS handshake the CSMS ends for want of a version or suite in common, or a server certificate expired or for another host, then fails the step instead of being an error.' },
    checkBasicAuth: { type: 'boolean', description: 'For connection: restore (harness as CSMS), judge the Basic-auth credentials of the station\'s upgrade request: present (A00.FR.202/203), the station identity as username (A00.FR.204), a password of 16 to 40 passwordString characters (A00.FR.205). The password itself is never reported.' },
    tls: { enum: ['legacy'], description: 'legacy: the harness speaks TLS 1.0 and 1.1 and nothing newer, for connection: open (harness as station, the CSMS must refuse: A00.FR.315/418) or connection: present (harness as CSMS, the station must refuse: A00.FR.316/419).' },
    drop: { type: 'boolean', description: 'For connection: present, close the station\'s connection once the presentation is in place: a station that reconnects at once (OCPP 1.6 defines no back-off) gets it in its very next handshake, which a separate drop step could miss.' },
    clientCertificate: text('The client certificate of the connection (security profile 3), a template. For connection: restore (harness as CSMS), the station must present exactly this certificate: a PEM certificate (of a chain, the first) or its SHA-256 fingerprint, e.g. the one the case sent in CertificateSigned, \'{{signCsr captured.csr pki.csmsRoot}}\' (which renders the same certificate again), so that the station is seen to use its renewed certificate (A02.FR.08). For connection: open or restore (harness as station), the harness presents this PEM certificate (chain) with the key of the case\'s csr.<name> it was issued for, e.g. \'{{captured.certificateChain}}\' from the CSMS\'s CertificateSigned; the CSMS must accept the connection, a refusal in the TLS handshake or of the upgrade failing the step.'),
    graceMs: numberOrTemplate('For connection: drop, the SUT may close the connection itself within this many milliseconds (as a station switching to a renewed certificate may, A02.FR.08; Part 6 erratum 6.2.123); the harness closes it only if it is still open then. A number or a template.'),
  },
  timeout: 'connectMs',
  normalise: (raw, common) => {
    const connection: ConnectionStep = { ...common, kind: 'connection', operation: raw['connection'] as ConnectionStep['operation'] };
    if (typeof raw['attempts'] === 'number' || typeof raw['attempts'] === 'string') connection.attempts = raw['attempts'];
    if (typeof raw['path'] === 'string') connection.path = raw['path'];
    if (raw['minDelayS'] !== undefined) connection.minDelayS = raw['minDelayS'] as number | string;
    if (raw['subprotocols'] !== undefined) connection.subprotocols = raw['subprotocols'] as string[];
    if (typeof raw['password'] === 'string') connection.password = raw['password'];
    if (raw['refused'] === true) connection.refused = true;
    if (typeof raw['username'] === 'string') connection.username = raw['username'];
    if (typeof raw['url'] === 'string') connection.url = raw['url'];
    if (raw['securityProfile'] !== undefined) connection.securityProfile = raw['securityProfile'] as number | string;
    if (typeof raw['certificate'] === 'string') connection.certificate = raw['certificate'] as InvalidCertificateVariant;
    if (raw['tls'] === 'legacy') connection.tls = 'legacy';
    if (raw['drop'] === true) connection.drop = true;
    if (raw['checkTls'] === true) connection.checkTls = true;
    if (raw['checkBasicAuth'] === true) connection.checkBasicAuth = true;
    if (typeof raw['clientCertificate'] === 'string') connection.clientCertificate = raw['clientCertificate'];
    if (raw['graceMs'] !== undefined) connection.graceMs = raw['graceMs'] as number | string;
    return connection;
  },
  check: (raw, path, check) => {
    for (const field of ['password', 'path', 'minDelayS', 'username', 'url', 'securityProfile', 'clientCertificate', 'graceMs', 'attempts']) check.templates(raw[field], [...path, field]);
    if (raw['certificate'] !== undefined && raw['clientCertificate'] !== undefined) check.report([...path, 'clientCertificate'], 'give either `certificate` (an invalid variant) or `clientCertificate`, not both');
    if (raw['connection'] === 'present' && raw['certificate'] === undefined && raw['tls'] === undefined) check.report([...path, 'connection'], 'connection: present needs `certificate` or `tls` (what the harness presents)');
    const operation = String(raw['connection']);
    for (const [field, operations] of Object.entries(OPERATION_FIELDS)) {
      if (raw[field] !== undefined && !operations.includes(operation)) check.report([...path, field], `"${field}" applies to connection: ${operations.join(' or ')}, not ${operation}`);
    }
  },
  describe: (step) => `connection ${step.operation}`,
  run: perItem((step, run, _scope, timeoutMs) => runConnection(step, run, timeoutMs)),
};

/** Drops the connection, gets it back (the station reconnects, or the harness reconnects as station), or opens one with options. */
export async function runConnection(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  if (step.operation === 'drop') return dropConnection(step, run);
  return run.env.link.options.side === 'as-csms' ? runAsCsms(step, run, timeoutMs) : runAsStation(step, run, timeoutMs);
}

/**
 * Closes the connection. With `graceMs` the SUT may close it itself first: Part 6 erratum 6.2.123
 * waits a while for a station to reconnect with its renewed certificate, then closes its connection.
 */
async function dropConnection(step: ConnectionStep, run: CaseRun): Promise<string> {
  const link = run.env.link;
  const session = link.session;
  if (step.graceMs !== undefined && session) {
    const graceMs = Number(run.render(step.graceMs));
    if (!Number.isFinite(graceMs) || graceMs < 0) throw errorStep('graceMs', `"${String(step.graceMs)}" is not a number of milliseconds`);
    const closed = await closedWithin(session, graceMs, run);
    if (run.pendingStop) throw run.pendingStop;
    if (closed) return `the SUT closed the connection itself (code ${closed.code})`;
    await link.drop();
    return `still open after ${graceMs} ms: the harness closed it`;
  }
  await link.drop();
  return 'connection closed';
}
