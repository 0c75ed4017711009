import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import { sampleMeasurands } from '../meter-sample.js';
import { meterValue16 } from './messages.js';
import type { V16Parts } from './parts.js';

/** MessageTrigger of 1.6 §7.32: every message the reference Charge Point sends on request. */
const TRIGGERABLE = new Set(['BootNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StatusNotification']);

/** TriggerMessage (1.6 §5.17), the Remote Trigger profile; ExtendedTriggerMessage, the 1.6 security whitepaper's. */
export const TRIGGER_HANDLERS_16: Record<string, (parts: V16Parts, payload: Payload) => CallReply> = {
  TriggerMessage: (parts, payload) => triggerMessage(parts, payload),
  ExtendedTriggerMessage: (parts, payload) => extendedTriggerMessage(parts, payload),
};

/**
 * ExtendedTriggerMessage (1.6 security whitepaper §5.5): the messages of TriggerMessage, with the
 * whitepaper's own in place of the 1.6 ones: SignedFirmwareStatusNotification for
 * FirmwareStatusNotification (L01.FR.28/29), LogStatusNotification (N01.FR.12: Idle without a
 * requestId when no upload runs), and SignChargePointCertificate, which starts a certificate
 * renewal (A02.FR.02: after the answer).
 */
function extendedTriggerMessage(parts: V16Parts, payload: Payload): CallReply {
  const requested = String(payload['requestedMessage']);
  const { context } = parts;
  const extended: Record<string, () => void> = {
    SignChargePointCertificate: () => void context.timers.run(() => parts.renewal.request()),
    FirmwareStatusNotification: () => void context.send('SignedFirmwareStatusNotification', parts.signedFirmware.triggeredStatus(), { requested: true }),
    LogStatusNotification: () => {
      const uploading = parts.logs.uploadingRequestId();
      void context.send('LogStatusNotification', uploading === undefined ? { status: 'Idle' } : { status: 'Uploading', requestId: uploading }, { requested: true });
    },
  };
  const send = extended[requested];
  if (!send) return triggerMessage(parts, payload);
  if (!context.hasFault('trigger-accepted-not-sent')) context.timers.soon(send);
  return { payload: { status: 'Accepted' } };
}

// §5.17: answer first, then send; a connectorId that is not relevant is ignored, one the Charge
// Point does not have is Rejected (the requested message will not be sent).
function triggerMessage(parts: V16Parts, payload: Payload): CallReply {
  const requested = String(payload['requestedMessage']);
  if (!TRIGGERABLE.has(requested)) return { payload: { status: 'NotImplemented' } };
  const connectorId = payload['connectorId'] === undefined ? undefined : Number(payload['connectorId']);
  const unknownConnector = connectorId !== undefined && connectorId !== 0 && !parts.context.state.connector16(connectorId);
  if (unknownConnector && !parts.context.hasFault('trigger-ignores-connector')) return { payload: { status: 'Rejected' } };
  if (!parts.context.hasFault('trigger-accepted-not-sent')) parts.context.timers.soon(() => sendTriggered(parts, requested, unknownConnector ? undefined : connectorId));
  return { payload: { status: 'Accepted' } };
}

function sendTriggered(parts: V16Parts, requested: string, connectorId: number | undefined): void {
  const { context } = parts;
  switch (requested) {
    case 'BootNotification': return context.bootNow('Triggered');
    case 'Heartbeat': return void context.send('Heartbeat', {}, { requested: true });
    // §4.4, §4.5: the status of an upload or update in progress, Idle when there is none.
    case 'DiagnosticsStatusNotification': return void context.send(requested, { status: parts.diagnostics.triggeredStatus() }, { requested: true });
    case 'FirmwareStatusNotification': return void context.send(requested, { status: parts.firmware.triggeredStatus() }, { requested: true });
    case 'StatusNotification':
      // Without a connectorId: the Charge Point itself and every connector.
      if (connectorId === undefined || connectorId === 0) parts.status.reportStation(true, true);
      for (const connector of connectorId === 0 ? [] : connectorsOf(parts, connectorId)) parts.status.report(connector, true, true);
      return;
    default: return sendMeterValues(parts, connectorId);
  }
}

// §5.17 (errata 3.46): the most recent measurements of every measurand in MeterValuesSampledData.
function sendMeterValues(parts: V16Parts, connectorId: number | undefined): void {
  const { context } = parts;
  for (const connector of connectorsOf(parts, connectorId)) {
    const evse = context.state.evse(connector.evseId)!;
    const tx = parts.engine.session(connector).tx;
    const now = context.now();
    const samples = sampleMeasurands(parts.configuration.list('MeterValuesSampledData'), evse, parts.engine.isFlowing(evse, connector), now);
    if (samples.length === 0) continue;
    void context.send('MeterValues', { connectorId: connector.id, ...(tx?.transactionId !== undefined ? { transactionId: tx.transactionId } : {}), meterValue: [meterValue16(samples, 'Trigger', now)] }, { requested: true });
  }
}

function connectorsOf(parts: V16Parts, connectorId: number | undefined) {
  return parts.context.state.connectors().filter((connector) => connectorId === undefined || connector.id === connectorId);
}
