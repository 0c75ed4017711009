import { HandshakeError, isLocalTlsRejection, type SecurityProfile } from '../../transport/index.js';
import type { CaseRun } from '../case-run.js';
import type { ConnectOverrides } from '../sut-link.js';
import { errorStep, failStep, type StepStop } from '../step-stop.js';
import { heldCertificate } from './client-certificate.js';
import { CERTIFICATE_FLAWS, seconds, type ConnectionStep } from './connection-step.js';
import { tlsProblems } from './tls-judgement.js';
import { delay } from './wait.js';

// The connection step with the harness as station: like a station it closes, pauses and opens a
// connection, with other credentials, another endpoint or profile, or a certificate, when the step says.

/** A connection operation with the harness as station: it opens a connection with the step's options, or expects it refused. */
export async function runAsStation(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  if (step.operation === 'refuse' || step.operation === 'password' || step.operation === 'present') throw errorStep(`connection: ${step.operation}`, 'only the harness as CSMS admits or refuses connection attempts');
  const overrides = connectOverrides(step, run);
  const paused = await closeAndPause(run);
  if (step.refused) return `${paused}${await expectRefusal(run, overrides, timeoutMs)}`;
  const opened = await openConnection(run, overrides, timeoutMs, step.checkTls === true, step.clientCertificate !== undefined);
  return `${paused}${opened}${step.checkTls ? judgeCsmsTls(run) : ''}`;
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
