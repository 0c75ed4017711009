import type { CallReply, IncomingCall } from '../../../session/index.js';
import { ChargingProfiles } from '../charging-profiles.js';
import type { StationContext, VersionDriver } from '../context.js';
import { createV201Actions } from './actions.js';
import { AlignedData } from './aligned-data.js';
import { Authorizer } from './authorizer.js';
import { CERTIFICATE_ENTRIES_MAX, certificateManagement201, certificateRenewal201, deleteCertificate, getInstalledCertificateIds, installCertificate } from './certificates.js';
import { createCatalogue } from './device-model-catalogue.js';
import { DeviceModel } from './device-model.js';
import { customerInformation } from './customer-information.js';
import { LogUploads } from '../log-uploads.js';
import { FirmwareUpdater } from '../signed-firmware.js';
import { bootNotification } from './messages.js';
import { endpointPlan, setNetworkProfile } from './network-profile.js';
import { applyScheduled, changeAvailability, clearCache, getTransactionStatus, reset, unlockConnector } from './operations.js';
import type { V201Parts } from './parts.js';
import { clearChargingProfile, followProfileLimits, getChargingProfiles, getCompositeSchedule, setChargingProfile } from './smart-charging.js';
import { requestStartTransaction, requestStopTransaction, startupSecurityEvent, triggerMessage } from './remote.js';
import { connectorStatus, evseAvailability, StatusReporter } from './status.js';
import { TransactionEngine, type EvseSession } from './transactions.js';
import { getBaseReport, getReport, getVariables, setVariables } from './variables.js';

type Handler = (parts: V201Parts, call: IncomingCall) => CallReply | Promise<CallReply>;

const HANDLERS: Record<string, Handler> = {
  GetVariables: (parts, call) => getVariables(parts.model, call.payload),
  SetVariables: (parts, call) => setVariables(parts.model, parts.context, call.payload, () => parts.renewal.current !== undefined || parts.context.options.security?.clientCertificate !== undefined),
  GetBaseReport: (parts, call) => getBaseReport(parts.model, parts.context, call.payload),
  GetReport: (parts, call) => getReport(parts.model, parts.context, call.payload),
  SetNetworkProfile: (parts, call) => setNetworkProfile(parts.model, parts.context, call.payload),
  Reset: (parts, call) => reset(parts, call.payload),
  ChangeAvailability: (parts, call) => changeAvailability(parts, call.payload),
  RequestStartTransaction: (parts, call) => requestStartTransaction(parts, call.payload),
  RequestStopTransaction: (parts, call) => requestStopTransaction(parts, call.payload),
  GetTransactionStatus: (parts, call) => getTransactionStatus(parts, call.payload),
  UnlockConnector: (parts, call) => unlockConnector(parts, call.payload),
  ClearCache: (parts) => clearCache(parts),
  TriggerMessage: (parts, call) => triggerMessage(parts, call.payload),
  GetLog: (parts, call) => parts.logs.getLog(call.payload),
  CustomerInformation: (parts, call) => customerInformation(parts, call.payload),
  InstallCertificate: (parts, call) => installCertificate(parts.certificates, call.payload),
  GetInstalledCertificateIds: (parts, call) => getInstalledCertificateIds(parts.certificates, call.payload),
  DeleteCertificate: (parts, call) => deleteCertificate(parts.certificates, call.payload),
  CertificateSigned: (parts, call) => parts.renewal.signed(call.payload),
  UpdateFirmware: (parts, call) => parts.firmware.update(call.payload),
  SetChargingProfile: (parts, call) => setChargingProfile(parts, call.payload),
  GetChargingProfiles: (parts, call) => getChargingProfiles(parts, call.payload),
  ClearChargingProfile: (parts, call) => clearChargingProfile(parts, call.payload),
  GetCompositeSchedule: (parts, call) => getCompositeSchedule(parts, call.payload),
  // P01.FR.05: the reference station implements no vendor extension.
  DataTransfer: () => ({ payload: { status: 'UnknownVendorId' } }),
};

/** The OCPP 2.0.1 (and 2.1-compatible) behaviour of the reference station. */
export function createV201Driver(context: StationContext): VersionDriver {
  const { state } = context;
  let aligned: AlignedData | undefined;
  const profiles = new ChargingProfiles(context.version, (name) => context.hasFault(name));
  const model = createDeviceModel(context, profiles, () => aligned?.restart());
  const authorizer = new Authorizer(context, model);
  const engine = new TransactionEngine(context, model, authorizer);
  aligned = new AlignedData(context, model, engine);
  aligned.restart();
  const certificates = certificateManagement201(context, model);
  const firmware = new FirmwareUpdater(context, () => engine.running().length, { statusAction: 'FirmwareStatusNotification', statusInfo: true, signatureScheme: 'pkcs1' });
  const parts: V201Parts = { context, model, authorizer, engine, status: new StatusReporter(context), logs: new LogUploads(context, true), certificates, renewal: certificateRenewal201(context, model), firmware,
    profiles, resetScheduled: false };
  followProfileLimits(parts);
  engine.onEnded = (evse) => {
    parts.profiles.transactionEnded(evse.id);
    applyScheduled(parts, evse);
    firmware.onTransactionEnded();
  };
  return {
    bootRequest: (reason) => bootNotification(context.options, context.hasFault('boot-without-reason-remote-reset') && reason === 'RemoteReset' ? 'PowerUp' : reason, state.firmwareVersion),
    onBootAccepted: (reason) => {
      parts.profiles.rebooted();
      if (context.hasFault('no-status-after-boot')) parts.status.pretendReported();
      else if (context.hasFault('first-connector-status-only')) parts.status.reportFirstOnly();
      else parts.status.reportAll();
      if (!context.hasFault('no-security-event-after-boot')) startupSecurityEvent(parts, reason);
      certificates.onConnected();
      firmware.onBootAccepted();
    },
    onReconnected: (offlineMs) => {
      certificates.onConnected();
      // B04.FR.01/02: everything after a long absence, only the changes after a short one.
      if (offlineMs > model.integer('OCPPCommCtrlr', 'OfflineThreshold') * 1000) parts.status.reportAll();
      else parts.status.reportChanges();
    },
    handleCall: (call) => {
      const handler = HANDLERS[call.action];
      return handler ? handler(parts, call) : { error: 'NotSupported', description: `the reference station does not support ${call.action}` };
    },
    heartbeatIntervalS: () => model.integer('OCPPCommCtrlr', 'HeartbeatInterval'),
    setHeartbeatIntervalS: (intervalS) => void model.set({ name: 'OCPPCommCtrlr' }, { name: 'HeartbeatInterval' }, String(intervalS)),
    txMessageAttempts: () => model.integer('OCPPCommCtrlr', 'MessageAttempts', 'TransactionEvent'),
    txRetryIntervalS: () => model.integer('OCPPCommCtrlr', 'MessageAttemptInterval', 'TransactionEvent'),
    // Part 2 §2.1.3 MessageTimeout(Default): after it a CALL counts as not delivered (E13 retries it).
    messageTimeoutS: () => model.integer('OCPPCommCtrlr', 'MessageTimeout', 'Default'),
    endpointPlan: () => endpointPlan(model, context),
    connectedTo: (slot, serverCertificatePem) => {
      model.set({ name: 'OCPPCommCtrlr' }, { name: 'ActiveNetworkProfile' }, String(slot), 'Actual', { ignoreReadOnly: true });
      certificates.connectedWith(serverCertificatePem);
    },
    // OCPP-J 2.0.1 §5.3 and Part 2 OCPPCommCtrlr: the reconnection back-off after a connection loss.
    reconnectBackOff: () => ({
      waitMinimumS: model.integer('OCPPCommCtrlr', 'RetryBackOffWaitMinimum'),
      randomRangeS: model.integer('OCPPCommCtrlr', 'RetryBackOffRandomRange'),
      repeatTimes: model.integer('OCPPCommCtrlr', 'RetryBackOffRepeatTimes'),
    }),
    // A02.FR.08: from its next connection; it does not close the current one itself, which Part 6
    // (erratum 6.2.123) then closes for it. The 1.6 reference reconnects at once instead.
    renewedClientCertificate: () => parts.renewal.current,
    basicAuthPassword: () => model.all().find((definition) => definition.variable.name === 'BasicAuthPassword')?.value || undefined,
    onPowerLoss: () => {
      for (const { evse } of engine.running()) engine.update(evse, 'AbnormalCondition', 'PowerLoss');
      for (const evse of state.evses) engine.session(evse).authorization = undefined;
    },
    status: () => ({
      connectors: state.connectors().map((connector) => ({ evseId: connector.evseId, connectorId: connector.id, status: connectorStatus(context, connector), plugged: connector.plugged })),
      transactions: engine.running().map(({ evse, tx }) => ({ evseId: evse.id, transactionId: tx.id, ...tokenOf(engine.session(evse)) })),
    }),
    actions: createV201Actions(parts),
  };
}

/** The device model with its live values, and the `settings` option applied. */
function createDeviceModel(context: StationContext, profiles: ChargingProfiles, onAlignedDataChanged: () => void): DeviceModel {
  const { state } = context;
  const model = new DeviceModel(createCatalogue({
    options: context.options,
    now: context.now,
    stationAvailability: () => (state.operative ? 'Available' : 'Unavailable'),
    evseAvailability: (evseId) => evseAvailability(context, state.evse(evseId)!),
    connectorAvailability: (evseId, connectorId) => connectorStatus(context, state.connector(evseId, connectorId)!),
    onHeartbeatIntervalChanged: () => context.restartHeartbeat(),
    // A01: the answer goes out first, then the connection is made again with the new password.
    onBasicAuthPasswordChanged: () => context.timers.soon(() => context.reconnect()),
    onAlignedDataChanged,
    certificateEntries: () => state.certificates.ofTypes().length,
    certificateEntriesMax: CERTIFICATE_ENTRIES_MAX,
    chargingProfileEntries: () => profiles.all().length,
  }));
  applySettings(model, context.options.settings);
  return model;
}

/** Applies the `settings` option ("Component.Variable[.Instance]": value), read-only ones included. */
function applySettings(model: DeviceModel, settings: Record<string, string>): void {
  for (const [key, value] of Object.entries(settings)) {
    const [component = '', variable = '', instance] = key.split('.');
    const result = model.set({ name: component }, { name: variable, ...(instance ? { instance } : {}) }, value, 'Actual', { ignoreReadOnly: true });
    if (result.status !== 'Accepted' && result.status !== 'RebootRequired') throw new Error(`setting ${key}=${value}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
  }
}

function tokenOf(session: EvseSession): { idToken?: string } {
  const idToken = session.authorization?.token.idToken;
  return idToken === undefined ? {} : { idToken };
}
