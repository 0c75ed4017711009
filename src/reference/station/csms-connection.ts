import { EventEmitter } from 'node:events';
import type { OcppVersion, Payload } from '../../protocol/index.js';
import { Session, type CallHandler, type CallOutcome, type FaultyCallPolicy, type OutgoingInterceptor, type TraceSink } from '../../session/index.js';
import { connectAsStation, type CloseInfo, type Connection, type ConnectionSecurity, type SecurityProfile } from '../../transport/index.js';
import type { ExchangeTracker } from '../exchanges.js';
import type { TimerSlot, Timers } from './timers.js';

/** The CSMS endpoints to try after a (re)boot, best first, and the attempts each gets before the next (B10). */
export interface EndpointPlan {
  /** Each with the security profile its network connection profile names (2.0.1 B09); absent: the station's own. */
  candidates: Array<{ slot: number; url: string; securityProfile?: SecurityProfile }>;
  attemptsEach: number;
}

/** What the link needs to know to (re)connect. */
export interface CsmsConnectionOptions {
  /** Read at every (re)boot: 2.0.1 follows NetworkConfigurationPriority, which takes effect after a reboot. */
  endpoints: () => EndpointPlan;
  /**
   * Told which candidate the station connected with (2.0.1 ActiveNetworkProfile) and, over TLS,
   * the CSMS's server certificate it accepted. Returns true when that changed the endpoints to
   * try (A05.FR.06: the profiles of a lower security profile are gone), which then apply at once.
   */
  onConnectedTo?: (slot: number, serverCertificatePem: string | undefined) => boolean | void;
  /**
   * Read at every connection attempt, for the security profile of the candidate tried (absent:
   * the station's own): how it is secured, with the roots a CSMS's server certificate must chain
   * to (its installed CSMS roots) and the Basic-auth password (the CSMS may change it:
   * SecurityCtrlr.BasicAuthPassword).
   */
  security: (securityProfile?: SecurityProfile) => ConnectionSecurity;
  stationId: string;
  version: OcppVersion;
  trace: TraceSink;
  interceptor: OutgoingInterceptor | undefined;
  /** How the station answers frames it cannot process, when a fault says otherwise than OCPP-J. */
  faultyCalls: FaultyCallPolicy | undefined;
  handler: CallHandler;
  reconnectDelayMs: number;
  /** How long a reboot keeps the station away: from closing the connection to the next attempt (never before the close completed). */
  rebootDelayMs: number;
  /** Every CALL the station sends and every reconnect it schedules belongs to the exchange of the control action that caused it. */
  exchanges: ExchangeTracker;
  /** The reconnection back-off after a connection loss (OCPP-J §5.3), read at each loss. */
  backOff: () => BackOff;
  /** The answer timeout of each CALL, read when it is sent (OCPPCommCtrlr.MessageTimeout). */
  callTimeoutMs: () => number;
  /** behaviour:no-reconnect: stay away after the CSMS or the network dropped the connection. */
  noReconnect: boolean;
  timers: Timers;
}

/** OCPP-J 2.0.1 §5.3: OCPPCommCtrlr.RetryBackOffWaitMinimum, RetryBackOffRandomRange, RetryBackOffRepeatTimes. */
export interface BackOff {
  waitMinimumS: number;
  randomRangeS: number;
  repeatTimes: number;
  /** behaviour:back-off-not-doubled: every attempt waits the minimum. */
  doubling: boolean;
}

/**
 * The wait before reconnection attempt number `failures + 1` after a loss: the minimum, doubled
 * after every failed attempt up to `repeatTimes` doublings, plus a fresh random part each time.
 */
export function backOffDelayMs(backOff: BackOff, failures: number, random = Math.random): number {
  const doublings = backOff.doubling ? Math.min(failures, Math.max(0, backOff.repeatTimes)) : 0;
  return (backOff.waitMinimumS * 2 ** doublings + random() * backOff.randomRangeS) * 1000;
}

/** Events of the link: a new session is open, or the current one closed. */
export interface CsmsConnectionEvents {
  open: [session: Session];
  /** A connection attempt failed (its HandshakeError): the station may have a security event to report. */
  attemptFailed: [error: unknown];
  close: [info: CloseInfo];
}

const MAX_RETRY_DELAY_MS = 10_000;
// How long the station waits for the CSMS to answer its WebSocket close before it drops the socket.
const CLOSE_WAIT_MS = 1_000;

/**
 * The station's connection to the CSMS: connects, hands each new session to the station,
 * reconnects after a loss (fast: the harness waits on it), goes offline and online on command.
 */
export class CsmsConnection extends EventEmitter<CsmsConnectionEvents> {
  private session: Session | undefined;
  private connection: Connection | undefined;
  private wantOnline = true;
  private stopped = false;
  private failures = 0;
  /** Set from a connection loss until the next successful connection: attempts follow the back-off. */
  private backingOff: BackOff | undefined;
  private readonly retry: TimerSlot;
  private plan: EndpointPlan;
  /** The candidate of `plan` in use, and the failed attempts on it so far. */
  private candidate = 0;
  private failuresHere = 0;
  /** The previous connection while it closes: the next attempt waits for it (a peer never holds two connections). */
  private closing: Promise<void> | undefined;
  /** Counts the reboots: an attempt under way when the station rebooted is dropped, the rebooted station connects anew. */
  private reboots = 0;

  constructor(private readonly options: CsmsConnectionOptions) {
    super();
    this.retry = options.timers.slot();
    this.plan = options.endpoints();
  }

  /** True while a session is open. */
  get isOpen(): boolean {
    return this.session?.isOpen ?? false;
  }

  /** One connection attempt; rejects with the handshake error. */
  async connect(): Promise<void> {
    await this.closing;
    const { options } = this;
    const target = this.plan.candidates[this.candidate % Math.max(1, this.plan.candidates.length)];
    if (!target) throw new Error('the station has no CSMS endpoint to connect to');
    const reboots = this.reboots;
    const { connection } = await connectAsStation({ endpoint: target.url, stationId: options.stationId, versions: [options.version], security: options.security(target.securityProfile) }).catch((error: unknown) => {
      this.emit('attemptFailed', error);
      throw error;
    });
    if (this.stopped || !this.wantOnline || reboots !== this.reboots) {
      connection.terminate();
      return;
    }
    this.failures = 0;
    this.failuresHere = 0;
    this.backingOff = undefined;
    this.connection = connection;
    if (options.onConnectedTo?.(target.slot, connection.peerCertificatePem) === true) this.replan(target.slot);
    const session = new Session({ role: 'cs', version: options.version, connection, trace: options.trace, ...(options.interceptor ? { outgoing: options.interceptor } : {}), ...(options.faultyCalls ? { faultyCalls: options.faultyCalls } : {}) });
    session.setCallHandler(options.handler);
    this.session = session;
    session.once('close', (info) => this.onClose(session, info));
    this.emit('open', session);
  }

  /** Sends a CALL on the open session; without one the outcome is `closed`. */
  call(action: string, payload: Payload): Promise<CallOutcome> {
    const session = this.session;
    if (!session || !session.isOpen) return Promise.resolve({ kind: 'closed' });
    return this.options.exchanges.track(`the answer to ${action}`, session.call(action, payload, { timeoutMs: this.options.callTimeoutMs() }));
  }

  /** Drops the connection and stays away until `goOnline`. */
  goOffline(): void {
    this.wantOnline = false;
    this.retry.clear();
    this.connection?.terminate();
  }

  /** Comes back: connects now (and retries until it succeeds). */
  goOnline(): void {
    if (this.stopped || this.wantOnline && this.isOpen) return;
    this.wantOnline = true;
    this.scheduleConnect(0);
  }

  /** A reboot: closes the connection, waits for the close, and connects again after the reboot delay. */
  restart(): void {
    this.reboots++;
    this.wantOnline = true;
    this.backingOff = undefined;
    this.failures = 0;
    // B10.FR.01: after a reboot the station starts again from the first slot of the (new) priority.
    this.plan = this.options.endpoints();
    this.candidate = 0;
    this.failuresHere = 0;
    const connection = this.connection;
    this.connection = undefined;
    this.session = undefined;
    if (connection) this.closing = closeAndWait(connection, 'rebooting');
    this.scheduleConnect(this.options.rebootDelayMs);
  }

  /** Takes the endpoints to try anew, staying with the slot connected with (A05.FR.06 removed others). */
  private replan(slot: number): void {
    this.plan = this.options.endpoints();
    this.candidate = Math.max(0, this.plan.candidates.findIndex((candidate) => candidate.slot === slot));
    this.failuresHere = 0;
  }

  /** Closes the connection for good. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.retry.clear();
    const connection = this.connection;
    if (connection) await closeAndWait(connection, 'station stopped');
    await this.closing;
  }

  private onClose(session: Session, info: CloseInfo): void {
    const current = this.session === session;
    if (current) {
      this.session = undefined;
      this.connection = undefined;
    }
    this.emit('close', info);
    if (!current || this.stopped || !this.wantOnline) return;
    // behaviour:no-reconnect breaks OCPP-J §5 / B01.FR.03: a lost connection is never re-established.
    if (this.options.noReconnect && info.initiatedBy !== 'local') return;
    this.backingOff = this.options.backOff();
    this.failures = 0;
    this.scheduleConnect(this.nextDelayMs());
  }

  /** After a loss: the back-off (never shorter than the reconnect delay); otherwise (boot, reboot) the reconnect delay, doubling. */
  private nextDelayMs(): number {
    const fallback = Math.min(MAX_RETRY_DELAY_MS, this.options.reconnectDelayMs * 2 ** this.failures);
    return this.backingOff ? Math.max(this.options.reconnectDelayMs, backOffDelayMs(this.backingOff, this.failures)) : fallback;
  }

  private scheduleConnect(delayMs: number): void {
    if (this.stopped) return;
    this.retry.set(delayMs, async () => {
      if (this.stopped || !this.wantOnline || this.isOpen) return;
      try {
        await this.connect();
      } catch {
        this.failures++;
        this.nextCandidateAfterFailures();
        this.scheduleConnect(this.nextDelayMs());
      }
    }, 'the connection to the CSMS');
  }

  // B10.FR.03/04: after NetworkProfileConnectionAttempts failed attempts the station tries the next
  // slot of NetworkConfigurationPriority, and after the last the first again.
  private nextCandidateAfterFailures(): void {
    this.failuresHere++;
    if (this.failuresHere < Math.max(1, this.plan.attemptsEach)) return;
    this.failuresHere = 0;
    this.candidate = (this.candidate + 1) % Math.max(1, this.plan.candidates.length);
  }
}

/** Closes normally (code 1000), waits a moment for the peer's close, then drops the socket. */
async function closeAndWait(connection: Connection, reason: string): Promise<void> {
  connection.close(1000, reason);
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
  await Promise.race([connection.whenClosed(), gaveUp]);
  clearTimeout(timer);
  connection.terminate();
}
