/**
 * The kinds of EVENT record a trace holds beside the OCPP-J frames (docs/trace-format.md): what a
 * session records about its connection, and what a test case may assert on (`event:`).
 */
export const TRACE_EVENT_KINDS = [
  'ws-open', 'ws-rejected', 'ws-close', 'call-timeout', 'pong-missing', 'note', 'http-request', 'handshake-timeout', 'peer-not-reading', 'close-timeout',
] as const;

/** One kind of EVENT record. */
export type TraceEventKind = (typeof TRACE_EVENT_KINDS)[number];
