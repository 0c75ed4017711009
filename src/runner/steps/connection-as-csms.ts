import type { HandshakeInfo, TlsFailure, TlsPresentation } from '../../transport/index.js';
import type { CaseRun } from '../case-run.js';
import { errorStep, failStep } from '../step-stop.js';
import { judgeClientCertificate } from './client-certificate.js';
import { CERTIFICATE_FLAWS, seconds, type ConnectionStep } from './connection-step.js';
import { tlsProblems } from './tls-judgement.js';

// The connection step with the harness as CSMS: it waits for the station, turns its attempts away,
// presents it an invalid TLS side, or admits it only with a new password.

/** A connection operation with the harness as CSMS: the station comes back, is refused, presented an invalid side, or held to a password. */
export function runAsCsms(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> | string {
  if (step.operation === 'refuse') return refuseAttempts(step, run, timeoutMs);
  if (step.operation === 'password') return requirePassword(step, run);
  if (step.operation === 'present') return presentToStation(step, run, timeoutMs);
  return awaitStation(step, run, timeoutMs);
}

/** `restore`, harness as CSMS: only the station can bring the connection back; judged as it came. */
async function awaitStation(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  const link = run.env.link;
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

// TC_B_46, TC_B_57: the harness answers the station's attempts with HTTP 503, one after the other,
// and judges when each came.
async function refuseAttempts(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  const link = run.env.link;
  const attempts = attemptsOf(step, run);
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
  const attempts = attemptsOf(step, run);
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

/** How many attempts or handshakes the step takes: its `attempts`, rendered (default 1). */
function attemptsOf(step: ConnectionStep, run: CaseRun): number {
  const attempts = Number(run.render(step.attempts ?? 1));
  if (!Number.isInteger(attempts) || attempts < 1) throw errorStep('a number of attempts', `attempts is ${JSON.stringify(step.attempts)}, which gives ${attempts}, not a whole number from 1`);
  return attempts;
}

function presentationOf(step: ConnectionStep, run: CaseRun): TlsPresentation {
  if (step.certificate === undefined) return { label: 'a TLS side that speaks only TLS 1.0 and 1.1', legacyTls: 'only' };
  const issue = run.env.link.options.invalidCertificate;
  if (!issue) throw errorStep(`a ${step.certificate} server certificate`, 'this run has no test PKI to issue it');
  const legacy = step.tls === 'legacy' ? { legacyTls: 'only' as const } : {};
  return { label: `a server certificate that is ${CERTIFICATE_FLAWS[step.certificate]}${step.tls === 'legacy' ? ' over TLS 1.0/1.1' : ''}`, certificate: issue(step.certificate), ...legacy };
}

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
