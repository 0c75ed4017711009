import type { CallOutcome, Session } from '../../session/index.js';
import type { CsmsContext } from './context.js';

/**
 * The statuses with which a station declines a request it cannot or will not carry out (1.6 §5.3
 * Rejected/NotSupported, §5.11/§5.12 Rejected, §5.18 UnlockFailed/NotSupported; 2.0.1 likewise).
 * A station may answer so at any time; a CSMS takes the answer and carries on.
 */
const DECLINING_STATUSES: ReadonlySet<string> = new Set(['Rejected', 'NotSupported', 'UnlockFailed', 'UnknownConnector', 'Failed', 'Unknown']);

/**
 * The CALLERRORs of a station that does not implement a request (2.0.1 K01.FR.29: a station
 * without smart charging answers SetChargingProfile so; OCPP-J §4.3).
 */
const DECLINING_ERRORS: ReadonlySet<string> = new Set(['NotSupported', 'NotImplemented']);

/** True when the station's answer declines the request (2.0.1 K10.FR.01: Unknown, nothing to clear). */
export function isDeclined(outcome: CallOutcome): boolean {
  if (outcome.kind === 'error') return DECLINING_ERRORS.has(outcome.errorCode);
  return outcome.kind === 'result' && DECLINING_STATUSES.has(String(outcome.payload['status']));
}

/**
 * Acts out `behaviour:close-on-declined`: a CSMS that cannot cope with a declined request and
 * drops the station's connection. Without the fault it does nothing.
 */
export function closeIfDeclined(context: CsmsContext, session: Session, outcome: CallOutcome): void {
  if (!context.behaviours.has('close-on-declined') || !isDeclined(outcome)) return;
  void session.close(1011, 'the station declined a request (injected behaviour fault)');
}
