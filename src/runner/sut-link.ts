import { EventEmitter } from 'node:events';
import { createFinding, directionFrom, oppositeOf, type Finding } from '../protocol/index.js';
import { createRecord, Session, type CallReply, type TraceEvent, type TraceSink } from '../session/index.js';
import { roleOf } from './harness-side.js';
import {
  HandshakeError, NO_SECURITY, connectAsStation, endpointPathOf, withPassword,
  type Connection, type ConnectionSecurity, type HandshakeInfo, type SecurityProfile, type HandshakeTimeout, type PresentationOutcome, type TlsPresentation, type TlsFailure,
} from '../transport/index.js';
import type { ConnectOverrides, PendingCall, RefusedAttempt, SutLinkEvents, SutLinkOptions } from './sut-link-types.js';

export type { AnsweredWith, ConnectOverrides, PendingCall, RefusedAttempt, SutLinkEvents, SutLinkOptions } from './sut-link-types.js';

/**
 * The harness's side of the conversation with one SUT identity across reconnections: which
 * session is current, and every CALL the SUT sends, whichever connection it came on. The case
 * runner decides how each CALL is answered.
 */
export class SutLink extends EventEmitter<SutLinkEvents> {
  private currentSession: Session | undefined;
  private readonly context: { testId?: string; stepId?: string } = {};
  /** When the station last lost its connection or had an attempt refused (OCPP-J §5.3 back-off starts there). */
  private downAtMs: number | undefined;
  /** For the current session: how long after `downAtMs` the station came back. */
  private lastAttemptAfterDownMs: number | undefined;
  private currentEndpoint: { url: string; path: string } | undefined;
  private currentHandshake: HandshakeInfo | undefined;

  /** TLS handshakes the servers saw fail (no station identity is known then), with when. */
  private readonly tlsFailures: Array<TlsFailure & { atMs: number }> = [];
  /** Why the servers turned the station's recent upgrade requests away (a wrong password: A01), with when. */
  private readonly rejections: Array<{ reason: string; atMs: number }> = [];
  /**
   * Connections the harness has closed or replaced. What still arrives on them is traced, marked
   * `meta.connectionRetired`, and decides no case: its findings are the run's (issue 14).
   */
  private readonly retired = new Set<string>();

  constructor(readonly options: SutLinkOptions) {
    super();
    for (const server of options.servers ?? []) {
      server.on('connection', (connection, version) => {
        if (connection.handshake.stationId === options.stationId && version === options.version) this.adopt(connection);
      });
      server.on('rejected', ({ handshake, reason }) => {
        if (handshake.stationId !== options.stationId) return;
        const now = performance.now();
        this.rejections.push({ reason, atMs: now });
        if (this.rejections.length > MAX_TLS_FAILURES) this.rejections.shift();
        const afterDownMs = this.downAtMs === undefined ? undefined : now - this.downAtMs;
        this.downAtMs = now;
        this.emit('refused', { path: endpointPathOf(handshake.url), afterDownMs });
      });
      server.on('handshakeTimeout', (timeout) => {
        const named = timeout.handshake.stationId;
        if (named === options.stationId || options.recordsStrayHandshake?.(named)) this.recordServerHandshakeTimeout(timeout);
      });
      server.on('presented', (outcome) => this.emit('presented', outcome));
      server.on('tlsFailure', (failure) => {
        this.tlsFailures.push({ ...failure, atMs: performance.now() });
        if (this.tlsFailures.length > MAX_TLS_FAILURES) this.tlsFailures.shift();
      });
    }
  }

  /**
   * Harness as CSMS: the TLS handshakes that failed on the servers since `sinceMs` (performance.now()),
   * from any station: a failure happens before the station names itself.
   */
  tlsFailuresSince(sinceMs: number): TlsFailure[] {
    return this.tlsFailures.filter((failure) => failure.atMs >= sinceMs).map(({ atMs: _atMs, ...failure }) => failure);
  }

  /**
   * Harness as station: the CSMS has admitted the configured credentials before. A 401 to them
   * afterwards is the CSMS's doing (it dropped them, A01.FR.04), not a configuration mistake.
   */
  configuredCredentialsAdmitted = false;

  /**
   * Harness as station: a Basic-auth password other than the configured one that the CSMS admitted
   * the station with last (a case's new password, A01.FR.03); undefined once the configured
   * credentials are admitted again. Between cases the CSMS is made to set the configured one back.
   */
  admittedOtherPassword: string | undefined;

  /**
   * Harness as station: the security profile above the configured one that a case connected the
   * station at (A05). The CSMS may then refuse the configured profile for good (A05.FR.07), which
   * is no fault of a later case. Forgotten when the endpoint changes (a fresh reference CSMS).
   */
  upgradedProfile: SecurityProfile | undefined;

  /** Harness as CSMS: why the station's upgrade requests since `sinceMs` (performance.now()) were turned away. */
  rejectionsSince(sinceMs: number): string[] {
    return this.rejections.filter((rejection) => rejection.atMs >= sinceMs).map((rejection) => rejection.reason);
  }

  /** How long after the previous loss or refusal the current session's attempt came; undefined for a first connection. */
  get reconnectedAfterMs(): number | undefined {
    return this.session ? this.lastAttemptAfterDownMs : undefined;
  }

  /**
   * Harness as CSMS: the endpoint the current session's station connected at, as the station
   * reached it: `ws(s)://<Host header><endpoint path>`, and the endpoint path alone.
   */
  get endpoint(): { url: string; path: string } | undefined {
    return this.session ? this.currentEndpoint : undefined;
  }

  /** The opening handshake of the current session's connection: its TLS facts, the form of its credentials. */
  get handshake(): HandshakeInfo | undefined {
    return this.session ? this.currentHandshake : undefined;
  }

  /** Harness as CSMS: turns away the station's next `count` attempts (at an endpoint path, if given) with HTTP 503. */
  refuseAttempts(count: number, endpointPath?: string): void {
    this.options.refusals?.add({ stationId: this.options.stationId, count, ...(endpointPath !== undefined ? { endpointPath } : {}) });
  }

  /** Harness as CSMS: from now on only this Basic-auth password admits the station (A01.FR.03), until the case ends. */
  requirePassword(password: string): void {
    this.options.refusals?.setPassword(this.options.stationId, password);
  }

  /**
   * Harness as CSMS: the next `count` TLS handshakes at the servers get `presentation` (an invalid
   * server certificate, old TLS) instead of the normal side, until the case ends.
   */
  present(presentation: TlsPresentation, count: number): void {
    this.options.refusals?.present(presentation, count);
  }

  /** Resolves with how the next station met a presentation, or undefined after the timeout. */
  waitForPresentation(timeoutMs: number): Promise<PresentationOutcome | undefined> {
    return this.nextEvent('presented', timeoutMs);
  }

  /** Forgets refusals and presentations a case armed and did not use. */
  clearRefusals(): void {
    this.options.refusals?.clear(this.options.stationId);
    this.options.refusals?.clearPresentation();
  }

  /** Resolves with the next refused attempt, or undefined after the timeout. */
  waitForRefusal(timeoutMs: number): Promise<RefusedAttempt | undefined> {
    return this.nextEvent('refused', timeoutMs);
  }

  /** The open session, if any. */
  get session(): Session | undefined {
    return this.currentSession?.isOpen ? this.currentSession : undefined;
  }

  /** Stamps test and step ids on every following trace record, on every session. */
  setContext(testId: string | undefined, stepId: string | undefined): void {
    this.context.testId = testId;
    this.context.stepId = stepId;
    if (this.currentSession) Object.assign(this.currentSession.context, { testId, stepId });
  }

  /**
   * Records an EVENT that concerns the SUT but crossed no OCPP connection (its requests to the
   * file server), stamped like the link's frames with the station, test and step.
   */
  recordSutEvent(event: TraceEvent, findings?: Finding[]): void {
    const { version, stationId, side } = this.options;
    const context = { ocppVersion: version, chargePointId: stationId, ...this.context };
    this.options.trace.write(createRecord(context, oppositeOf(directionFrom(roleOf(side))), 'EVENT', {}, findings, event));
    this.emit('sutEvent');
  }

  /** Resolves with an open session: the current one, or the next to connect, or undefined after the timeout. */
  waitForSession(timeoutMs: number, options: { fresh?: boolean } = {}): Promise<Session | undefined> {
    const open = this.session;
    if (open && !options.fresh) return Promise.resolve(open);
    return this.nextEvent('session', timeoutMs);
  }

  /** The first argument of the next `event`, or undefined after the timeout. */
  private nextEvent<Name extends 'session' | 'refused' | 'presented'>(event: Name, timeoutMs: number): Promise<SutLinkEvents[Name][0] | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (value: SutLinkEvents[Name][0] | undefined) => {
        clearTimeout(timer);
        this.off(event, finish as never);
        resolve(value);
      };
      this.on(event, finish as never);
    });
  }

  /**
   * Harness as station: points later connections at another CSMS endpoint (a restarted reference
   * CSMS), secured as given, with its endpoint one profile up when it serves one (A05).
   */
  setEndpoint(endpoint: string, security?: ConnectionSecurity, upgradeEndpoint?: string): void {
    this.options.endpoint = endpoint;
    if (security) this.options.security = security;
    if (upgradeEndpoint !== undefined) this.options.upgradeEndpoint = upgradeEndpoint;
    else delete this.options.upgradeEndpoint;
    this.upgradedProfile = undefined;
  }

  /**
   * Harness as station: how long ago its last connection closed (undefined while one is open or
   * before the first): a station that reconnects pauses first, as after a reboot.
   */
  get downForMs(): number | undefined {
    return this.session || this.downAtMs === undefined ? undefined : performance.now() - this.downAtMs;
  }

  /**
   * Harness as station: connects to the CSMS (offering the given subprotocols) and makes it current.
   * An open connection is closed first, and the new one is opened only once it has closed: a real
   * station has one connection at a time, and a CSMS may not cope with a second one for the same
   * identity (OCPP-J: one connection per identity).
   */
  async connect(overrides: ConnectOverrides = {}, timeoutMs = this.options.connectMs): Promise<Session> {
    const { stationId, version, limits } = this.options;
    const endpoint = overrides.endpoint ?? this.options.endpoint;
    if (!endpoint) throw new Error('SutLink.connect: no CSMS endpoint configured (use --target)');
    const base = overrides.profile === undefined ? this.options.security : this.securityAt(overrides.profile);
    await this.drop(1000, 'the station reconnects');
    const security = overriddenSecurity(base ?? NO_SECURITY, overrides);
    try {
      const { connection } = await connectAsStation({
        endpoint, stationId, versions: [version], security,
        ...(overrides.subprotocols ? { subprotocols: overrides.subprotocols } : {}), ...(overrides.username !== undefined ? { username: overrides.username } : {}),
        ...(timeoutMs !== undefined ? { handshakeTimeoutMs: timeoutMs } : {}), ...(limits ? { limits } : {}),
      });
      if (overrides.password === undefined && overrides.username === undefined && !overrides.clientCertificate && overrides.profile === undefined) {
        this.configuredCredentialsAdmitted = true;
        this.admittedOtherPassword = undefined;
      } else if (overrides.password !== undefined && overrides.username === undefined) {
        this.admittedOtherPassword = overrides.password;
      }
      if (overrides.profile !== undefined && overrides.profile > (this.options.security?.profile ?? 0)) this.upgradedProfile = overrides.profile;
      return this.adopt(connection);
    } catch (error) {
      if (error instanceof HandshakeError && error.stage === 'timeout') this.recordHandshakeTimeout(error, timeoutMs);
      throw error;
    }
  }

  /** Harness as station: the security of a connection at `profile` (A05); throws when the lab lacks what it needs (a client certificate). */
  private securityAt(profile: SecurityProfile): ConnectionSecurity {
    if (!this.options.securityAt) throw new Error(`SutLink.connect: no way to connect at security profile ${profile} configured`);
    return this.options.securityAt(profile);
  }

  /** Closes the current connection and resolves once it is closed (also when it was already closing). */
  async drop(code = 1000, reason = 'dropped by the test case'): Promise<void> {
    const session = this.currentSession;
    if (!session) return;
    this.retire(session);
    if (session.isOpen) await session.close(code, reason);
    else await session.whenClosed();
  }

  private retire(session: Session): void {
    if (session.context.connectionId !== undefined) this.retired.add(session.context.connectionId);
  }

  /** Harness as station: a CSMS that did not complete the opening handshake in time, traced like the SUT's frames. */
  private recordHandshakeTimeout(error: HandshakeError, timeoutMs: number | undefined): void {
    const finding = createFinding(this.options.version, 'handshake-timeout', error.message);
    this.recordSutEvent({ kind: 'handshake-timeout', handshake: error.handshake, timeoutMs: timeoutMs ?? 0 }, [finding]);
  }

  /** Harness as CSMS: a station (or an unnamed socket) that did not complete its upgrade in time; the server dropped it. */
  private recordServerHandshakeTimeout({ handshake, timeoutMs, bytesReceived }: HandshakeTimeout): void {
    const who = `${handshake.remoteAddress ?? 'a client'}${handshake.url ? ` (GET ${handshake.url})` : ''}`;
    const message = `handshake-timeout: the opening handshake of ${who} did not complete within ${timeoutMs} ms (${bytesReceived} bytes received); the connection was dropped`;
    const finding = createFinding(this.options.version, 'handshake-timeout', message);
    this.recordSutEvent({ kind: 'handshake-timeout', handshake, timeoutMs, bytesReceived }, [finding]);
  }

  private adopt(connection: Connection): Session {
    const previous = this.currentSession;
    // Issue 14: frames still arriving on a connection the harness closed or replaced are traced
    // with their connection id, but belong to no case (see TraceRouter).
    const trace: TraceSink = {
      write: (record) => {
        if (this.retired.has(connection.id)) record.meta.connectionRetired = true;
        this.options.trace.write(record);
      },
    };
    const session = new Session({
      role: roleOf(this.options.side), version: this.options.version, connection, trace,
      callTimeoutMs: this.options.callTimeoutMs, invalidCalls: 'deliver', context: { ...this.context },
    });
    session.on('finding', (finding, record) => {
      if (!record.meta.connectionRetired) this.emit('finding', finding, record);
    });
    session.setCallHandler((call) => new Promise<CallReply>((resolve) => {
      // A CALL on a connection being closed is not the case's to answer; the connection ends anyway.
      if (this.retired.has(connection.id)) return resolve({ noReply: true });
      const pending: PendingCall = {
        call, receivedAtMs: performance.now(), answered: false,
        respond: (reply) => {
          if (pending.answered) return;
          pending.answered = true;
          resolve(reply);
        },
      };
      this.emit('call', pending);
    }));
    const now = performance.now();
    this.lastAttemptAfterDownMs = this.downAtMs === undefined ? undefined : now - this.downAtMs;
    this.currentEndpoint = endpointOf(connection);
    this.currentHandshake = connection.handshake;
    session.once('close', () => {
      if (this.currentSession === session) this.downAtMs = performance.now();
    });
    this.currentSession = session;
    // Harness as CSMS: a station that reconnects replaces its old connection (OCPP-J: one
    // connection per identity). As station the harness closed the old one before connecting.
    if (previous) this.retire(previous);
    if (previous?.isOpen) previous.close(1000, 'replaced by a new connection');
    this.emit('session', session);
    return session;
  }
}

const MAX_TLS_FAILURES = 20;

function overriddenSecurity(configured: ConnectionSecurity, overrides: ConnectOverrides): ConnectionSecurity {
  const security = overrides.password !== undefined ? withPassword(configured, overrides.password) : configured;
  return {
    ...security,
    ...(overrides.clientCertificate ? { clientCertificate: overrides.clientCertificate } : {}),
    ...(overrides.legacyTls ? { legacyTls: overrides.legacyTls } : {}),
  };
}

function endpointOf(connection: Connection): { url: string; path: string } {
  const { handshake } = connection;
  const path = endpointPathOf(handshake.url);
  const host = String(handshake.requestHeaders['host'] ?? '');
  return { url: `${handshake.tls ? 'wss' : 'ws'}://${host}${path}`, path };
}
