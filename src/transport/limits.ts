/**
 * Bounds on what one connection may cost the harness, whatever the peer does (issue 14): memory
 * for one message and for what the peer leaves unread, time for the closing handshake.
 */
export interface ConnectionLimits {
  /** The largest message accepted; a larger one closes the connection with 1009 (RFC 6455 §7.4.1). */
  maxFrameBytes: number;
  /** Outgoing bytes the peer may leave unread before the connection is dropped. */
  maxBufferedBytes: number;
  /** How long the closing handshake may take before the socket is dropped. */
  closeMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxFrameBytes: 4 * 1024 * 1024, maxBufferedBytes: 8 * 1024 * 1024, closeMs: 3_000 };

/**
 * What the peer did that made us close or drop a connection, named like the findings the session
 * records for it: a message over the limit (`limitBytes`), a text message that is not UTF-8 (its
 * bytes), with the length its header announced when known, more than `limitBytes` of ours left unread, a closing handshake not completed in time.
 */
export type PeerFault =
  | { kind: 'frame-too-large'; limitBytes: number; announcedBytes?: number; arrivedAtMs: number }
  | { kind: 'frame-invalid-utf8'; bytes: Buffer; arrivedAtMs: number }
  | { kind: 'peer-not-reading'; bufferedBytes: number; limitBytes: number }
  | { kind: 'close-timeout'; waitedMs: number };

/**
 * The ws options that enforce the limits: `maxPayload` refuses an oversized message at its header;
 * UTF-8 is checked by the Connection instead of ws, so that the offending bytes reach the trace;
 * ws's own close timer (30 s by default) only backs up the Connection's, for closes the peer began.
 * Pings are answered by the Connection too: ws drops a peer with 60 pongs still unsent, unnamed,
 * while RFC 6455 §5.5.2 owes every ping a pong; the unread-bytes cap bounds a flood instead.
 */
export function wsLimitOptions(limits: ConnectionLimits): { maxPayload: number; skipUTF8Validation: true; closeTimeout: number; autoPong: false } {
  return { maxPayload: limits.maxFrameBytes, skipUTF8Validation: true, closeTimeout: limits.closeMs + CLOSE_BACKSTOP_MS, autoPong: false };
}

const CLOSE_BACKSTOP_MS = 1_000;
