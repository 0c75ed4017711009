import type { CsmsContext } from './context.js';
import { HOUR_MS, NOWHERE_URL, acceptedToken, lastReservationId, runningTransactionId, type RequestBuilder } from './request-helpers.js';

function reserveNow(context: CsmsContext) {
  return { connectorId: 1, expiryDate: new Date(context.clock().getTime() + HOUR_MS).toISOString(), idTag: acceptedToken(context).idToken, reservationId: context.nextNumber() };
}

/** Default payloads of the OCPP 1.6 requests a Central System sends, by action. */
export const DEFAULT_REQUESTS_16: Readonly<Record<string, RequestBuilder>> = {
  Reset: () => ({ type: 'Soft' }),
  RemoteStartTransaction: (context) => ({ idTag: acceptedToken(context).idToken, connectorId: 1 }),
  RemoteStopTransaction: (context, station) => ({ transactionId: Number(runningTransactionId(context, station)) }),
  ChangeConfiguration: (context) => ({ key: 'HeartbeatInterval', value: String(context.settings.heartbeatIntervalS) }),
  GetConfiguration: () => ({}),
  ChangeAvailability: () => ({ connectorId: 0, type: 'Inoperative' }),
  UnlockConnector: () => ({ connectorId: 1 }),
  TriggerMessage: () => ({ requestedMessage: 'Heartbeat' }),
  ClearCache: () => ({}),
  DataTransfer: () => ({ vendorId: 'org.ocpp-harness' }),
  GetLocalListVersion: () => ({}),
  SendLocalList: (context) => ({
    listVersion: context.nextNumber(), updateType: 'Full',
    localAuthorizationList: context.tokens.entries().map(({ idToken }) => ({ idTag: idToken, idTagInfo: context.tokens.idTagInfo(idToken) })),
  }),
  SetChargingProfile: (context) => ({
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: context.nextNumber(), stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
    },
  }),
  ClearChargingProfile: () => ({ chargingProfilePurpose: 'TxDefaultProfile' }),
  GetCompositeSchedule: () => ({ connectorId: 1, duration: 3600 }),
  ReserveNow: reserveNow,
  CancelReservation: (_context, station) => ({ reservationId: lastReservationId(station) }),
  GetDiagnostics: () => ({ location: `${NOWHERE_URL}/diagnostics` }),
  UpdateFirmware: (context) => ({ location: `${NOWHERE_URL}/firmware.bin`, retrieveDate: context.now() }),
  // The 1.6 security whitepaper's requests (§5); those that carry a certificate or a signature need their payload given.
  GetInstalledCertificateIds: () => ({ certificateType: 'CentralSystemRootCertificate' }),
  ExtendedTriggerMessage: () => ({ requestedMessage: 'SignChargePointCertificate' }),
  GetLog: (context) => ({ logType: 'SecurityLog', requestId: context.nextNumber(), log: { remoteLocation: `${NOWHERE_URL}/logs` } }),
};
