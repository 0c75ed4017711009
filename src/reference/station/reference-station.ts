import type { Payload } from '../../protocol/index.js';
import type { CallOutcome, CallReply, IncomingCall } from '../../session/index.js';
import { NO_SECURITY, withPassword, type ConnectionSecurity } from '../../transport/index.js';
import { controlFrom, type ReferenceControl } from '../control.js';
import { ExchangeTracker } from '../exchanges.js';
import { behaviours, faultInterceptor } from '../faults.js';
import { faultyCallPolicy } from '../rpc-faults.js';
import { checkStationBehaviourFaults, type StationBehaviourFault } from './behaviour-faults.js';
import { deliveredUnderVersionNames, trustedCsmsRoots } from './csms-trust.js';
import { BootCycle } from './boot-cycle.js';
import type { BootReason, StationContext, VersionDriver } from './context.js';
import { Heartbeat } from './heartbeat.js';
import { resolveStationOptions, type ReferenceStationOptions, type ResolvedStationOptions } from './options.js';
import { CsmsConnection } from './csms-connection.js';
import { RefusedConnections } from './refused-connections.js';
import { StationState } from './station-state.js';
import { Timers } from './timers.js';
import { TransactionQueue, type TxMessage } from './tx-queue.js';
import { createV16Driver } from './v16/driver.js';
import { createV201Driver } from './v201/driver.js';

// How long back-up power keeps the station up to tell the CSMS what a power cut ended.
const BACKUP_POWER_MS = 5_000;

// OCPP 1.6 §4.2 / B02.FR.05: remote start and stop are refused while the boot is Pending.
const REFUSED_WHILE_PENDING = new Set(['RequestStartTransaction', 'RequestStopTransaction', 'RemoteStartTransaction', 'RemoteStopTransaction']);

/**
 * The built-in reference charging station (OCPP 1.6 and 2.0.1; 2.1 as 2.0.1): it connects to a
 * CSMS, boots, reports its connectors, keeps its heartbeat, answers the CSMS and acts out the
 * device actions of its control API, as the specification says, or with the faults it was given.
 */
export class ReferenceStation {
  /** The device actions (plugIn, presentIdToken, reboot, goOffline, ...). */
  readonly control: ReferenceControl;
  /** Errors the station caught in its timers and handlers (empty when all went well). */
  readonly problems: string[] = [];
  private readonly options: ResolvedStationOptions;
  private readonly faults: Set<string>;
  private readonly timers: Timers;
  private readonly state: StationState;
  private readonly txQueue: TransactionQueue;
  private readonly link: CsmsConnection;
  private readonly boot: BootCycle;
  private readonly heartbeat: Heartbeat;
  private readonly driver: VersionDriver;
  /** The OCPP exchange each control action causes, for callers that wait for it. */
  private readonly exchanges = new ExchangeTracker();
  private readonly refusedConnections: RefusedConnections;
  private offlineSinceMs: number | undefined;
  /** Whether the station has had a connection: the `reconnect-*` faults act from the second one on. */
  private connectedBefore = false;

  constructor(options: ReferenceStationOptions) {
    this.options = resolveStationOptions(options);
    this.faults = behaviours(this.options.faults);
    this.refusedConnections = new RefusedConnections(this.options.version);
    checkStationBehaviourFaults(this.faults);
    this.timers = new Timers((error) => this.problem(error), this.exchanges);
    this.state = new StationState(this.options.evses, deliveredUnderVersionNames(this.options.certificates ?? [], this.options.version), this.options.identity.firmwareVersion);
    this.txQueue = new TransactionQueue({
      call: (action, payload) => this.link.call(action, payload),
      canSend: () => this.link.isOpen && this.boot.registration === 'Accepted',
      attempts: () => this.driver.txMessageAttempts(),
      retryIntervalS: () => this.driver.txRetryIntervalS(),
      noRetryOnTimeout: this.hasFault('no-retry-on-timeout'),
      withoutWaiting: this.hasFault('queue-without-waiting'),
      timers: this.timers,
      hold: (what) => this.exchanges.hold(what),
    });
    const context = this.createContext();
    this.driver = this.options.version === '1.6' ? createV16Driver(context) : createV201Driver(context);
    this.link = this.createLink();
    // A connection the station refused is reported once it is back: 2.0.1 A00.FR.310/413, 316/419;
    // the 1.6 security whitepaper's A00.FR.309, 315 (under its own event names).
    if (!this.hasFault('no-connection-security-event')) this.link.on('attemptFailed', (error) => this.refusedConnections.note(error, this.options.clock()));
    this.boot = this.createBootCycle();
    this.heartbeat = new Heartbeat(this.timers, () => void this.send('Heartbeat', {}), () => this.driver.heartbeatIntervalS(), this.hasFault('ignore-heartbeat-interval'));
    this.control = controlFrom({
      ...this.driver.actions,
      reboot: () => this.powerCycle(),
      goOffline: () => (this.link.goOffline(), { status: 'done' }),
      goOnline: () => (this.link.goOnline(), { status: 'done' }),
    }, this.exchanges, () => this.status());
  }

  /**
   * Connects and boots; resolves once the first BootNotification got its answer, or with
   * `settleMs`, once what the boot made it send (its connector reports) was answered too, at most
   * that long: Part 6 starts a case from a station that is idle, not one still reporting.
   */
  async start(options: { settleMs?: number } = {}): Promise<void> {
    const boot = async () => {
      const answered = this.boot.whenFirstAnswered();
      try {
        await this.link.connect();
      } catch (error) {
        await this.stop();
        throw error;
      }
      await answered;
    };
    if (options.settleMs === undefined) return boot();
    await this.exchanges.run(boot, options.settleMs);
  }

  /** Resolves true once every queued transaction message was answered, false after `timeoutMs`. */
  whenTransactionMessagesDelivered(timeoutMs: number): Promise<boolean> {
    return this.txQueue.whenEmpty(timeoutMs);
  }

  /** Stops every timer and closes the connection; the station never reconnects after. */
  async stop(): Promise<void> {
    this.timers.stop();
    this.boot.release();
    await this.link.stop();
  }

  /** What makes the station idle or not: connection, registration, connector statuses, running transactions. */
  status(): Record<string, unknown> {
    return { connected: this.link.isOpen, registration: this.boot.registration, ...this.driver.status(), queuedTransactionMessages: this.txQueue.length };
  }

  private createContext(): StationContext {
    return {
      version: this.options.version,
      options: this.options,
      state: this.state,
      timers: this.timers,
      txQueue: this.txQueue,
      now: this.options.clock,
      registration: () => this.boot.registration,
      isOnline: () => this.link.isOpen,
      hasFault: (name) => this.hasFault(name),
      hasTrait: (trait) => this.options.traits.includes(trait),
      send: (action, payload, options) => this.send(action, payload, options?.requested ?? false),
      // behaviour:offline-messages-lost drops what it should queue while offline (OCPP 1.6 §3.7: MUST queue).
      enqueueTx: (message: TxMessage) => (this.hasFault('offline-messages-lost') && !this.link.isOpen ? undefined : this.txQueue.enqueue(message)),
      reboot: (reason) => this.reboot(reason),
      reconnect: () => this.link.restart(),
      bootNow: () => this.timers.run(() => this.boot.boot(true)),
      // Settings applied while the driver is built may change the interval before the heartbeat exists.
      restartHeartbeat: () => this.heartbeat?.restart(),
      problem: (error) => this.problem(error),
    };
  }

  /**
   * The configured security with what the station holds now: the Basic-auth password the CSMS set
   * (SecurityCtrlr.BasicAuthPassword) and, over TLS, exactly the CSMS roots it has installed,
   * never a default store (A00.FR.308).
   */
  private connectionSecurity(): ConnectionSecurity {
    const configured = this.options.security ?? NO_SECURITY;
    // behaviour:password-not-applied keeps connecting with the password it was delivered with (breaks A01.FR.01, A01.FR.03).
    const set = this.hasFault('password-not-applied') ? undefined : this.driver.basicAuthPassword();
    const password = set ?? configured.basicAuth?.password;
    const roots = trustedCsmsRoots(this.state.certificates, deliveredUnderVersionNames(this.options.certificates ?? [], this.options.version), this.hasFault('trust-delivered-root-only'));
    // behaviour:accepts-old-tls speaks TLS 1.0 and 1.1 besides (breaks A00.FR.316/419).
    // The *-on-reconnect and reconnect-* faults spare the first connection, so a run reaches the case they break.
    const reconnecting = this.connectedBefore;
    // behaviour:old-tls-on-reconnect speaks nothing newer (breaks A00.FR.313/416).
    const legacy = this.hasFault('accepts-old-tls') ? { legacyTls: 'accepted' as const } : reconnecting && this.hasFault('old-tls-on-reconnect') ? { legacyTls: 'only' as const } : {};
    // behaviour:accepts-invalid-server-certificate verifies nothing (breaks A00.FR.310/311, 412-414).
    const lax = this.hasFault('accepts-invalid-server-certificate') ? { acceptsAnyServerCertificate: true as const } : {};
    // A02.FR.08: at profile 3 a renewed station certificate replaces the configured one
    // (behaviour:keep-old-client-certificate keeps the configured one).
    const renewed = configured.profile === 3 && !this.hasFault('keep-old-client-certificate') ? this.driver.renewedClientCertificate?.() : undefined;
    const client = renewed ? { clientCertificate: renewed } : {};
    const secured = withPassword(configured, password);
    // behaviour:wrong-username-on-reconnect (breaks A00.FR.204).
    const basicAuth = secured.basicAuth && reconnecting && this.hasFault('wrong-username-on-reconnect') ? { basicAuth: { ...secured.basicAuth, username: `${this.options.stationId}-x` } } : {};
    const security: ConnectionSecurity = { ...secured, ...basicAuth, trustedRoots: { ...configured.trustedRoots, server: roots }, ...legacy, ...lax, ...client };
    return reconnecting ? this.reconnectFaults(security) : security;
  }

  /**
   * Faults that break the security profile only when the station connects again, so that a case
   * sees it booted first (TC_085/086/087_CS reconnect it): behaviour:reconnect-without-credentials
   * leaves out the Basic-auth password and the client certificate (breaks A00.FR.203/302/402),
   * behaviour:reconnect-trusting-default-roots verifies the server certificate with Node's default
   * roots instead of its installed CSMS roots (breaks A00.FR.307/308).
   */
  private reconnectFaults(security: ConnectionSecurity): ConnectionSecurity {
    let faulty = security;
    if (this.hasFault('reconnect-without-credentials')) {
      const { basicAuth: _password, clientCertificate: _certificate, ...rest } = faulty;
      faulty = rest;
    }
    if (this.hasFault('reconnect-trusting-default-roots')) faulty = { ...faulty, trustedRoots: { ...faulty.trustedRoots, server: [] } };
    return faulty;
  }

  private createLink(): CsmsConnection {
    const link = new CsmsConnection({
      endpoints: () => this.driver.endpointPlan(),
      onConnectedTo: (slot, serverCertificatePem) => this.driver.connectedTo(slot, serverCertificatePem),
      security: () => this.connectionSecurity(),
      stationId: this.options.stationId,
      version: this.options.version,
      trace: this.options.trace,
      interceptor: faultInterceptor(this.options.faults),
      faultyCalls: faultyCallPolicy(this.options.faults),
      handler: (call) => this.answer(call),
      reconnectDelayMs: this.options.reconnectDelayMs,
      rebootDelayMs: this.options.rebootDelayMs,
      exchanges: this.exchanges,
      backOff: () => this.hasFault('no-back-off')
        ? { waitMinimumS: 0, randomRangeS: 0, repeatTimes: 0, doubling: false }
        : { ...this.driver.reconnectBackOff(), doubling: !this.hasFault('back-off-not-doubled') },
      callTimeoutMs: () => Math.max(1, this.driver.messageTimeoutS()) * 1000,
      noReconnect: this.hasFault('no-reconnect'),
      timers: this.timers,
    });
    link.on('open', () => {
      this.connectedBefore = true;
      void this.timers.run(() => this.onOpen());
    });
    link.on('close', () => {
      this.offlineSinceMs ??= Date.now();
      // E11.FR.07: what is still queued when the station goes offline is marked offline.
      this.txQueue.markOffline();
    });
    return link;
  }

  private createBootCycle(): BootCycle {
    return new BootCycle({
      call: (action, payload) => this.link.call(action, payload),
      bootRequest: (reason) => this.driver.bootRequest(reason),
      timers: this.timers,
      bootRetryS: this.options.bootRetryS,
      hurry: this.hasFault('boot-before-interval'),
      chatWhilePending: this.hasFault('messages-while-pending'),
      onAccepted: (reason, intervalS) => this.onAccepted(reason, intervalS),
    });
  }

  private async onOpen(): Promise<void> {
    const offlineMs = this.offlineSinceMs === undefined ? 0 : Date.now() - this.offlineSinceMs;
    this.offlineSinceMs = undefined;
    if (this.boot.registration !== 'Accepted') return this.boot.boot();
    // A reconnect without a reboot: no new boot (B01.FR.03 is about reboots), report what changed.
    this.driver.onReconnected(offlineMs);
    this.reportRefusedConnections();
    if (this.hasFault('queue-out-of-order')) this.txQueue.reverseUntried();
    this.txQueue.pump();
  }

  private reportRefusedConnections(): void {
    for (const event of this.refusedConnections.take()) void this.send('SecurityEventNotification', event);
  }

  private onAccepted(reason: BootReason, intervalS: number): void {
    // B01.FR.04, OCPP 1.6 §4.2: the interval of an accepted boot is the heartbeat interval.
    if (intervalS > 0) this.driver.setHeartbeatIntervalS(intervalS);
    this.driver.onBootAccepted(reason);
    this.reportRefusedConnections();
    this.heartbeat.start();
    this.txQueue.pump();
  }

  private answer(call: IncomingCall): CallReply | Promise<CallReply> {
    const booting = this.boot.inFlight();
    if (booting) return booting.then(() => this.answerRegistered(call), () => this.answerRegistered(call));
    return this.answerRegistered(call);
  }

  private answerRegistered(call: IncomingCall): CallReply | Promise<CallReply> {
    const registration = this.boot.registration;
    if (registration === 'Accepted') return this.driver.handleCall(call);
    if (registration === 'Pending') {
      return REFUSED_WHILE_PENDING.has(call.action) ? { payload: { status: 'Rejected' } } : this.driver.handleCall(call);
    }
    // OCPP 1.6 §4.2: while Rejected the station does not answer the Central System at all.
    if (registration === 'Rejected' && this.options.version === '1.6') return { noReply: true };
    if (registration === 'Rejected' && this.hasFault('answer-while-rejected')) return this.driver.handleCall(call);
    // B03.FR.08 (and before any answer to the boot): refuse with SecurityError.
    return { error: 'SecurityError', description: `the station is not accepted by the CSMS (registration ${registration})` };
  }

  private async send(action: string, payload: Payload, requested = false): Promise<CallOutcome> {
    if (!this.link.isOpen) return { kind: 'closed' };
    if (this.boot.registration !== 'Accepted' && !requested) return { kind: 'closed' };
    return this.link.call(action, payload);
  }

  private reboot(reason: BootReason): void {
    this.heartbeat.stop();
    this.boot.rebooted(reason);
    this.offlineSinceMs = undefined;
    this.link.restart();
  }

  private powerCycle(): { status: 'done' } {
    // A station on back-up power ends what the cut ends, and waits (a while at most) until the
    // CSMS heard of it, before it goes down (TC_032_1_CS); behaviour:backup-power-unused goes down at once.
    if (this.options.traits.includes('backup-power') && !this.hasFault('backup-power-unused')) {
      void this.timers.run(async () => {
        await this.exchanges.run(() => this.driver.onPowerLoss(), BACKUP_POWER_MS);
        this.reboot('PowerUp');
      });
      return { status: 'done' };
    }
    // Without it the power is gone first: what the cut ends is queued, and sent after the next boot.
    this.reboot('PowerUp');
    this.driver.onPowerLoss();
    return { status: 'done' };
  }

  private hasFault(name: StationBehaviourFault): boolean {
    return this.faults.has(name);
  }

  private problem(error: unknown): void {
    this.problems.push(error instanceof Error ? error.stack ?? error.message : String(error));
  }
}
