import type { Payload } from '../../protocol/index.js';
import type { CsmsContext } from './context.js';
import { HOUR_MS, NOWHERE_URL, acceptedToken, lastReservationId, runningTransactionId, type RequestBuilder } from './request-helpers.js';

function reserveNow(context: CsmsContext): Payload {
  return { id: context.nextNumber(), expiryDateTime: new Date(context.clock().getTime() + HOUR_MS).toISOString(), idToken: acceptedToken(context), evseId: 1 };
}

function customerInformation(context: CsmsContext): Payload {
  const token = context.tokens.firstAccepted();
  // N09: the request names the customer by idToken, certificate or identifier.
  return { requestId: context.nextNumber(), report: true, clear: false, ...(token ? { idToken: token } : { customerIdentifier: 'ocpp-harness' }) };
}

const heartbeatVariable = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };

/** Default payloads of the OCPP 2.0.1 requests a CSMS sends, by action. */
export const DEFAULT_REQUESTS_201: Readonly<Record<string, RequestBuilder>> = {
  Reset: () => ({ type: 'Immediate' }),
  GetVariables: () => ({ getVariableData: [heartbeatVariable] }),
  SetVariables: (context) => ({ setVariableData: [{ ...heartbeatVariable, attributeValue: String(context.settings.heartbeatIntervalS) }] }),
  GetBaseReport: (context) => ({ requestId: context.nextNumber(), reportBase: 'FullInventory' }),
  GetReport: (context) => ({ requestId: context.nextNumber() }),
  RequestStartTransaction: (context) => ({ idToken: acceptedToken(context), remoteStartId: context.nextNumber(), evseId: 1 }),
  RequestStopTransaction: (context, station) => ({ transactionId: runningTransactionId(context, station) }),
  GetTransactionStatus: () => ({}),
  TriggerMessage: () => ({ requestedMessage: 'Heartbeat' }),
  ChangeAvailability: () => ({ operationalStatus: 'Inoperative' }),
  UnlockConnector: () => ({ evseId: 1, connectorId: 1 }),
  ClearCache: () => ({}),
  GetLocalListVersion: () => ({}),
  SendLocalList: (context) => ({
    versionNumber: context.nextNumber(), updateType: 'Full',
    localAuthorizationList: context.tokens.entries().map(({ idToken, type }) => ({ idToken: { idToken, type }, idTokenInfo: context.tokens.idTokenInfo({ idToken, type }) })),
  }),
  SetChargingProfile: (context) => ({
    evseId: 0,
    chargingProfile: {
      id: context.nextNumber(), stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative',
      chargingSchedule: [{ id: context.nextNumber(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }],
    },
  }),
  ClearChargingProfile: () => ({ chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } }),
  GetChargingProfiles: (context) => ({ requestId: context.nextNumber(), chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } }),
  GetCompositeSchedule: () => ({ duration: 3600, evseId: 1 }),
  ReserveNow: reserveNow,
  CancelReservation: (_context, station) => ({ reservationId: lastReservationId(station) }),
  DataTransfer: () => ({ vendorId: 'org.ocpp-harness' }),
  GetLog: (context) => ({ logType: 'DiagnosticsLog', requestId: context.nextNumber(), log: { remoteLocation: `${NOWHERE_URL}/logs` } }),
  UpdateFirmware: (context) => ({ requestId: context.nextNumber(), firmware: { location: `${NOWHERE_URL}/firmware.bin`, retrieveDateTime: context.now() } }),
  CustomerInformation: customerInformation,
  GetInstalledCertificateIds: () => ({}),
  GetMonitoringReport: (context) => ({ requestId: context.nextNumber() }),
  SetMonitoringBase: () => ({ monitoringBase: 'All' }),
  SetMonitoringLevel: () => ({ severity: 9 }),
  GetDisplayMessages: (context) => ({ requestId: context.nextNumber() }),
};
