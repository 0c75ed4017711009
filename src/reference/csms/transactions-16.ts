import type { CallReply } from '../../session/index.js';
import { refusesUnauthorizedStart } from './core-behaviours-16.js';
import type { HandlerInput } from './message-handler.js';
import { refusesQueuedStart } from './queued-messages-16.js';
import type { TransactionSnapshot } from './types.js';

interface StartTransactionRequest {
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
}

interface StopTransactionRequest {
  idTag?: string;
  meterStop: number;
  timestamp: string;
  transactionId: number;
  reason?: string;
  transactionData?: unknown[];
}

/** 1.6 StartTransaction: the CSMS assigns the transaction id and checks the idTag (1.6 §4.8). */
export function answerStartTransaction(input: HandlerInput): CallReply {
  const { context, station, payload } = input;
  const request = payload as unknown as StartTransactionRequest;
  const transactionId = context.behaviours.has('wrong-transaction-id') ? 0 : context.nextNumber();
  const refused = refusesUnauthorizedStart(input) || refusesQueuedStart(context, request.timestamp);
  const idTagInfo = refused ? { status: 'Invalid' } : context.tokens.idTagInfo(request.idTag);
  context.state.addTransaction({
    stationId: station.stationId, transactionId: String(transactionId), idToken: request.idTag, connectorId: request.connectorId,
    startedAt: request.timestamp, active: true, meterStartWh: request.meterStart, problems: [],
  });
  return { payload: { idTagInfo, transactionId } };
}

/** 1.6 StopTransaction: ends the transaction; idTagInfo only when an idTag came with it (1.6 §4.10). */
export function answerStopTransaction({ context, station, payload, action }: HandlerInput): CallReply {
  const request = payload as unknown as StopTransactionRequest;
  const transactionId = String(request.transactionId);
  let transaction = context.state.transaction(station.stationId, transactionId);
  if (!transaction) {
    transaction = { stationId: station.stationId, transactionId, startedAt: request.timestamp, active: true, problems: ['StopTransaction for a transaction id the CSMS never assigned'] };
    context.state.addTransaction(transaction);
  }
  endTransaction(transaction, request);
  if (request.transactionData?.length) {
    context.state.addMeterValues({
      stationId: station.stationId, action, transactionId, meterValue: request.transactionData, at: context.now(),
      ...(transaction.connectorId !== undefined ? { connectorId: transaction.connectorId } : {}),
    });
  }
  if (request.idTag === undefined || context.behaviours.has('no-id-token-info')) return { payload: {} };
  return { payload: { idTagInfo: context.tokens.idTagInfo(request.idTag) } };
}

function endTransaction(transaction: TransactionSnapshot, request: StopTransactionRequest): void {
  if (!transaction.active) transaction.problems.push('StopTransaction for a transaction that had already stopped');
  transaction.active = false;
  transaction.endedAt = request.timestamp;
  transaction.meterStopWh = request.meterStop;
  // 1.6 §4.10: an absent reason is to be taken as Local.
  transaction.stoppedReason = request.reason ?? 'Local';
}
