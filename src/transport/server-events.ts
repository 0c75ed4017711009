import type { OcppVersion } from '../protocol/index.js';
import type { ConnectionSecurity } from './connection-security.js';
import type { Connection } from './connection.js';
import type { HandshakeInfo } from './handshake.js';
import type { ConnectionLimits } from './limits.js';
import type { RefusalBook } from './refusals.js';

// What the harness's WebSocket server (ws-server.ts) takes and tells: its options and its events.

/** Options of the harness's WebSocket server (the harness plays the CSMS). */
export interface ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The versions we accept, in order of preference. */
  versions: readonly OcppVersion[];
  /**
   * How stations must connect (default NO_SECURITY): with `basicAuth` the password they must send;
   * from profile 2 wss (TLS 1.2 or later, A00.FR.313) with `serverCertificate`; with client roots
   * (profile 3) a client certificate that chains to them.
   */
  security?: ConnectionSecurity;
  /** When given, a station it does not know is answered with HTTP 404 (OCPP-J 2.0.1 §3.2). */
  isKnownStation?: (stationId: string) => boolean;
  /** Replaces the negotiation (a reference CSMS injecting a fault); by default the first of `versions` offered wins. */
  selectSubprotocol?: (offered: ReadonlySet<string>) => string | false;
  /** When given, an endpoint path (the URL path without the identity) it refuses is answered with HTTP 404. */
  isKnownEndpoint?: (endpointPath: string) => boolean;
  /** The refusals in force, shared with the servers that stand for the same CSMS; by default the server's own. */
  refusals?: RefusalBook;
  /**
   * How long a station's whole opening handshake may take, from its TCP connection to the end of
   * its upgrade request (TLS included), before the socket is destroyed (default 10 s).
   */
  handshakeMs?: number;
  /** The bounds of every connection (default DEFAULT_CONNECTION_LIMITS). */
  limits?: ConnectionLimits;
  /** Admission checks left out on purpose (a reference CSMS injecting a fault); by default every one is made. */
  skippedChecks?: ReadonlySet<AdmissionCheck>;
}

/**
 * The checks of a station's credentials before the upgrade: Basic-auth username and password
 * (A00.FR.204), the client certificate's path and validity (A00.FR.403/407) and its commonName
 * (A00.FR.405).
 */
export type AdmissionCheck = 'username' | 'password' | 'client-certificate-path' | 'client-certificate-cn';

/** Why a connection attempt was turned away. */
export interface RejectedHandshake {
  handshake: HandshakeInfo;
  reason: string;
}

/** A TLS handshake that failed before any HTTP request: no station identity is known yet. */
export interface TlsFailure {
  remoteAddress?: string;
  reason: string;
}

/**
 * A socket that did not finish its opening handshake in time and was destroyed, with what it had
 * sent: the handshake so far names the path and station identity once the request line arrived.
 */
export interface HandshakeTimeout {
  remoteAddress?: string;
  timeoutMs: number;
  handshake: HandshakeInfo;
  /** Bytes read from the TCP connection (over TLS, TLS records included). */
  bytesReceived: number;
}

/** How a station met what the server presented in place of its own TLS side (see RefusalBook.present). */
export interface PresentationOutcome {
  label: string;
  /** True when the station ended the connection before its upgrade request, as it must. */
  refused: boolean;
  /** What happened, naming the TLS error or the request the station sent after all. */
  reason: string;
  remoteAddress?: string;
}

/** Events of the server. */
export interface ServerEvents {
  connection: [connection: Connection, version: OcppVersion];
  presented: [outcome: PresentationOutcome];
  rejected: [rejection: RejectedHandshake];
  tlsFailure: [failure: TlsFailure];
  handshakeTimeout: [timeout: HandshakeTimeout];
}

