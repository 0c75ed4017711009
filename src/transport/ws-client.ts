import type { TLSSocket } from 'node:tls';
import { WebSocket, type ClientOptions as WsClientOptions } from 'ws';
import { subprotocolOf, versionOfSubprotocol, type OcppVersion } from '../protocol/index.js';
import { formatBasicAuth, type BasicCredentials } from './basic-auth.js';
import { Connection } from './connection.js';
import { NO_SECURITY, usesTls, type ConnectionSecurity } from './connection-security.js';
import { redactHeaders, tlsInfoOf, type HandshakeInfo } from './handshake.js';
import { DEFAULT_CONNECTION_LIMITS, wsLimitOptions, type ConnectionLimits } from './limits.js';
import { stationUrl } from './station-path.js';
import { tlsFailureReason, tlsVersionOptions } from './tls-settings.js';

/** Options of the harness's WebSocket client (the harness plays the charging station). */
export interface ClientOptions {
  /** The CSMS endpoint, without the station identity. */
  endpoint: string;
  stationId: string;
  /** The versions offered, in order of preference. */
  versions: readonly OcppVersion[];
  /** Offers exactly these subprotocol tokens instead (to test a CSMS's negotiation, e.g. TC_B_58_CSMS). */
  subprotocols?: readonly string[];
  /**
   * How the connection is secured (default NO_SECURITY): the Basic-auth password, over wss the
   * roots the CSMS's server certificate must chain to and nothing else (A00.FR.308; none: Node's
   * default roots) and the client certificate (profile 3).
   */
  security?: ConnectionSecurity;
  /** Overrides the Basic-auth username, the station identity (to test a CSMS that must refuse a mismatch). */
  username?: string;
  /**
   * Give up when the whole opening handshake (TCP connect, TLS, upgrade request, the complete 101
   * answer) has not finished after this long (default 10 s). ws's own timer restarts on every byte,
   * so a CSMS trickling its answer would never hit it.
   */
  handshakeTimeoutMs?: number;
  /** The bounds of the connection once open (default DEFAULT_CONNECTION_LIMITS). */
  limits?: ConnectionLimits;
}

/**
 * Where a handshake stopped: the CSMS was never reached (`network`: refused, DNS), the whole
 * handshake did not finish within its deadline (`timeout`, the handshake-timeout), the TLS set-up
 * failed (`tls`), the CSMS closed the connection it had accepted before answering the upgrade
 * (`closed`: reset, hang-up), the CSMS answered the upgrade without switching protocols (`http`), or it agreed
 * to no OCPP subprotocol (`subprotocol`). The first three say nothing about the CSMS's OCPP behaviour.
 */
export type HandshakeStage = 'network' | 'closed' | 'timeout' | 'tls' | 'http' | 'subprotocol';

/** A handshake that did not produce an OCPP connection, with what was seen of it. */
export class HandshakeError extends Error {
  readonly code = 'OH_HANDSHAKE_FAILED';
  /** When the TLS handshake failed: its error code (e.g. SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID). */
  readonly tlsError: string | undefined;
  constructor(message: string, readonly handshake: HandshakeInfo, readonly stage: HandshakeStage, tlsError?: string) {
    super(message);
    this.name = 'HandshakeError';
    this.tlsError = tlsError;
  }
}

/** A connection opened as a charging station, with the version the CSMS agreed to. */
export interface StationConnection {
  connection: Connection;
  version: OcppVersion;
}

/** Connects to `<endpoint>/<stationId>` offering the given subprotocols. */
export function connectAsStation(options: ClientOptions): Promise<StationConnection> {
  const url = stationUrl(options.endpoint, options.stationId);
  const offered = options.subprotocols ? [...options.subprotocols] : options.versions.map(subprotocolOf);
  const security = options.security ?? NO_SECURITY;
  const headers: Record<string, string> = {};
  if (security.basicAuth) {
    headers['authorization'] = formatBasicAuth({ username: options.username ?? security.basicAuth.username ?? options.stationId, password: security.basicAuth.password } satisfies BasicCredentials);
  }
  const handshake: HandshakeInfo = {
    url, stationId: options.stationId, offeredSubprotocols: offered, subprotocol: '',
    requestHeaders: redactHeaders({ ...headers, 'sec-websocket-protocol': offered.join(', ') }),
    responseStatus: 0, responseHeaders: {},
  };
  // Profiles 2 and 3 never fall back to plain ws (A00.FR.301/401).
  if (usesTls(security) && !url.startsWith('wss:')) {
    return Promise.reject(new HandshakeError(`${url}: security profile ${security.profile} needs TLS, a wss:// endpoint`, handshake, 'tls', 'ERR_PLAIN_WS_REFUSED'));
  }
  const tls: WsClientOptions = url.startsWith('wss:') ? clientTlsOptions(security) : {};
  const limits = options.limits ?? DEFAULT_CONNECTION_LIMITS;
  const socket = new WebSocket(url, offered, { headers, perMessageDeflate: false, ...wsLimitOptions(limits), ...tls });
  const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  let peerCertificatePem: string | undefined;
  let deadline: NodeJS.Timeout | undefined;
  return new Promise<StationConnection>((resolve, reject) => {
    deadline = setTimeout(() => {
      // Rejected first: terminating a connecting socket makes ws report an error of its own.
      reject(new HandshakeError(`${url}: handshake-timeout: the opening handshake did not complete within ${timeoutMs} ms`, handshake, 'timeout'));
      socket.terminate();
    }, timeoutMs);
    socket.once('upgrade', (response) => {
      handshake.responseStatus = response.statusCode ?? 0;
      handshake.responseHeaders = redactHeaders(response.headers);
      const info = tlsInfoOf(response);
      if (info) {
        handshake.tls = info;
        peerCertificatePem = peerCertificateOf(response.socket as TLSSocket);
      }
    });
    socket.once('unexpected-response', (_request, response) => {
      handshake.responseStatus = response.statusCode ?? 0;
      handshake.responseHeaders = redactHeaders(response.headers);
      socket.terminate();
      reject(new HandshakeError(`${url}: the CSMS answered the upgrade with HTTP ${handshake.responseStatus}`, handshake, 'http'));
    });
    socket.once('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined && TLS_ERROR.test(code)) {
        reject(new HandshakeError(`${url}: TLS handshake failed: ${tlsFailureReason(code, error.message, security.profile)}`, handshake, 'tls', code));
        return;
      }
      // After a 101 the CSMS completed the upgrade wrongly (no or another subprotocol); without any
      // HTTP answer it was never reached: connection refused, unknown host.
      if (handshake.responseStatus !== 0) {
        reject(new HandshakeError(`${url}: ${error.message}`, handshake, /subprotocol/i.test(error.message) ? 'subprotocol' : 'http'));
        return;
      }
      if (code !== undefined && CLOSED_BY_PEER.has(code)) {
        reject(new HandshakeError(`${url}: the CSMS closed the connection during the opening handshake (${code})`, handshake, 'closed'));
        return;
      }
      reject(new HandshakeError(`cannot reach the CSMS at ${url}: ${code ?? error.message}`, handshake, 'network'));
    });
    socket.once('open', () => {
      handshake.subprotocol = socket.protocol;
      const version = versionOfSubprotocol(socket.protocol);
      if (!version) {
        socket.terminate();
        reject(new HandshakeError(`${url}: the CSMS agreed to no OCPP subprotocol`, handshake, 'subprotocol'));
        return;
      }
      resolve({ connection: new Connection(socket, handshake, peerCertificatePem, limits), version });
    });
  }).finally(() => clearTimeout(deadline));
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * TLS 1.2 or later with the OCPP cipher suites (A00.FR.313, A00.FR.319; see tlsVersionOptions),
 * the server certificate verified against the trusted roots, the client certificate when there is one.
 */
function clientTlsOptions(security: ConnectionSecurity): WsClientOptions {
  const roots = security.trustedRoots.server;
  const client = security.clientCertificate;
  if (security.acceptsAnyServerCertificate) return { ...tlsVersionOptions(security), rejectUnauthorized: false, ...(client ? { cert: client.certificatePem, key: client.privateKeyPem } : {}) };
  return {
    ...tlsVersionOptions(security), rejectUnauthorized: true,
    ...(roots.length > 0 ? { ca: [...roots] } : {}),
    ...(client ? { cert: client.certificatePem, key: client.privateKeyPem } : {}),
  };
}

// The TCP connection was made, then the CSMS ended it: it was reached, and it hung up.
const CLOSED_BY_PEER = new Set(['ECONNRESET', 'EPIPE']);

/**
 * True for a TLS failure the harness's own side raised while verifying the CSMS's server
 * certificate (or a wss URL missing): it says the harness does not trust the CSMS, not that the
 * CSMS refused anything.
 */
export function isLocalTlsRejection(error: HandshakeError): boolean {
  return error.stage === 'tls' && error.tlsError !== undefined && LOCAL_TLS_REJECTION.test(error.tlsError);
}

const LOCAL_TLS_REJECTION = /^(CERT_|UNABLE_TO|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_CERT_ALTNAME|ERR_PLAIN_WS_REFUSED|HOSTNAME_MISMATCH)/;

// Node's certificate verification codes (OpenSSL X509_V_ERR_* names) and its own TLS errors.
const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO|VERIFY|^ERR_TLS|^ERR_SSL|^EPROTO$/;

/** The server certificate the TLS handshake presented, PEM. */
function peerCertificateOf(socket: TLSSocket): string | undefined {
  const raw = socket.getPeerCertificate?.()?.raw;
  if (!raw) return undefined;
  const base64 = raw.toString('base64').match(/.{1,64}/g)?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}
