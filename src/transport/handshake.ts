import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { redactAuthorization } from './basic-auth.js';
import { peerCertificateInfo, type PeerCertificateInfo } from './tls-settings.js';

/** Header names and values as seen on the wire, with secrets redacted. */
export type HeaderMap = Record<string, string | string[]>;

/** TLS facts of a connection, when it runs over TLS. */
export interface TlsInfo {
  /** The negotiated version, e.g. `TLSv1.2`. */
  protocol: string | null;
  /** The negotiated cipher suite by its IANA name, e.g. `TLS_RSA_WITH_AES_128_GCM_SHA256` (as A00.FR.318 names them). */
  cipher: string;
  /** The certificate the peer presented: the station's client certificate (server side), the CSMS's server certificate (client side). */
  peerCertificate?: PeerCertificateInfo;
}

/** Everything about the WebSocket opening handshake of one connection, for the trace. */
export interface HandshakeInfo {
  /** The request target (server side) or the full URL (client side). */
  url: string;
  stationId: string;
  offeredSubprotocols: string[];
  /** The negotiated subprotocol token, "" when none was agreed. */
  subprotocol: string;
  requestHeaders: HeaderMap;
  /** HTTP status of the handshake answer (101 on success), 0 when none arrived. */
  responseStatus: number;
  responseHeaders: HeaderMap;
  remoteAddress?: string;
  tls?: TlsInfo;
  /**
   * Server side: the Basic-auth credentials of the request, never the password: the username,
   * and what is wrong with the password's form (A00.FR.205), absent when nothing is.
   */
  basicAuth?: { username: string; passwordProblem?: string };
}

/** Copies headers, replacing the Authorization secret. */
export function redactHeaders(headers: IncomingHttpHeaders | Record<string, unknown>): HeaderMap {
  const copy: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.map(String) : String(value);
    copy[name] = name.toLowerCase() === 'authorization' && typeof text === 'string' ? redactAuthorization(text) : text;
  }
  return copy;
}

/** Parses raw header lines ("Name: value"), as ws hands them to its 'headers' event. */
export function headersFromLines(lines: readonly string[]): HeaderMap {
  const headers: HeaderMap = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** TLS facts of a request's socket, or undefined for plain TCP. */
export function tlsInfoOf(request: IncomingMessage): TlsInfo | undefined {
  const socket = request.socket as TLSSocket;
  if (!socket.encrypted) return undefined;
  const cipher = socket.getCipher();
  const info: TlsInfo = { protocol: socket.getProtocol(), cipher: cipher.standardName || cipher.name };
  const peerCertificate = peerCertificateInfo(socket);
  if (peerCertificate) info.peerCertificate = peerCertificate;
  return info;
}
