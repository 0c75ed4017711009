import { numberOrTemplate, stringList, text, type Step } from '../../testcase/index.js';
import { INVALID_CERTIFICATE_VARIANTS, type InvalidCertificateVariant } from '../../pki/index.js';
import { HandshakeError, isLocalTlsRejection, type HandshakeInfo, type SecurityProfile, type TlsFailure, type TlsPresentation } from '../../transport/index.js';
import type { CaseRun } from '../case-run.js';
import type { ConnectOverrides } from '../sut-link.js';
import { errorStep, failStep, type StepStop } from '../step-stop.js';
import { heldCertificate, judgeClientCertificate } from './client-certificate.js';
import { perItem, type StepKind } from './step-kind.js';
import { tlsProblems } from './tls-judgement.js';
import { closedWithin, delay } from './wait.js';

/**
 * Drop the connection, bring it back, or (harness as station) open one with particular options;
 * (harness as CSMS) refuse the station's next attempts, or admit it only with a new password.
 */
export interface ConnectionStep extends Step {
  kind: 'connection';
  operation: 'drop' | 'restore' | 'open' | 'refuse' | 'password' | 'present';
  /** For `refuse`: how many attempts to turn away (default 1). */
  attempts?: number;
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
    attempts: { type: 'integer', minimum: 1, description: 'For connection: refuse, how many attempts to turn away; for present, how many TLS handshakes get what the step presents, each to be refused (default 1).' },
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
    if (typeof raw['attempts'] === 'number') connection.attempts = raw['attempts'];
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
    for (const field of ['password', 'path', 'minDelayS', 'username', 'url', 'securityProfile', 'clientCertificate', 'graceMs']) check.templates(raw[field], [...path, field]);
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
  const link = run.env.link;
  if (step.operation === 'drop') return dropConnection(step, run);
  if (link.options.side === 'as-csms') {
    if (step.operation === 'refuse') return refuseAttempts(step, run, timeoutMs);
    if (step.operation === 'password') return requirePassword(step, run);
    if (step.operation === 'present') return presentToStation(step, run, timeoutMs);
    // The harness is the CSMS: only the station can bring the connection back.
    const since = performance.now();
    const session = await link.waitForSession(timeoutMs, { fresh: !link.session });
    if (run.pendingStop) throw run.pendingStop;
    if (!session) throw failStep('the station reconnects', `no connection within ${timeoutMs} ms${tlsFailuresText(link.tlsFailuresSince(since))}${rejectionsText(link.rejectionsSince(since))}`);
    const path = step.path === undefined ? undefined : String(run.render(step.path));
    const at = link.endpoint?.path ?? '';
    if (path !== undefined && at !== path) throw failStep(`the station connects at endpoint path "${path}"`, `it connected at "${at}"${tlsFailuresText(link.tlsFailuresSince(since))}`);
    const delayText = checkDelay(step, run, link.reconnectedAfterMs, 'the station reconnects');
    const judged = judgeStationConnection(step, run);
    const certificate = judgeClientCertificate(step.clientCertificate, run);
    return `the station is connected${path !== undefined ? ` at "${at}"` : ''}${delayText}${judged}${certificate}`;
  }
  if (step.operation === 'refuse' || step.operation === 'password' || step.operation === 'present') throw errorStep(`connection: ${step.operation}`, 'only the harness as CSMS admits or refuses connection attempts');
  const overrides = connectOverrides(step, run);
  const paused = await closeAndPause(run);
  if (step.refused) return `${paused}${await expectRefusal(run, overrides, timeoutMs)}`;
  const opened = await openConnection(run, overrides, timeoutMs, step.checkTls === true, step.clientCertificate !== undefined);
  return `${paused}${opened}${step.checkTls ? judgeCsmsTls(run) : ''}`;
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

/** Harness as CSMS, `checkTls` and `checkBasicAuth`: the station's connection as it came. */
function judgeStationConnection(step: ConnectionStep, run: CaseRun): string {
  const handshake = run.env.link.handshake;
  if (!handshake || (!step.checkTls && !step.checkBasicAuth)) return '';
  const problems = [
    ...(step.checkTls ? tlsProblems(handshake, { peer: 'station', profile: run.env.config.security.profile, name: run.env.link.options.stationId }) : []),
    ...(step.checkBasicAuth ? basicAuthProblems(handshake, run.env.link.options.stationId) : []),
  ];
  if (problems.length > 0) throw failStep(`the station's connection meets ${[step.checkTls ? 'the TLS' : '', step.checkBasicAuth ? 'the Basic-auth' : ''].filter(Boolean).join(' and ')} requirements of A00`, problems.join('; '));
  const tls = handshake.tls;
  return `${step.checkTls && tls ? `; ${tls.protocol ?? 'TLS'} ${tls.cipher}${tls.peerCertificate ? `, client certificate ${tls.peerCertificate.subject}` : ''}` : ''}${step.checkBasicAuth ? `; Basic auth as "${handshake.basicAuth?.username ?? ''}" with a password of the right form` : ''}`;
}

/** A00.FR.202-205 as the harness, as CSMS, reads them off the upgrade request (never the password). */
function basicAuthProblems(handshake: HandshakeInfo, stationId: string): string[] {
  const credentials = handshake.basicAuth;
  if (!credentials) return ['A00.FR.202/203: the upgrade request carried no Basic-auth credentials'];
  return [
    ...(credentials.username !== stationId ? [`A00.FR.204: the username "${credentials.username}" is not the station identity "${stationId}"`] : []),
    ...(credentials.passwordProblem ? [credentials.passwordProblem] : []),
  ];
}

/** Harness as station, `checkTls`: the CSMS's side of the connection just opened. */
function judgeCsmsTls(run: CaseRun): string {
  const handshake = run.env.link.handshake;
  if (!handshake) return '';
  const host = new URL(handshake.url).hostname.replace(/^\[|\]$/g, '');
  const problems = tlsProblems(handshake, { peer: 'csms', profile: run.env.config.security.profile, name: host });
  if (problems.length > 0) throw failStep('the CSMS\'s side of the connection meets the TLS requirements of A00', problems.join('; '));
  const tls = handshake.tls!;
  return `; ${tls.protocol ?? 'TLS'} ${tls.cipher}, server certificate ${tls.peerCertificate?.subject ?? ''}`;
}

/** Harness as station: what the step's attempt does differently from the configured station. */
function connectOverrides(step: ConnectionStep, run: CaseRun): ConnectOverrides {
  const overrides: ConnectOverrides = {};
  if (step.subprotocols) overrides.subprotocols = step.subprotocols;
  if (step.password !== undefined) overrides.password = String(run.render(step.password));
  if (step.username !== undefined) overrides.username = String(run.render(step.username));
  if (step.tls === 'legacy') overrides.legacyTls = 'only';
  Object.assign(overrides, endpointOverrides(step, run));
  if (step.certificate !== undefined) {
    const issue = run.env.link.options.invalidCertificate;
    if (!issue) throw errorStep(`a ${step.certificate} client certificate`, 'this run has no test PKI to issue it');
    overrides.clientCertificate = issue(step.certificate);
    overrides.clientCertificateFlaw = CERTIFICATE_FLAWS[step.certificate];
  }
  if (step.clientCertificate !== undefined) overrides.clientCertificate = heldCertificate(String(run.render(step.clientCertificate)), run);
  return overrides;
}

/** Harness as station, A05: another endpoint and another security profile than the configured ones. */
function endpointOverrides(step: ConnectionStep, run: CaseRun): Pick<ConnectOverrides, 'endpoint' | 'profile'> {
  const overrides: Pick<ConnectOverrides, 'endpoint' | 'profile'> = {};
  if (step.url !== undefined) {
    const url = String(run.render(step.url));
    if (!/^wss?:\/\//.test(url)) throw errorStep('connection: open at another endpoint', `"${url}" is not a ws:// or wss:// URL`);
    overrides.endpoint = url;
  }
  if (step.securityProfile !== undefined) {
    const profile = Number(run.render(step.securityProfile));
    if (![0, 1, 2, 3].includes(profile)) throw errorStep('connection: open at another security profile', `"${String(step.securityProfile)}" is not a security profile (0 to 3)`);
    overrides.profile = profile as SecurityProfile;
  }
  // Profiles 2 and 3 run over TLS (A00.FR.301/401): a ws:// endpoint cannot serve them.
  const endpoint = overrides.endpoint ?? run.env.link.options.endpoint ?? '';
  if ((overrides.profile ?? 0) >= 2 && endpoint.startsWith('ws://')) {
    throw errorStep(`a connection at security profile ${overrides.profile}`, `the endpoint ${endpoint} is not wss://: set security.upgradeTargetUrl to the CSMS's endpoint for that profile`);
  }
  return overrides;
}

/**
 * Harness as station: like a station that reboots, it closes its connection, waits for the close,
 * and lets `timing.reconnectDelayS` pass since then before it connects again. A CSMS that sees a
 * second connection for an identity, or one a few milliseconds after the close, is not being
 * tested on anything a real station does.
 */
async function closeAndPause(run: CaseRun): Promise<string> {
  const link = run.env.link;
  await link.drop(1000, 'the station reconnects');
  const downForMs = link.downForMs;
  const remainingMs = downForMs === undefined ? 0 : run.env.config.timing.reconnectDelayS * 1000 - downForMs;
  if (remainingMs <= 0) return '';
  await delay(remainingMs, run);
  if (run.pendingStop) throw run.pendingStop;
  return `paused ${seconds(remainingMs)} before reconnecting; `;
}

// TC_B_46, TC_B_57: the harness answers the station's attempts with HTTP 503, one after the other,
// and judges when each came.
async function refuseAttempts(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  const link = run.env.link;
  const attempts = step.attempts ?? 1;
  const path = step.path === undefined ? undefined : String(run.render(step.path));
  link.refuseAttempts(attempts, path);
  const delays: string[] = [];
  for (let i = 1; i <= attempts; i++) {
    const refused = await link.waitForRefusal(timeoutMs);
    if (run.pendingStop) throw run.pendingStop;
    if (!refused) throw failStep(`the station tries to connect${path !== undefined ? ` at "${path}"` : ''} (attempt ${i} of ${attempts})`, `no attempt within ${timeoutMs} ms`);
    delays.push(checkDelay(step, run, refused.afterDownMs, `attempt ${i} comes`));
  }
  return `refused ${attempts} attempt${attempts === 1 ? '' : 's'}${path !== undefined ? ` at "${path}"` : ''}${delays.join('')}`;
}

// TC_A_05_CS, TC_A_06_CS (and 1.6's TC_078_CS): the harness presents an invalid server certificate
// or TLS 1.0/1.1 in the station's next TLS handshakes; the station must end each connection
// before it sends its upgrade request (A00.FR.311/414, A00.FR.316/419).
async function presentToStation(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  const link = run.env.link;
  const attempts = step.attempts ?? 1;
  const presentation = presentationOf(step, run);
  const requirement = step.certificate !== undefined ? 'A00.FR.311/414' : 'A00.FR.316/419';
  link.present(presentation, attempts);
  // 1.6 TC_078_CS: armed first, then the connection goes, so the station's next handshake meets it.
  if (step.drop) await link.drop();
  const outcomes: string[] = [];
  for (let i = 1; i <= attempts; i++) {
    const outcome = await link.waitForPresentation(timeoutMs);
    if (run.pendingStop) throw run.pendingStop;
    const attempt = `(attempt ${i} of ${attempts})`;
    if (!outcome) throw failStep(`the station tries to connect and is presented ${presentation.label} ${attempt}`, `no TLS connection attempt within ${timeoutMs} ms`);
    if (!outcome.refused) throw failStep(`${requirement}: the station refuses ${presentation.label} and ends the connection ${attempt}`, `it accepted it: ${outcome.reason}`);
    outcomes.push(outcome.reason);
  }
  return `the station refused ${presentation.label} ${attempts === 1 ? 'once' : `${attempts} times`} (${outcomes.join('; ')})`;
}

function presentationOf(step: ConnectionStep, run: CaseRun): TlsPresentation {
  if (step.certificate === undefined) return { label: 'a TLS side that speaks only TLS 1.0 and 1.1', legacyTls: 'only' };
  const issue = run.env.link.options.invalidCertificate;
  if (!issue) throw errorStep(`a ${step.certificate} server certificate`, 'this run has no test PKI to issue it');
  const legacy = step.tls === 'legacy' ? { legacyTls: 'only' as const } : {};
  return { label: `a server certificate that is ${CERTIFICATE_FLAWS[step.certificate]}${step.tls === 'legacy' ? ' over TLS 1.0/1.1' : ''}`, certificate: issue(step.certificate), ...legacy };
}

/** What is wrong with a certificate of each invalid variant, as verdicts say it. */
const CERTIFICATE_FLAWS: Record<InvalidCertificateVariant, string> = {
  expired: 'expired', 'not-yet-valid': 'not yet valid', 'unknown-ca': 'issued by an unknown root', 'cn-mismatch': 'issued for another host or identity',
  'wrong-key-usage': 'without the key usage TLS needs', 'short-key': 'of a 1024-bit RSA key',
};

// TC_A_09_CS: the case sets a new BasicAuthPassword; the connection the station has stays, its next
// attempt must carry the new password (A01.FR.03 as the harness plays the CSMS). The password is
// never reported.
function requirePassword(step: ConnectionStep, run: CaseRun): string {
  // Without a password of its own the step holds the station to the configured one (TC_A_10_CS).
  const password = step.password !== undefined ? String(run.render(step.password)) : run.env.config.security.basicAuthPassword;
  if (password === undefined) throw errorStep('connection: password', 'the step gives no password and none is configured (security.basicAuthPassword)');
  run.env.link.requirePassword(password);
  return 'from now on only the password the step gives admits the station';
}

/** Checks `minDelayS` against a measured delay; returns the text the step reports. */
function checkDelay(step: ConnectionStep, run: CaseRun, measuredMs: number | undefined, what: string): string {
  if (step.minDelayS === undefined) return measuredMs === undefined ? '' : ` after ${seconds(measuredMs)}`;
  const minimumS = Number(run.render(step.minDelayS));
  if (!Number.isFinite(minimumS)) throw errorStep('minDelayS', `"${String(step.minDelayS)}" is not a number of seconds`);
  if (measuredMs === undefined) throw errorStep(`${what} at least ${minimumS} s after the connection was lost`, 'the harness saw no loss of connection to measure from');
  // Timers may fire a little early and the two ends measure separately: allow 100 ms.
  if (measuredMs + DELAY_TOLERANCE_MS < minimumS * 1000) throw failStep(`${what} at least ${minimumS} s after the connection was lost or the previous attempt refused`, `it came after ${seconds(measuredMs)}`);
  return ` after ${seconds(measuredMs)} (at least ${minimumS} s)`;
}

/** What a station that did not come back may have run into: TLS handshakes that failed meanwhile. */
function tlsFailuresText(failures: readonly TlsFailure[]): string {
  if (failures.length === 0) return '';
  const last = failures.at(-1)!;
  return `; meanwhile ${failures.length} TLS handshake${failures.length === 1 ? '' : 's'} with the harness failed (last${last.remoteAddress ? ` from ${last.remoteAddress}` : ''}: ${last.reason})`;
}

/** What a station that did not come back was told: its attempts the harness turned away (e.g. HTTP 401 to an old password). */
function rejectionsText(reasons: readonly string[]): string {
  if (reasons.length === 0) return '';
  return `; meanwhile ${reasons.length} of its attempts ${reasons.length === 1 ? 'was' : 'were'} turned away (last: ${reasons.at(-1)})`;
}

const DELAY_TOLERANCE_MS = 100;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// Issue 14: the step's timeout bounds the whole opening handshake, however slowly the CSMS answers.
async function openConnection(run: CaseRun, overrides: ConnectOverrides, timeoutMs: number, judgeTls = false, ownCertificate = false): Promise<string> {
  try {
    const session = await run.env.link.connect(overrides, timeoutMs);
    const where = overrides.endpoint !== undefined ? ` at ${overrides.endpoint}` : '';
    const profile = overrides.profile !== undefined ? `, security profile ${overrides.profile}` : '';
    return `connected to the CSMS${where} (subprotocol ocpp${session.version}${profile})${ownCertificate ? ', presenting the client certificate the step gives' : ''}`;
  } catch (error) {
    if (judgeTls && error instanceof HandshakeError && isCsmsTlsFault(error)) throw failStep('the CSMS completes a TLS handshake that meets A00', error.message);
    const expected = `the CSMS accepts the connection${ownCertificate ? ' with the client certificate the step gives' : ''}`;
    // A CSMS that ends the handshake, or closes, once it has seen the certificate it issued refuses that certificate.
    if (ownCertificate && error instanceof HandshakeError && (error.stage === 'tls' || error.stage === 'closed') && !isLocalTlsRejection(error)) throw failStep(expected, error.message);
    throw environmentProblem(error, run, overrides) ?? failStep(expected, `${(error as Error).message} (HTTP ${(error as HandshakeError).handshake.responseStatus})`);
  }
}

/**
 * A TLS handshake that failed for what the CSMS offered, not for what the lab configured: no TLS
 * version or cipher suite in common with a harness that offers TLS 1.2+ and the OCPP suites, or a
 * server certificate expired, not yet valid, or for another host. A certificate that does not
 * chain to the configured root stays the lab's to sort out.
 */
function isCsmsTlsFault(error: HandshakeError): boolean {
  // A failed write names OpenSSL's reason only in the message (EPROTO), which tlsFailureReason spells as Node's code.
  const said = `${error.tlsError ?? ''} ${error.message}`;
  return error.stage === 'tls' && /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS|CIPHER|HANDSHAKE_FAILURE|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ALTNAME/.test(said) && !said.includes('WRONG_VERSION_NUMBER');
}

/**
 * A failed connection attempt that says nothing about the CSMS's OCPP behaviour: the harness's
 * own error, or a CSMS that could not be reached (refused, unknown host, TLS set-up) or did not finish the
 * opening handshake within the step's timeout (handshake-timeout). `error`, never `fail`.
 */
function unreached(error: unknown): StepStop | undefined {
  if (!(error instanceof HandshakeError)) return errorStep('a connection to the CSMS', (error as Error).message);
  if (error.stage === 'network' || error.stage === 'closed' || error.stage === 'timeout' || error.stage === 'tls') return errorStep('a connection to the CSMS', error.message);
  return undefined;
}

/**
 * As `unreached`, a 401 to the configured credentials in a step that does not try other ones, and
 * a refusal at the configured profile after an earlier case upgraded the station (A05.FR.07).
 */
function environmentProblem(error: unknown, run: CaseRun, overrides: ConnectOverrides): StepStop | undefined {
  const stop = unreached(error);
  if (stop) return stop;
  const upgraded = run.env.link.upgradedProfile;
  if (upgraded !== undefined && overrides.profile === undefined) {
    return errorStep('a connection at the configured security profile', `the CSMS refused it (HTTP ${(error as HandshakeError).handshake.responseStatus}) after an earlier case had it upgrade station ${run.env.link.options.stationId} to security profile ${upgraded}, as A05.FR.07 allows: set the station back in the CSMS, or run TC_A_19_CSMS and TC_083_CSMS last or with a station identity of their own`);
  }
  const ownCredentials = overrides.password === undefined && overrides.subprotocols === undefined;
  if ((error as HandshakeError).handshake.responseStatus === 401 && ownCredentials && !run.env.link.configuredCredentialsAdmitted) {
    const hint = run.env.link.options.security?.basicAuth
      ? 'to the configured password: check security.basicAuthPassword'
      : 'and asks for a password: set security.profile to 1 and security.basicAuthPassword';
    return errorStep('a connection to the CSMS with the configured credentials', `the CSMS answered HTTP 401 ${hint} (and that the CSMS knows station ${run.env.link.options.stationId})`);
  }
  return undefined;
}

// OCPP-J §3.1.2 and TC_B_58_CSMS: with no subprotocol it speaks, the CSMS must not end up in an
// OCPP connection: it answers without upgrading, or completes the handshake without a subprotocol
// and closes. Agreeing to an offered subprotocol it does not speak is the failure. A00: a wrong
// username or password (A00.FR.204), TLS older than 1.2 (A00.FR.315/418) or an invalid client
// certificate (A00.FR.405/407) may also be refused in the TLS handshake or by closing the connection.
async function expectRefusal(run: CaseRun, overrides: ConnectOverrides, timeoutMs: number): Promise<string> {
  const expected = `the CSMS refuses a connection ${refusalSubject(overrides, run)}`;
  try {
    await run.env.link.connect(overrides, timeoutMs);
  } catch (error) {
    // A CSMS that cannot be reached, or that the harness does not trust, refuses nothing.
    if (!(error instanceof HandshakeError) || error.stage === 'network' || error.stage === 'timeout' || isLocalTlsRejection(error)) throw unreached(error) ?? errorStep('a connection to the CSMS', (error as Error).message);
    if (error.stage === 'tls') return `refused in the TLS handshake: ${error.message}`;
    if (error.stage === 'closed') return 'refused: the CSMS closed the connection before answering the upgrade';
    const { responseStatus, subprotocol } = error.handshake;
    if (subprotocol) throw failStep(expected, `it agreed to subprotocol "${subprotocol}" (HTTP ${responseStatus})`);
    return responseStatus === 101 ? 'refused: handshake completed without a subprotocol, then closed' : `refused: HTTP ${responseStatus}`;
  }
  await run.env.link.drop();
  throw failStep(expected, 'it accepted the connection and the upgrade');
}

/** What the refused attempt offered, with the requirement that makes the CSMS refuse it. */
function refusalSubject(overrides: ConnectOverrides, run: CaseRun): string {
  const parts: string[] = [];
  const upgraded = run.env.link.upgradedProfile;
  if (upgraded !== undefined && overrides.profile === undefined) parts.push(`at the configured security profile ${run.env.config.security.profile}, after the station connected at ${upgraded} (A05.FR.07)`);
  if (overrides.subprotocols) parts.push(`offering ${overrides.subprotocols.join(', ') || 'no subprotocol'}`);
  if (overrides.username !== undefined) parts.push(`with Basic-auth username "${overrides.username}", not the station identity (A00.FR.204)`);
  if (overrides.password !== undefined) parts.push('with a wrong Basic-auth password (A00.FR.204)');
  if (overrides.legacyTls) parts.push('offering only TLS 1.0 and 1.1 (A00.FR.315/418)');
  if (overrides.clientCertificate) parts.push(`presenting a client certificate that is ${overrides.clientCertificateFlaw ?? 'invalid'} (A00.FR.405/407)`);
  return parts.join(', ') || 'with these credentials';
}
