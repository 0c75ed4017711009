import { EventEmitter } from 'node:events';
import type { OcppVersion, Payload } from '../../protocol/index.js';
import { MemoryTrace, Session, type CallOutcome, type CallReply, type TraceRecord } from '../../session/index.js';
import { OcppServer, type ConnectionSecurity, type HandshakeInfo } from '../../transport/index.js';
import { parseFault } from '../faults.js';
import type { ReferenceStationOptions } from './options.js';
import { ReferenceStation } from './reference-station.js';

/** How long a test waits for something that should happen at once. */
export const WAIT_MS = 4000;

type Answer = (payload: Payload) => CallReply | Promise<CallReply>;

let nextTransactionId = 1;

function defaultAnswers(version: OcppVersion): Record<string, Answer> {
  const now = () => new Date().toISOString();
  const accepted = version === '1.6' ? { idTagInfo: { status: 'Accepted' } } : { idTokenInfo: { status: 'Accepted' } };
  return {
    BootNotification: () => ({ payload: { currentTime: now(), interval: 300, status: 'Accepted' } }),
    Heartbeat: () => ({ payload: { currentTime: now() } }),
    Authorize: () => ({ payload: accepted }),
    StartTransaction: () => ({ payload: { transactionId: nextTransactionId++, ...accepted } }),
    StopTransaction: () => ({ payload: {} }),
    TransactionEvent: (payload) => ({ payload: payload['idToken'] ? accepted : {} }),
    DataTransfer: () => ({ payload: { status: 'UnknownVendorId' } }),
  };
}

/** The harness's own CSMS (OcppServer + Session, role csms) with the records of every connection. */
export class TestCsms {
  readonly records: TraceRecord[] = [];
  readonly sessions: Session[] = [];
  /** The handshake of every connection, in order. */
  readonly handshakes: HandshakeInfo[] = [];
  /** Answers by action; tests override them. Unlisted actions get an empty payload. */
  readonly answers: Record<string, Answer>;
  private readonly events = new EventEmitter();

  private constructor(readonly server: OcppServer, readonly version: OcppVersion) {
    this.answers = defaultAnswers(version);
    server.on('connection', (connection) => {
      this.handshakes.push(connection.handshake);
      const session = new Session({ role: 'csms', version, connection, trace: new MemoryTrace(), callTimeoutMs: WAIT_MS });
      session.setCallHandler((call) => (this.answers[call.action] ?? (() => ({ payload: {} })))(call.payload));
      session.on('record', (record) => {
        this.records.push(record);
        this.events.emit('record');
      });
      this.sessions.push(session);
      this.events.emit('record');
    });
  }

  /** Listens on a free 127.0.0.1 port; with `tls` (a server certificate and key) over wss. */
  /** Over TLS with the server certificate `tls`; `adjust` changes that security (profile 3's client roots, a TLS 1.1-only server). */
  static async start(version: OcppVersion, tls?: { certificatePem: string; privateKeyPem: string }, adjust: Partial<ConnectionSecurity> = {}): Promise<TestCsms> {
    const security: ConnectionSecurity | undefined = tls ? { profile: 2, serverCertificate: tls, trustedRoots: { server: [], client: [] }, ...adjust } : undefined;
    return new TestCsms(await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: [version], ...(security ? { security } : {}) }), version);
  }

  /** The endpoint stations connect to. */
  get endpoint(): string {
    return `${this.server.url}/ocpp`;
  }

  /** The newest connection. */
  get session(): Session {
    const session = this.sessions.at(-1);
    if (!session) throw new Error('no station connected');
    return session;
  }

  /** Sends a CALL to the station on the newest connection. */
  call(action: string, payload: Payload): Promise<CallOutcome> {
    return this.session.call(action, payload);
  }

  /** The station's CALLs of an action, in order. */
  callsOf(action: string): TraceRecord[] {
    return this.records.filter((record) => record.messageType === 'CALL' && record.direction === 'cp-to-csms' && record.action === action);
  }

  /** Resolves with the `count`-th CALL of the action (1-based), failing after the timeout. */
  async waitForCall(action: string, count = 1, timeoutMs = WAIT_MS): Promise<TraceRecord> {
    await this.waitUntil(() => this.callsOf(action).length >= count, timeoutMs, `${count} ${action} CALL(s)`);
    return this.callsOf(action)[count - 1]!;
  }

  /** Resolves once the condition holds (checked on every record), failing after the timeout. */
  waitUntil(condition: () => boolean, timeoutMs = WAIT_MS, what = 'the condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; station sent: ${this.records.filter((r) => r.direction === 'cp-to-csms' && r.messageType === 'CALL').map((r) => r.action).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('record', check);
      };
      this.events.on('record', check);
      check();
    });
  }

  /** Schema-violation findings the CSMS side recorded. */
  schemaViolations(): string[] {
    return this.sessions.flatMap((session) => session.findings.filter((finding) => finding.code === 'schema-violation').map((finding) => finding.message));
  }

  /** Closes the server and every connection. */
  close(): Promise<void> {
    return this.server.close();
  }
}

/** A CSMS and a reference station connected to it; `close` stops both. */
export interface StationRig {
  csms: TestCsms;
  station: ReferenceStation;
  close(): Promise<void>;
}

/** Starts a CSMS, then a station with two EVSEs (one connector each) against it. */
export async function startStationRig(version: OcppVersion, options: Partial<ReferenceStationOptions> & { faultTexts?: string[]; prepare?: (csms: TestCsms) => void; tls?: { certificatePem: string; privateKeyPem: string } } = {}): Promise<StationRig> {
  const csms = await TestCsms.start(version, options.tls);
  options.prepare?.(csms);
  const { faultTexts, prepare: _prepare, tls: _tls, ...rest } = options;
  const station = new ReferenceStation({
    version, endpoint: csms.endpoint, stationId: 'CS001',
    evses: [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 2 }] }],
    faults: (faultTexts ?? []).map(parseFault),
    ...rest,
    // Tests reboot at once unless they ask for a realistic delay.
    timing: { rebootDelayMs: 50, ...rest.timing },
  });
  await station.start();
  return {
    csms, station,
    async close() {
      await station.stop();
      await csms.close();
      if (station.problems.length > 0) throw new Error(`station problems:\n${station.problems.join('\n')}`);
    },
  };
}

/** The payload of a record as a plain object. */
export function payloadOf(record: TraceRecord | undefined): Record<string, any> {
  return (record?.payload ?? {}) as Record<string, any>;
}
