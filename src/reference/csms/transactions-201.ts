import type { CallReply } from '../../session/index.js';
import type { IdTokenRef } from './id-tokens.js';
import { masterPassAnswer } from './master-pass.js';
import type { HandlerInput } from './message-handler.js';
import type { TransactionSnapshot } from './types.js';

interface TransactionEventRequest {
  eventType: 'Started' | 'Updated' | 'Ended';
  timestamp: string;
  seqNo: number;
  transactionInfo: { transactionId: string; stoppedReason?: string };
  evse?: { id: number; connectorId?: number };
  idToken?: IdTokenRef;
  meterValue?: unknown[];
}

/**
 * 2.0.1 TransactionEvent: tracks the transaction by its id, checks the seqNo runs on without gaps
 * (1.3.2.1, E01.FR.07) and, when an idToken came with it, verifies it (E01.FR.11, E01.FR.12, E03.FR.02).
 */
export function answerTransactionEvent({ context, station, action, payload }: HandlerInput): CallReply {
  const request = payload as unknown as TransactionEventRequest;
  const transactionId = request.transactionInfo.transactionId;
  const transaction = trackedTransaction(context.state.transaction(station.stationId, transactionId), request, station.stationId);
  const authorizedWith = transaction.idToken;
  context.state.addTransaction(transaction);
  applyEvent(transaction, request);
  if (request.meterValue) {
    context.state.addMeterValues({
      stationId: station.stationId, action, transactionId, meterValue: request.meterValue, at: context.now(), ...(transaction.evseId !== undefined ? { evseId: transaction.evseId } : {}),
    });
  }
  if (!request.idToken || context.behaviours.has('no-id-token-info')) return { payload: {} };
  context.tokens.noteType(request.idToken.idToken, request.idToken.type);
  const stop = { ...(request.transactionInfo.stoppedReason !== undefined ? { stoppedReason: request.transactionInfo.stoppedReason } : {}), ...(authorizedWith !== undefined ? { authorizedWith } : {}) };
  return { payload: { idTokenInfo: masterPassAnswer(context, request.idToken, context.tokens.idTokenInfo(request.idToken), stop) } };
}

function trackedTransaction(known: TransactionSnapshot | undefined, request: TransactionEventRequest, stationId: string): TransactionSnapshot {
  if (!known) {
    const transaction: TransactionSnapshot = { stationId, transactionId: request.transactionInfo.transactionId, startedAt: request.timestamp, active: true, problems: [] };
    if (request.eventType !== 'Started') transaction.problems.push(`the first event the CSMS received was ${request.eventType} (seqNo ${request.seqNo}), not Started`);
    return transaction;
  }
  if (request.eventType === 'Started') known.problems.push(`a second Started event (seqNo ${request.seqNo})`);
  else if (known.lastSeqNo !== undefined && request.seqNo !== known.lastSeqNo + 1) {
    // 1.3.2.1: the station raises seqNo by 1 after each TransactionEventRequest.
    known.problems.push(`seqNo ${request.seqNo} followed ${known.lastSeqNo}; expected ${known.lastSeqNo + 1}`);
  }
  if (!known.active) known.problems.push(`a ${request.eventType} event after the Ended event (seqNo ${request.seqNo})`);
  return known;
}

function applyEvent(transaction: TransactionSnapshot, request: TransactionEventRequest): void {
  transaction.lastSeqNo = request.seqNo;
  if (request.evse) {
    transaction.evseId = request.evse.id;
    if (request.evse.connectorId !== undefined) transaction.connectorId = request.evse.connectorId;
  }
  if (request.idToken) transaction.idToken = request.idToken.idToken;
  if (request.eventType === 'Ended') {
    transaction.active = false;
    transaction.endedAt = request.timestamp;
    if (request.transactionInfo.stoppedReason !== undefined) transaction.stoppedReason = request.transactionInfo.stoppedReason;
  }
}
