import type { CallReply } from '../../session/index.js';
import { answerSignCertificate } from './certificate-signing.js';
import type { IdTokenRef } from './id-tokens.js';
import { masterPassAnswer } from './master-pass.js';
import { acknowledge, answerBoot, answerDataTransfer, answerHeartbeat, answerWith, type HandlerInput, type MessageHandler } from './message-handler.js';
import { answerTransactionEvent } from './transactions-201.js';

interface StatusNotificationRequest201 {
  timestamp: string;
  connectorStatus: string;
  evseId: number;
  connectorId: number;
}

/** 2.0.1 Authorize: the idToken's status from the CSMS's list (C01.FR.07), a master pass with its group (C16). */
function answerAuthorize({ context, payload }: HandlerInput): CallReply {
  const idToken = payload['idToken'] as IdTokenRef;
  context.tokens.noteType(idToken.idToken, idToken.type);
  return { payload: { idTokenInfo: masterPassAnswer(context, idToken, context.tokens.idTokenInfo(idToken)) } };
}

/** 2.0.1 StatusNotification: keeps each connector's status (G01). */
function answerStatusNotification(input: HandlerInput): CallReply {
  const { station, payload } = input;
  const request = payload as unknown as StatusNotificationRequest201;
  station.connectors.set(`${request.evseId}/${request.connectorId}`, {
    evseId: request.evseId, connectorId: request.connectorId, status: request.connectorStatus, at: request.timestamp,
  });
  return acknowledge(input);
}

/** 2.0.1 MeterValues: kept with their EVSE (J01). */
function answerMeterValues({ context, station, action, payload }: HandlerInput): CallReply {
  context.state.addMeterValues({ stationId: station.stationId, action, evseId: Number(payload['evseId']), meterValue: payload['meterValue'], at: context.now() });
  return { payload: {} };
}

/**
 * The OCPP 2.0.1 CALLs a charging station may send, with the reference CSMS's answer (2.1 uses
 * them too). It signs CSRs when it is given a certificate authority (certificate-signing.ts); it
 * runs no OCSP responder or smart-charging planner, so those requests fail and EV charging needs are Rejected.
 */
export const HANDLERS_201: Readonly<Record<string, MessageHandler>> = {
  BootNotification: answerBoot,
  Heartbeat: answerHeartbeat,
  Authorize: answerAuthorize,
  TransactionEvent: answerTransactionEvent,
  StatusNotification: answerStatusNotification,
  MeterValues: answerMeterValues,
  DataTransfer: answerDataTransfer,
  NotifyEvent: acknowledge,
  NotifyReport: acknowledge,
  NotifyMonitoringReport: acknowledge,
  SecurityEventNotification: acknowledge,
  FirmwareStatusNotification: acknowledge,
  LogStatusNotification: acknowledge,
  PublishFirmwareStatusNotification: acknowledge,
  NotifyChargingLimit: acknowledge,
  ClearedChargingLimit: acknowledge,
  NotifyCustomerInformation: acknowledge,
  NotifyDisplayMessages: acknowledge,
  ReportChargingProfiles: acknowledge,
  ReservationStatusUpdate: acknowledge,
  NotifyEVChargingSchedule: answerWith({ status: 'Accepted' }),
  NotifyEVChargingNeeds: answerWith({ status: 'Rejected' }),
  SignCertificate: answerSignCertificate,
  GetCertificateStatus: answerWith({ status: 'Failed' }),
  Get15118EVCertificate: answerWith({ status: 'Failed', exiResponse: '' }),
};
