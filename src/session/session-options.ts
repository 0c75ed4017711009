import type { Finding, Frame, OcppVersion, Payload, Role } from '../protocol/index.js';
import type { CloseInfo, Connection } from '../transport/index.js';
import type { FaultyCallPolicy } from './call-outcome.js';
import type { TraceRecord, TraceSink } from './trace-record.js';

/**
 * What happens to one outgoing frame when an interceptor is set: sent (maybe altered, maybe
 * late), silently dropped, or replaced by dropping the connection. The built-in reference
 * implementations use it to inject faults; the harness itself never sets one.
 */
export type OutgoingVerdict = { send: Frame; delayMs?: number } | { drop: true } | { close: true };

/** Decides the fate of each outgoing frame (`action` is the CALL's, or the answered CALL's). */
export type OutgoingInterceptor = (frame: Frame, action: string | undefined) => OutgoingVerdict;

/** Options of one OCPP-J conversation. */
export interface SessionOptions {
  /** The role we play on this connection. */
  role: Role;
  version: OcppVersion;
  connection: Connection;
  trace: TraceSink;
  /** How long our CALLs wait for an answer, and after how long a peer's CALL counts as timed out. */
  callTimeoutMs?: number;
  /** Validate every payload, both directions, against the OCA schemas (default true). */
  validate?: boolean;
  /** What to do with a peer's CALL whose payload breaks its schema: answer CALLERROR (default) or deliver it. */
  invalidCalls?: 'callerror' | 'deliver';
  /** Send a WebSocket ping this often and report a missing pong (0 or absent: off). */
  pingIntervalMs?: number;
  /** Test and step ids stamped on records; may be changed later through `context`. */
  context?: { testId?: string; stepId?: string };
  /** Fault injection for reference implementations (see OutgoingVerdict). */
  outgoing?: OutgoingInterceptor;
  /** Fault injection for reference implementations: how faulty frames of the peer are answered. */
  faultyCalls?: FaultyCallPolicy;
}

/** Events of a session. Every record is emitted after it has been written to the trace. */
export interface SessionEvents {
  record: [record: TraceRecord];
  finding: [finding: Finding, record: TraceRecord];
  send: [action: string, payload: Payload, record: TraceRecord];
  close: [info: CloseInfo];
}
