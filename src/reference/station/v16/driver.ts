import { ChargingProfiles } from '../charging-profiles.js';
import { LogUploads } from '../log-uploads.js';
import { FirmwareUpdater } from '../signed-firmware.js';
import type { StationContext, VersionDriver } from '../context.js';
import type { StationState } from '../station-state.js';
import { createV16Actions, securityUpgradeActions16 } from './actions.js';
import { Authorizer16 } from './authorizer.js';
import { ClockAlignedMeter16 } from './clock-aligned.js';
import { Configuration } from './configuration.js';
import { Diagnostics16 } from './diagnostics.js';
import { FirmwareUpdater16 } from './firmware.js';
import { HANDLERS_16 } from './handlers.js';
import { LocalAuthList } from './local-list.js';
import { bootNotification16 } from './messages.js';
import type { V16Parts } from './parts.js';
import { followProfileLimits16, transactionEnded16 } from './smart-charging.js';
import { Reservations16, reservationActions16 } from './reservations.js';
import { certificateManagement16, certificateRenewal16, securityProfileRefusal } from './security.js';
import { SecurityUpgrade16 } from './security-upgrade.js';
import { StatusReporter16, connectorStatus16 } from './status.js';
import { TransactionEngine16 } from './transactions.js';

/** The OCPP 1.6 (JSON) behaviour of the reference Charge Point. */
export function createV16Driver(context: StationContext): VersionDriver {
  const configuration = new Configuration(context.options);
  const localList = new LocalAuthList(context, configuration);
  const authorizer = new Authorizer16(context, configuration, localList);
  const engine = new TransactionEngine16(context, configuration, authorizer);
  const status = new StatusReporter16(context, engine);
  const firmware = new FirmwareUpdater16(context, engine);
  const reservations = new Reservations16(context, configuration, authorizer, (connector) => engine.session(connector));
  engine.reservations = reservations;
  reservations.onChange = () => status.reportChanges();
  const certificates = certificateManagement16(context, configuration);
  // 1.6 security whitepaper L01: SignedFirmwareStatusNotification, signatures in RSA-PSS (L01.FR.04).
  const signedFirmware = new FirmwareUpdater(context, () => engine.running().length, { statusAction: 'SignedFirmwareStatusNotification', statusInfo: false, signatureScheme: 'pss' });
  const parts: V16Parts = { context, configuration, authorizer, engine, status, localList, firmware, diagnostics: new Diagnostics16(context), reservations,
    profiles: new ChargingProfiles(context.version, (name) => context.hasFault(name)), certificates, renewal: certificateRenewal16(context, configuration), logs: new LogUploads(context, false), signedFirmware };
  // The Central System set a password (1.6 security whitepaper A01): from then on the station authenticates with it.
  let authorizationKeySet = false;
  configuration.guard = (key, value) => (key === 'SecurityProfile' ? securityProfileRefusal(parts, value) : undefined);
  const upgrade = new SecurityUpgrade16(context, configuration);
  followProfileLimits16(parts);
  const clockAligned = new ClockAlignedMeter16(parts);
  configuration.onChange = (key) => {
    if (key === 'HeartbeatInterval') context.restartHeartbeat();
    if (key === 'ClockAlignedDataInterval') clockAligned.restart();
    if (key === 'SecurityProfile') upgrade.changed();
    // A01 (1.6 security whitepaper): a new AuthorizationKey ends the connection; the next one uses it.
    if (key === 'AuthorizationKey') {
      authorizationKeySet = true;
      context.timers.soon(() => context.reconnect());
    }
  };
  engine.onChange = () => status.reportChanges();
  engine.onEnded = (connector) => {
    transactionEnded16(parts, connector);
    applyScheduled(parts);
    firmware.onTransactionEnded();
    signedFirmware.onTransactionEnded();
  };
  return {
    // §6.3: the 1.6 BootNotification has no reason field.
    bootRequest: () => bootNotification16(context.options, context.state.firmwareVersion),
    onBootAccepted: () => {
      clockAligned.restart();
      if (context.hasFault('no-status-after-boot')) status.pretendReported();
      else status.reportAll();
      certificates.onConnected();
      firmware.onBootAccepted();
      signedFirmware.onBootAccepted();
    },
    onReconnected: () => {
      certificates.onConnected();
      status.reportChanges();
    },
    handleCall: (call) => {
      const handler = HANDLERS_16[call.action];
      return handler ? handler(parts, call.payload) : { error: 'NotSupported', description: `the reference Charge Point does not support ${call.action}` };
    },
    heartbeatIntervalS: () => configuration.integer('HeartbeatInterval'),
    setHeartbeatIntervalS: (intervalS) => void configuration.change('HeartbeatInterval', String(intervalS)),
    txMessageAttempts: () => configuration.integer('TransactionMessageAttempts'),
    txRetryIntervalS: () => configuration.integer('TransactionMessageRetryInterval'),
    // OCPP 1.6 has no message timeout key: the common 30 s.
    messageTimeoutS: () => 30,
    // OCPP 1.6 has one CSMS endpoint, the configured one, besides a raised SecurityProfile's (A05).
    endpointPlan: () => upgrade.plan(),
    connectedTo: (slot, serverCertificatePem) => (certificates.connectedWith(serverCertificatePem), upgrade.connectedTo(slot)),
    // OCPP 1.6 defines no back-off: the station reconnects after its reconnect delay.
    reconnectBackOff: () => ({ waitMinimumS: 0, randomRangeS: 0, repeatTimes: 0 }),
    renewedClientCertificate: () => parts.renewal.current,
    basicAuthPassword: () => (authorizationKeySet ? configuration.value('AuthorizationKey') : undefined),
    onPowerLoss: () => {
      if (context.hasFault('availability-lost-on-reboot')) forgetAvailability(context.state);
      if (context.hasFault('forget-transactions-on-power-loss')) forgetTransactions(engine);
      for (const { evse, connector } of engine.running()) engine.stop(evse, connector, 'PowerLoss');
      for (const connector of context.state.connectors()) engine.session(connector).authorization = undefined;
    },
    status: () => ({
      connectors: context.state.connectors().map((connector) => ({ evseId: connector.evseId, connectorId: connector.id, status: connectorStatus16(context, engine, connector), plugged: connector.plugged })),
      transactions: engine.running().map(({ evse, connector, tx }) => ({ evseId: evse.id, connectorId: connector.id, idToken: tx.idTag, ...(tx.transactionId === undefined ? {} : { transactionId: tx.transactionId }) })),
    }),
    actions: { ...createV16Actions(parts), ...reservationActions16(reservations), ...securityUpgradeActions16(parts, upgrade) },
  };
}

/** behaviour:availability-lost-on-reboot: the power cut makes the charge point forget what ChangeAvailability set (§5.2 wants it kept). */
function forgetAvailability(state: StationState): void {
  state.operative = true;
  for (const connector of state.connectors()) connector.operative = true;
}

/** behaviour:forget-transactions-on-power-loss: the running transactions vanish with the power, never reported stopped (§4.10). */
function forgetTransactions(engine: TransactionEngine16): void {
  for (const { connector, tx } of engine.running()) {
    tx.meterTimer.clear();
    engine.session(connector).tx = undefined;
  }
}

/** §5.2: availability changes that waited for the transaction apply once it ended. */
function applyScheduled(parts: V16Parts): void {
  const { state } = parts.context;
  for (const holder of [state, ...state.connectors()]) {
    if (holder.scheduledOperative === undefined) continue;
    holder.operative = holder.scheduledOperative;
    holder.scheduledOperative = undefined;
  }
  parts.status.reportChanges();
}
