import { issueCertificate } from '../../pki/index.js';
import { OcppServer, type AdmissionCheck, type Connection, type ConnectionSecurity, type RejectedHandshake, type SecurityProfile } from '../../transport/index.js';
import { Session, rejectedHandshakeRecord, type TraceSink } from '../../session/index.js';
import type { ReferenceControl } from '../control.js';
import { faultInterceptor } from '../faults.js';
import { faultyCallPolicy } from '../rpc-faults.js';
import type { CsmsBehaviour } from './behaviour-faults.js';
import { createCsmsContext, type CsmsContext } from './context.js';
import { csmsControl } from './control-actions.js';
import { stationCallHandler } from './dispatch.js';
import { OutgoingWatch } from './outgoing-watch.js';
import { noteConnectionProfile } from './security-upgrade.js';
import type { CsmsSnapshot, ReferenceCsmsOptions } from './types.js';

const DISCARD: TraceSink = { write: () => undefined };

/**
 * The built-in reference CSMS, OCPP 1.6 and 2.0.1 (2.1 answered as 2.0.1 where compatible): it
 * accepts stations at `<url>/<any path>/<stationId>`, answers their CALLs as the specification
 * says, sends requests on command through `control`, and breaks the rules only when told to by
 * `faults`.
 */
export class ReferenceCsms {
  /** Device actions the harness (or `ocpp-harness simulate`) asks of the CSMS. */
  readonly control: ReferenceControl;
  private readonly context: CsmsContext;
  private readonly trace: TraceSink;
  private readonly servers: OcppServer[] = [];

  constructor(private readonly options: ReferenceCsmsOptions) {
    this.context = createCsmsContext(options);
    this.trace = options.trace ?? DISCARD;
    this.control = csmsControl(this.context);
  }

  /**
   * The configured security, with TLS 1.0 and 1.1 accepted under `behaviour:accepts-old-tls`
   * (breaks A00.FR.315/418), nothing newer under `behaviour:serves-old-tls-only` (breaks
   * A00.FR.313/416), and a server certificate of an RSA key of 1024 bits, from the same root and
   * for the same hosts, under `behaviour:short-server-key` (breaks A00.FR.502).
   */
  private serverSecurity(security: ConnectionSecurity): ConnectionSecurity {
    const { behaviours } = this.context;
    const legacyTls = behaviours.has('accepts-old-tls') ? 'accepted' : behaviours.has('serves-old-tls-only') ? 'only' : undefined;
    const authority = this.options.certificateAuthority;
    const host = this.options.host ?? '127.0.0.1';
    const shortKey = behaviours.has('short-server-key') && authority
      ? { serverCertificate: issueCertificate({ commonName: host, serverHosts: [host, 'localhost'], issuer: authority.issuer(), keyAlgorithm: 'RSA-1024' }) }
      : {};
    return { ...security, ...(legacyTls ? { legacyTls } : {}), ...shortKey };
  }

  /** The admission checks a security fault switches off (A00.FR.204, 405, 407). */
  private skippedAdmissionChecks(): Set<AdmissionCheck> {
    const faults: Array<[CsmsBehaviour, AdmissionCheck]> = [
      ['accepts-wrong-username', 'username'], ['accepts-wrong-password', 'password'],
      ['accepts-untrusted-client-certificate', 'client-certificate-path'], ['ignores-client-certificate-cn', 'client-certificate-cn'],
    ];
    return new Set(faults.filter(([fault]) => this.context.behaviours.has(fault)).map(([, check]) => check));
  }

  /**
   * Starts listening; stations connect to `<url>/<stationId>`, and with `upgradeSecurity` at
   * `<upgradeUrl>/<stationId>` with the profile above (A05). Both endpoints share one admission book.
   */
  async start(): Promise<{ url: string; upgradeUrl?: string }> {
    if (this.servers.length > 0) throw new Error('the reference CSMS is already started');
    const main = await this.listen(this.options.port ?? 0, this.options.security);
    this.servers.push(main);
    if (!this.options.upgradeSecurity) return { url: main.url };
    const upgrade = await this.listen(0, this.options.upgradeSecurity);
    this.servers.push(upgrade);
    return { url: main.url, upgradeUrl: upgrade.url };
  }

  private async listen(port: number, security: ConnectionSecurity | undefined): Promise<OcppServer> {
    const server = await OcppServer.listen({
      host: this.options.host ?? '127.0.0.1',
      port,
      versions: [this.options.version],
      refusals: this.context.admission,
      ...(security ? { security: this.serverSecurity(security) } : {}),
      ...(this.context.behaviours.has('accept-any-subprotocol') ? { selectSubprotocol: (offered: ReadonlySet<string>) => [...offered][0] ?? false } : {}),
      skippedChecks: this.skippedAdmissionChecks(),
    });
    server.on('connection', (connection) => this.onConnection(connection, server.securityProfile));
    server.on('rejected', (rejection) => this.onRejected(rejection));
    return server;
  }

  /** Closes every connection and stops listening. */
  async stop(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((server) => server.close()));
  }

  /** What the CSMS knows: stations (connected, boot status, last heartbeat), transactions, meter values. */
  snapshot(): CsmsSnapshot {
    return this.context.state.snapshot();
  }

  private onConnection(connection: Connection, profile: SecurityProfile): void {
    // Each connection gets its own interceptor: dup-id remembers the previous CALL of its session.
    const outgoing = new OutgoingWatch(faultInterceptor(this.options.faults ?? []));
    const faultyCalls = faultyCallPolicy(this.options.faults ?? []);
    const session = new Session({ role: 'csms', version: this.options.version, connection, trace: this.trace, outgoing: outgoing.interceptor, ...(faultyCalls ? { faultyCalls } : {}) });
    const station = this.context.state.station(session.stationId);
    // A station has one connection: a new one of the same identity replaces the old, which is closed.
    const previous = station.session;
    if (previous?.isOpen) void previous.close(1000, 'replaced by a new connection of the same station');
    station.session = session;
    station.outgoing = outgoing;
    this.pinClientCertificate(session.stationId, connection);
    noteConnectionProfile(this.context, station, profile);
    this.context.state.lastConnectedId = station.stationId;
    session.setCallHandler(stationCallHandler(this.context, station, session));
  }

  /**
   * behaviour:renewed-certificate-refused: the station is held to the client certificate of its
   * first connection, so the one the CSMS signed for it later is turned away (A02, TC_A_11_CSMS).
   */
  private pinClientCertificate(stationId: string, connection: Connection): void {
    const fingerprint = connection.handshake.tls?.peerCertificate?.fingerprintSha256;
    if (!fingerprint || !this.context.behaviours.has('renewed-certificate-refused')) return;
    if (this.context.admission.pinnedClientCertificateOf(stationId) === undefined) this.context.admission.pinClientCertificate(stationId, fingerprint);
  }

  private onRejected({ handshake, reason }: RejectedHandshake): void {
    this.trace.write(rejectedHandshakeRecord(this.options.version, handshake, reason));
    this.context.state.addRefused({ stationId: handshake.stationId, reason });
  }
}
