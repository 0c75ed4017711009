import type { CallOutcome, Session } from '../../session/index.js';
import type { CsmsContext } from './context.js';

/**
 * The statuses with which a station declines a request it cannot or will not carry out (1.6 §5.3
 * Rejected/NotSupported, §5.11/§5.12 Rejected, §5.18 UnlockFailed/NotSupported; 2.0.1 likewise).
 * A station may answer so at any time; a CSMS takes the answer and carries on.
 */
const DECLINING_STATUSES: ReadonlySet<string> = new Set(['Rejected', 'NotSupported', 'UnlockFailed', 'UnknownConnector', 'Failed']);

/** True when the station's answer declines the request. */
export function isDeclined(outcome: CallOutcome): boolean {
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
