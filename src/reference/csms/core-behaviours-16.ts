import type { CallReply, Session } from '../../session/index.js';
import type { HandlerInput } from './message-handler.js';

// Two OCPP 1.6 Core behaviour faults of the reference CSMS, each a plausible bug of a Central
// System's session bookkeeping. Without them switched on, nothing here changes an answer.

/** The idTags each connection authorized with Authorize.req (for `start-requires-authorize`). */
const authorizedBySession = new WeakMap<Session, Set<string>>();

/** Notes an idTag the station asked about with Authorize.req on this connection. */
export function noteAuthorize({ session, payload }: HandlerInput): void {
  const tags = authorizedBySession.get(session) ?? new Set<string>();
  tags.add(String(payload['idTag']));
  authorizedBySession.set(session, tags);
}

/**
 * `behaviour:start-requires-authorize`: a StartTransaction.req whose idTag was not authorized on
 * this connection first is answered Invalid. 1.6 §3.5.1 lets a charge point start from its
 * Authorization Cache without an Authorize.req, so a valid tag must be Accepted all the same.
 */
export function refusesUnauthorizedStart(input: HandlerInput): boolean {
  if (!input.context.behaviours.has('start-requires-authorize')) return false;
  return !authorizedBySession.get(input.session)?.has(String(input.payload['idTag']));
}

/**
 * `behaviour:reject-preparing-to-available`: a StatusNotification.req that takes a connector from
 * Preparing back to Available is answered with a CALLERROR, as if a session could only end through
 * a transaction. 1.6 §4.9 (transition B1) allows it: the driver left, or ConnectionTimeOut passed.
 */
export function preparingToAvailableRefusal(input: HandlerInput): CallReply | undefined {
  if (!input.context.behaviours.has('reject-preparing-to-available')) return undefined;
  const connectorId = Number(input.payload['connectorId']);
  const previous = input.station.connectors.get(`0/${connectorId}`)?.status;
  if (previous !== 'Preparing' || input.payload['status'] !== 'Available') return undefined;
  return { error: 'GenericError', description: `connector ${connectorId} cannot leave Preparing without a transaction (injected behaviour fault)` };
}
