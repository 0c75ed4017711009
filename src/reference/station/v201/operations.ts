import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { EvseState } from '../station-state.js';
import type { V201Parts } from './parts.js';

/** Reset (B11, B12): Immediate ends the transactions, then reboots; OnIdle waits for them (Scheduled). */
export function reset(parts: V201Parts, payload: Payload): CallReply {
  // B11.FR.09: the reference station cannot reset a single EVSE.
  if (payload['evseId'] !== undefined) return { payload: { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest' } } };
  const running = parts.engine.running();
  if (payload['type'] === 'OnIdle' && running.length > 0) {
    parts.resetScheduled = true;
    return { payload: { status: 'Scheduled' } };
  }
  parts.context.timers.soon(() => rebootAfterEnding(parts));
  return { payload: { status: 'Accepted' } };
}

/** B12.FR.04/05: end every transaction, give the Ended events a moment to go out, then reboot (they stay queued if not). */
export async function rebootAfterEnding(parts: V201Parts, reason: 'RemoteReset' | 'ScheduledReset' = 'RemoteReset'): Promise<void> {
  for (const { evse } of parts.engine.running()) {
    // The reset stops the energy transfer with the transaction: Ended reports chargingState EVConnected (or Idle) and no idToken (E07.FR.03).
    parts.engine.session(evse).authorization = undefined;
    parts.engine.update(evse, 'ResetCommand', 'ImmediateReset');
  }
  await parts.context.txQueue.whenEmpty(parts.model.integer('OCPPCommCtrlr', 'MessageTimeout', 'Default') * 1000);
  parts.context.reboot(reason);
}

/** ChangeAvailability (G03, G04): applied at once, or Scheduled while a transaction runs in its scope. */
export function changeAvailability(parts: V201Parts, payload: Payload): CallReply {
  const { state } = parts.context;
  const operative = payload['operationalStatus'] === 'Operative';
  const target = payload['evse'] as { id: number; connectorId?: number } | undefined;
  const evse = target ? state.evse(target.id) : undefined;
  const connector = target?.connectorId !== undefined ? evse?.connectors.find((candidate) => candidate.id === target.connectorId) : undefined;
  if (target && (!evse || (target.connectorId !== undefined && !connector))) return { payload: { status: 'Rejected' } };
  const holder: { operative: boolean; scheduledOperative?: boolean | undefined } = connector ?? evse ?? state;
  const scope = evse ? [evse] : state.evses;
  // G03.FR.03, G04.FR.04: already in that state.
  if (holder.operative === operative) {
    holder.scheduledOperative = undefined;
    return { payload: { status: 'Accepted' } };
  }
  // G03.FR.05, G04.FR.06: wait for the transaction to end.
  if (scope.some((candidate) => parts.engine.session(candidate).tx)) {
    holder.scheduledOperative = operative;
    return { payload: { status: 'Scheduled' } };
  }
  holder.operative = operative;
  parts.context.timers.soon(() => parts.status.reportChanges());
  return { payload: { status: 'Accepted' } };
}

/** After a transaction ended: apply the availability changes and the reset that waited for it. */
export function applyScheduled(parts: V201Parts, evse: EvseState): void {
  const { state } = parts.context;
  for (const holder of [state, evse, ...evse.connectors]) {
    if (holder.scheduledOperative === undefined) continue;
    holder.operative = holder.scheduledOperative;
    holder.scheduledOperative = undefined;
  }
  parts.status.reportChanges();
  if (parts.resetScheduled && parts.engine.running().length === 0) {
    parts.resetScheduled = false;
    // B12.FR.03: the reset that waited for the transactions to end (BootReason ScheduledReset).
    parts.context.timers.soon(() => rebootAfterEnding(parts, 'ScheduledReset'));
  }
}

/** UnlockConnector (F05). */
export function unlockConnector(parts: V201Parts, payload: Payload): CallReply {
  const evse = parts.context.state.evse(Number(payload['evseId']));
  const connector = evse?.connectors.find((candidate) => candidate.id === Number(payload['connectorId']));
  if (!evse || !connector) return { payload: { status: 'UnknownConnector' } };
  const session = parts.engine.session(evse);
  // F05.FR.02: never unlock under an authorized transaction.
  if (session.tx && session.authorization) return { payload: { status: 'OngoingAuthorizedTransaction' } };
  return { payload: { status: 'Unlocked' } };
}

/** ClearCache (C11): Rejected when the cache is disabled. */
export function clearCache(parts: V201Parts): CallReply {
  if (!parts.model.flag('AuthCacheCtrlr', 'Enabled')) return { payload: { status: 'Rejected' } };
  parts.authorizer.cache.clear();
  return { payload: { status: 'Accepted' } };
}

/** GetTransactionStatus (E14): whether the transaction runs and whether messages wait in the queue. */
export async function getTransactionStatus(parts: V201Parts, payload: Payload): Promise<CallReply> {
  // E14.FR.05/08: an answer the CSMS sent before this request counts as delivered; it can arrive in
  // the same network read, so let the queue take it in before looking.
  await new Promise((resolve) => setImmediate(resolve));
  const messagesInQueue = parts.context.txQueue.length > 0;
  const transactionId = payload['transactionId'];
  if (transactionId === undefined) return { payload: { messagesInQueue } };
  const ongoingIndicator = parts.engine.running().some(({ tx }) => tx.id === transactionId);
  return { payload: { ongoingIndicator, messagesInQueue } };
}
