import { subprotocolOf, type OcppVersion } from '../protocol/index.js';

/**
 * The subprotocol a server picks: the first of its own versions, in its order of preference, that
 * the client offered. Undefined when there is no common one; the server then completes the
 * handshake without a Sec-WebSocket-Protocol header and closes (OCPP-J 2.0.1 §3.2).
 */
export function chooseSubprotocol(offered: Iterable<string>, accepted: readonly OcppVersion[]): OcppVersion | undefined {
  const offeredSet = new Set(offered);
  return accepted.find((version) => offeredSet.has(subprotocolOf(version)));
}

/** Parses a Sec-WebSocket-Protocol header into its tokens. */
export function parseSubprotocolHeader(header: string | undefined): string[] {
  return (header ?? '').split(',').map((token) => token.trim()).filter((token) => token.length > 0);
}

