import type { CallReply } from '../../session/index.js';
import { refusesErrorStatus } from './error-status-16.js';
import { acknowledge, answerBoot, answerDataTransfer, answerHeartbeat, type HandlerInput, type MessageHandler } from './message-handler.js';
import { endingReservations } from './reservations-16.js';
import { answerSignCertificate } from './certificate-signing.js';
import { answerStartTransaction, answerStopTransaction } from './transactions-16.js';
import { noteAuthorize, preparingToAvailableRefusal } from './core-behaviours-16.js';

interface StatusNotificationRequest16 {
  connectorId: number;
  status: string;
  errorCode: string;
  timestamp?: string;
}

/** 1.6 Authorize: the idTag's status from the CSMS's list (1.6 §4.1). */
function answerAuthorize(input: HandlerInput): CallReply {
  const { context, payload } = input;
  noteAuthorize(input);
  return { payload: { idTagInfo: context.tokens.idTagInfo(String(payload['idTag'])) } };
}

/** 1.6 StatusNotification: keeps each connector's status; connector 0 is the whole charge point (1.6 §4.9). */
function answerStatusNotification(input: HandlerInput): CallReply {
  const { context, station, payload } = input;
  const request = payload as unknown as StatusNotificationRequest16;
  const refusal = preparingToAvailableRefusal(input);
  if (refusal) return refusal;
  if (refusesErrorStatus(context, request.errorCode)) return { error: 'InternalError', description: 'error reports are not taken (injected behaviour fault)' };
  station.connectors.set(`0/${request.connectorId}`, {
    evseId: 0, connectorId: request.connectorId, status: request.status, errorCode: request.errorCode, at: request.timestamp ?? context.now(),
  });
  return acknowledge(input);
}

/** 1.6 MeterValues: kept with their connector and transaction (1.6 §4.7). */
function answerMeterValues({ context, station, action, payload }: HandlerInput): CallReply {
  const transactionId = payload['transactionId'];
  context.state.addMeterValues({
    stationId: station.stationId, action, connectorId: Number(payload['connectorId']), meterValue: payload['meterValue'], at: context.now(),
    ...(transactionId !== undefined ? { transactionId: String(transactionId) } : {}),
  });
  return { payload: {} };
}

/**
 * The OCPP 1.6 CALLs a charge point may send, with the reference CSMS's answer. The security
 * extension's messages (OCPP 1.6 security whitepaper) are included; SignCertificate is signed
 * when the CSMS has a certificate authority (certificate-signing.ts), else Rejected.
 */
export const HANDLERS_16: Readonly<Record<string, MessageHandler>> = {
  BootNotification: answerBoot,
  Heartbeat: answerHeartbeat,
  Authorize: answerAuthorize,
  StartTransaction: endingReservations(answerStartTransaction),
  StopTransaction: answerStopTransaction,
  StatusNotification: answerStatusNotification,
  MeterValues: answerMeterValues,
  DataTransfer: answerDataTransfer,
  DiagnosticsStatusNotification: acknowledge,
  FirmwareStatusNotification: acknowledge,
  SecurityEventNotification: acknowledge,
  LogStatusNotification: acknowledge,
  SignedFirmwareStatusNotification: acknowledge,
  SignCertificate: answerSignCertificate,
};
