import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { subprotocolOf, versionOfSubprotocol } from '../protocol/index.js';
import { parseBasicAuth, passwordFormProblem } from './basic-auth.js';
import { NO_SECURITY, usesTls, type ConnectionSecurity, type SecurityProfile } from './connection-security.js';
import { Connection } from './connection.js';
import { headersFromLines, redactHeaders, tlsInfoOf, type HandshakeInfo } from './handshake.js';
import { DEFAULT_CONNECTION_LIMITS, wsLimitOptions, type ConnectionLimits } from './limits.js';
import { clientCertificateProblem } from './client-certificate.js';
import { RefusalBook, type RefusalRule, type TlsPresentation } from './refusals.js';
import { RequestHead } from './request-head.js';
import { endpointPathOf, stationIdFromPath } from './station-path.js';
import { chooseSubprotocol, parseSubprotocolHeader } from './subprotocol.js';
import { tlsFailureReason, tlsVersionOptions } from './tls-settings.js';
import type { AdmissionCheck, PresentationOutcome, ServerEvents, ServerOptions } from './server-events.js';

export type { AdmissionCheck, HandshakeTimeout, PresentationOutcome, RejectedHandshake, ServerEvents, ServerOptions, TlsFailure } from './server-events.js';

/** A TCP connection still in its opening handshake: its deadline, and what has come of its request. */
interface UnfinishedHandshake {
  deadline: NodeJS.Timeout;
  head: RequestHead;
  /** Stops keeping the request's bytes (the upgrade request is complete). */
  stopReading(): void;
}

/**
 * Accepts charging stations at `ws://HOST:PORT/<any path>/<stationId>` (`wss://` with `tls`),
 * checks identity and credentials before the upgrade, negotiates the OCPP subprotocol and hands
 * over connections.
 */
export class OcppServer extends EventEmitter<ServerEvents> {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly responseHeaders = new WeakMap<IncomingMessage, string[]>();
  private readonly sockets = new Set<WebSocket>();
  /** Every TCP connection, with its opening handshake until the upgrade request is complete. */
  private readonly tcpSockets = new Map<Socket, UnfinishedHandshake | undefined>();
  private readonly refusals: RefusalBook;
  private readonly security: ConnectionSecurity;
  private readonly limits: ConnectionLimits;
  /** TCP connections whose TLS handshake got a presentation, until the station's answer to it is known. */
  private readonly presented = new Map<Socket, { presentation: TlsPresentation; secured: boolean; remoteAddress?: string }>();

  private constructor(private readonly options: ServerOptions) {
    super();
    this.refusals = options.refusals ?? new RefusalBook();
    this.security = options.security ?? NO_SECURITY;
    this.limits = options.limits ?? DEFAULT_CONNECTION_LIMITS;
    const upgradeRequired: RequestListener = (_request, response) => response.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket upgrade required\n');
    if (usesTls(this.security)) {
      const https = createHttpsServer(tlsOptionsOf(this.security), upgradeRequired);
      // A socket whose TLS handshake failed has lost its address by the time it is reported: it is
      // read when the TCP connection arrives, keyed by the plain socket the TLS socket wraps.
      const addresses = new WeakMap<object, string>();
      https.prependListener('connection', (socket: Socket) => {
        if (socket.remoteAddress) addresses.set(socket, socket.remoteAddress);
        this.presentTo(https, socket);
      });
      // Runs after the TLS socket took its context: the next connection gets the normal one again.
      https.on('connection', (socket: Socket) => {
        if (this.presented.has(socket)) https.setSecureContext(tlsOptionsOf(this.security));
      });
      https.on('tlsClientError', (error, socket) => {
        const plain = (socket as TLSSocket & { _parent?: object })._parent;
        const remoteAddress = socket.remoteAddress ?? (plain ? addresses.get(plain) : undefined);
        const reason = tlsFailureReason((error as NodeJS.ErrnoException).code, error.message, this.security.profile);
        if (plain && this.presented.has(plain as Socket)) this.settlePresentation(plain as Socket, true, `it ended the TLS handshake: ${reason}`);
        else this.emit('tlsFailure', { ...(remoteAddress ? { remoteAddress } : {}), reason });
      });
      // The request is read from the TLS socket; the handshake is the TCP connection's.
      https.on('secureConnection', (socket: TLSSocket) => {
        const presented = this.presented.get(tcpOf(socket));
        if (presented) presented.secured = true;
        this.readRequestHead(socket);
      });
      this.http = https;
    } else {
      this.http = createHttpServer(upgradeRequired);
    }
    this.http.on('connection', (socket: Socket) => {
      this.onTcpConnection(socket);
      if (!usesTls(this.security)) this.readRequestHead(socket);
    });
    this.wss = new WebSocketServer({
      noServer: true,
      ...wsLimitOptions(this.limits),
      // Returning false completes the handshake without a subprotocol (OCPP-J 2.0.1 §3.2).
      handleProtocols: (offered) => {
        if (options.selectSubprotocol) return options.selectSubprotocol(offered);
        const version = chooseSubprotocol(offered, options.versions);
        return version ? subprotocolOf(version) : false;
      },
    });
    this.wss.on('headers', (lines, request) => this.responseHeaders.set(request, [...lines]));
    this.http.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket, head));
  }

  /** Starts a server and resolves once it listens. */
  static async listen(options: ServerOptions): Promise<OcppServer> {
    const server = new OcppServer(options);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(options.port, options.host, () => resolve());
    });
    return server;
  }

  /** The security profile stations connect to this server with. */
  get securityProfile(): SecurityProfile {
    return this.security.profile;
  }

  /** The base URL stations connect to, e.g. `ws://127.0.0.1:9000` (`wss://` with TLS). */
  get url(): string {
    const address = this.http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${usesTls(this.security) ? 'wss' : 'ws'}://${host}:${address.port}`;
  }

  /**
   * Turns away the next `count` attempts of a station (at a path, if given) with HTTP 503 before
   * the upgrade: the station sees a failed attempt at once instead of waiting for a timeout.
   */
  refuseAttempts(rule: RefusalRule): void {
    this.refusals.add(rule);
  }

  /** A01.FR.03: from now on only `password` admits the station (until clearRefusals). */
  setPassword(stationId: string, password: string): void {
    this.refusals.setPassword(stationId, password);
  }

  /** Forgets the refusals still pending for a station (a test case ended). */
  clearRefusals(stationId: string): void {
    this.refusals.clear(stationId);
  }

  /**
   * Closes every connection and stops listening. Sockets still in their opening handshake (a port
   * scanner, a stuck station) are destroyed too: `http.close()` would wait for them for ever.
   */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    for (const [socket, unfinished] of this.tcpSockets) {
      clearTimeout(unfinished?.deadline);
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /**
   * A TCP connection has until `handshakeMs` to complete its upgrade request; data trickled in does
   * not extend it (RFC 6455 §4.2.2 lets a server drop a client it will not wait for).
   */
  private onTcpConnection(socket: Socket): void {
    const timeoutMs = this.options.handshakeMs ?? DEFAULT_HANDSHAKE_MS;
    const remoteAddress = socket.remoteAddress;
    const deadline = setTimeout(() => {
      const handshake = this.tcpSockets.get(socket)?.head.describe(remoteAddress) ?? new RequestHead().describe(remoteAddress);
      this.emit('handshakeTimeout', { ...(remoteAddress ? { remoteAddress } : {}), timeoutMs, handshake, bytesReceived: socket.bytesRead });
      socket.destroy();
    }, timeoutMs);
    this.tcpSockets.set(socket, { deadline, head: new RequestHead(), stopReading: () => undefined });
    socket.once('close', () => {
      clearTimeout(this.tcpSockets.get(socket)?.deadline);
      this.tcpSockets.delete(socket);
    });
  }

  /**
   * Keeps the start of the request arriving on `socket` (the TCP connection, or the TLS socket on
   * it) for the handshake-timeout record. Listening for data makes the HTTP parser hand the bytes
   * to listeners too; the listener goes once the upgrade request is complete.
   */
  private readRequestHead(socket: Socket | TLSSocket): void {
    const unfinished = this.tcpSockets.get(tcpOf(socket));
    if (!unfinished) return;
    const keep = (chunk: Buffer) => unfinished.head.add(chunk);
    socket.on('data', keep);
    unfinished.stopReading = () => socket.off('data', keep);
  }

  /** The upgrade request is complete: its TCP connection's handshake deadline no longer applies. */
  private endHandshakeDeadline(socket: Duplex): void {
    const tcp = tcpOf(socket);
    const unfinished = this.tcpSockets.get(tcp);
    if (!unfinished) return;
    clearTimeout(unfinished.deadline);
    unfinished.stopReading();
    this.tcpSockets.set(tcp, undefined);
  }

  /**
   * A00 negative cases: the TLS handshake on this connection gets what the refusal book presents
   * (an invalid certificate, old TLS); the station must end the connection before its upgrade request.
   */
  private presentTo(https: Server & { setSecureContext(options: HttpsServerOptions): void }, socket: Socket): void {
    const presentation = this.refusals.takePresentation();
    if (!presentation) return;
    const { certificate, legacyTls } = presentation;
    https.setSecureContext(tlsOptionsOf({ ...this.security, ...(certificate ? { serverCertificate: certificate } : {}), ...(legacyTls ? { legacyTls } : {}) }));
    this.presented.set(socket, { presentation, secured: false, ...(socket.remoteAddress ? { remoteAddress: socket.remoteAddress } : {}) });
    socket.once('close', () => {
      const presented = this.presented.get(socket);
      if (presented) this.settlePresentation(socket, true, presented.secured ? 'it closed the connection after the TLS handshake without an upgrade request' : 'it closed the connection during the TLS handshake');
    });
  }

  private settlePresentation(socket: Socket, refused: boolean, reason: string): void {
    const presented = this.presented.get(socket);
    if (!presented) return;
    this.presented.delete(socket);
    const { remoteAddress } = presented;
    this.emit('presented', { label: presented.presentation.label, refused, reason, ...(remoteAddress ? { remoteAddress } : {}) });
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.endHandshakeDeadline(socket);
    if (this.presented.has(tcpOf(socket))) {
      // The station took what it should have refused; it is turned away all the same.
      const tls = tlsInfoOf(request);
      this.settlePresentation(tcpOf(socket), false, `it sent its upgrade request (GET ${request.url ?? ''})${tls ? ` over ${tls.protocol ?? 'TLS'}` : ''}`);
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const handshake = this.describeRequest(request);
    const refusal = this.checkAdmission(request, handshake.stationId);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.statusText}\r\n${refusal.extraHeaders}Connection: close\r\nContent-Length: 0\r\n\r\n`);
      handshake.responseStatus = refusal.status;
      this.emit('rejected', { handshake, reason: refusal.reason });
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onOpen(ws, request, handshake));
  }

  private onOpen(ws: WebSocket, request: IncomingMessage, handshake: HandshakeInfo): void {
    handshake.subprotocol = ws.protocol;
    handshake.responseStatus = 101;
    handshake.responseHeaders = headersFromLines(this.responseHeaders.get(request) ?? []);
    const version = versionOfSubprotocol(ws.protocol);
    if (!version) {
      // OCPP-J 2.0.1 §3.2: no common subprotocol, so the handshake completed without one; close now.
      ws.close(1002, 'no supported OCPP subprotocol offered');
      this.emit('rejected', { handshake, reason: `no common subprotocol (offered: ${handshake.offeredSubprotocols.join(', ') || 'none'})` });
      return;
    }
    this.sockets.add(ws);
    ws.once('close', () => this.sockets.delete(ws));
    this.emit('connection', new Connection(ws, handshake, undefined, this.limits), version);
  }

  private checkAdmission(request: IncomingMessage, stationId: string): { status: number; statusText: string; reason: string; extraHeaders: string } | undefined {
    if (!stationId || (this.options.isKnownStation && !this.options.isKnownStation(stationId))) {
      return { status: 404, statusText: 'Not Found', reason: `unknown station "${stationId}"`, extraHeaders: '' };
    }
    const endpointPath = endpointPathOf(request.url ?? '');
    if (this.options.isKnownEndpoint && !this.options.isKnownEndpoint(endpointPath)) {
      return { status: 404, statusText: 'Not Found', reason: `no CSMS endpoint at "${endpointPath}" on this server`, extraHeaders: '' };
    }
    if (this.refusals.take(stationId, request.url ?? '')) {
      return { status: 503, statusText: 'Service Unavailable', reason: 'refused on purpose by the test case', extraHeaders: '' };
    }
    // A05.FR.07 (1.6 whitepaper A05.FR.09): a station upgraded to a higher security profile is not admitted at a lower one any more.
    const floor = this.refusals.profileFloorOf(stationId);
    if (floor !== undefined && this.security.profile < floor) {
      return { status: 403, statusText: 'Forbidden', reason: `A05: "${stationId}" was upgraded to security profile ${floor}; this endpoint serves profile ${this.security.profile}`, extraHeaders: '' };
    }
    const skipped = this.options.skippedChecks ?? NO_SKIPPED_CHECKS;
    if (this.security.trustedRoots.client.length > 0) {
      const checks = { path: !skipped.has('client-certificate-path'), commonName: !skipped.has('client-certificate-cn'), pinned: this.refusals.pinnedClientCertificateOf(stationId) };
      const problem = clientCertificateProblem(request.socket as TLSSocket, stationId, checks);
      if (problem) return { status: 403, statusText: 'Forbidden', reason: problem, extraHeaders: '' };
    }
    const configured = this.security.basicAuth?.password;
    // A01.FR.03: once a case has set a new password, only that one admits the station.
    const set = this.refusals.passwordOf(stationId);
    const expected = set ?? configured;
    if (expected === undefined) return undefined;
    const credentials = parseBasicAuth(request.headers.authorization);
    // OCPP 2.0.1 A00.FR.204: the username is the station identity and the password must match.
    const usernameWrong = credentials?.username !== stationId && !skipped.has('username');
    const passwordWrong = credentials?.password !== expected && !skipped.has('password');
    if (!credentials || usernameWrong || passwordWrong) {
      const stale = set !== undefined && credentials?.password === configured ? ' (the password it had before the case set a new one: A01)' : '';
      const what = usernameWrong ? `username "${credentials?.username ?? ''}" is not the station identity` : 'wrong password';
      const reason = credentials ? `A00.FR.204: wrong Basic-auth credentials for "${stationId}": ${what}${stale}` : 'A00.FR.203: no Basic-auth credentials';
      return { status: 401, statusText: 'Unauthorized', reason, extraHeaders: 'WWW-Authenticate: Basic realm="OCPP"\r\n' };
    }
    return undefined;
  }

  private describeRequest(request: IncomingMessage): HandshakeInfo {
    const url = request.url ?? '/';
    const handshake: HandshakeInfo = {
      url,
      stationId: stationIdFromPath(url) ?? '',
      offeredSubprotocols: parseSubprotocolHeader(request.headers['sec-websocket-protocol']),
      subprotocol: '',
      requestHeaders: redactHeaders(request.headers),
      responseStatus: 0,
      responseHeaders: {},
    };
    if (request.socket.remoteAddress) handshake.remoteAddress = request.socket.remoteAddress;
    const tls = tlsInfoOf(request);
    if (tls) handshake.tls = tls;
    const credentials = parseBasicAuth(request.headers.authorization);
    if (credentials) {
      const passwordProblem = passwordFormProblem(credentials.password);
      handshake.basicAuth = { username: credentials.username, ...(passwordProblem ? { passwordProblem } : {}) };
    }
    return handshake;
  }
}

const DEFAULT_HANDSHAKE_MS = 10_000;
const NO_SKIPPED_CHECKS: ReadonlySet<AdmissionCheck> = new Set();

/** The TCP connection under a socket: over TLS the request comes on the TLS socket, which wraps it. */
function tcpOf(socket: Duplex): Socket {
  return ((socket as Duplex & { _parent?: Socket })._parent ?? socket) as Socket;
}

/**
 * The https server's TLS settings for a security profile of 2 or 3: TLS 1.2 or later with the OCPP
 * cipher suites (A00.FR.313, A00.FR.318; see tlsVersionOptions). At profile 3 it asks for a
 * client certificate (A00.FR.402) and verifies it against the trusted client roots, but lets the
 * handshake finish: the upgrade request is then refused with the reason (checkAdmission), so the
 * trace names the station, its certificate and the requirement it missed.
 */
function tlsOptionsOf(security: ConnectionSecurity): HttpsServerOptions {
  const certificate = security.serverCertificate;
  if (!certificate) throw new Error(`security profile ${security.profile} serves wss: a server certificate is needed`);
  const options: HttpsServerOptions = { cert: certificate.certificatePem, key: certificate.privateKeyPem, ...tlsVersionOptions(security) };
  const clientRoots = security.trustedRoots.client;
  return clientRoots.length === 0 ? options : { ...options, requestCert: true, rejectUnauthorized: false, ca: [...clientRoots] };
}
