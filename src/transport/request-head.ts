import { headersFromLines, redactHeaders, type HandshakeInfo } from './handshake.js';
import { stationIdFromPath } from './station-path.js';
import { parseSubprotocolHeader } from './subprotocol.js';

/** More than any upgrade request's head needs; what comes after it is not kept. */
const KEPT_BYTES = 8 * 1024;

/**
 * The start of an upgrade request as it arrives, kept so that a handshake that never completes
 * can still say who was connecting: the request line names the path and the station identity
 * (OCPP-J 2.0.1 §3.1.1) long before the request is whole.
 */
export class RequestHead {
  private readonly chunks: Buffer[] = [];
  private keptBytes = 0;

  add(chunk: Buffer): void {
    if (this.keptBytes >= KEPT_BYTES) return;
    const kept = chunk.subarray(0, KEPT_BYTES - this.keptBytes);
    this.chunks.push(kept);
    this.keptBytes += kept.length;
  }

  /**
   * The handshake as far as it got: the URL and station id once the request line is complete
   * ('' before), the header lines that are complete, no answer (status 0).
   */
  describe(remoteAddress: string | undefined): HandshakeInfo {
    // Only lines ended by CRLF are whole (RFC 9112 §2.1); the last piece may still be arriving.
    const lines = Buffer.concat(this.chunks).toString('latin1').split('\r\n').slice(0, -1);
    const url = /^\S+ (\S+) HTTP\/\d/.exec(lines[0] ?? '')?.[1] ?? '';
    const end = lines.indexOf('', 1);
    const headers = headersFromLines(lines.slice(1, end === -1 ? undefined : end));
    const offered = headers['sec-websocket-protocol'];
    const handshake: HandshakeInfo = {
      url,
      stationId: url ? (stationIdFromPath(url) ?? '') : '',
      offeredSubprotocols: parseSubprotocolHeader(typeof offered === 'string' ? offered : undefined),
      subprotocol: '',
      requestHeaders: redactHeaders(headers),
      responseStatus: 0,
      responseHeaders: {},
    };
    if (remoteAddress) handshake.remoteAddress = remoteAddress;
    return handshake;
  }
}
