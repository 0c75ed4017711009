import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { AuthorizationResult, IdToken } from './authorizer.js';
import { meterValue, securityEvent } from './messages.js';
import { sampleMeasurands } from '../meter-sample.js';
import { pickEvse, type V201Parts } from './parts.js';
import { remoteStartProfile } from './smart-charging.js';

/** RequestStartTransaction (F01, F02). */
export function requestStartTransaction(parts: V201Parts, payload: Payload): CallReply {
  const evse = pickEvse(parts, payload['evseId']);
  if (!evse) return { payload: { status: 'Rejected' } };
  const { state } = parts.context;
  // F01.FR.23: not on an Unavailable or Faulted EVSE.
  if (!evse.connectors.some((connector) => !connector.faulted && state.isOperative(connector))) return { payload: { status: 'Rejected' } };
  const session = parts.engine.session(evse);
  // F01.FR.24: not where a transaction is already authorized.
  if (session.authorization) return { payload: { status: 'Rejected' } };
  const token = payload['idToken'] as IdToken;
  const remoteStartId = Number(payload['remoteStartId']);
  const txProfile = remoteStartProfile(parts, evse.id, payload['chargingProfile']);
  // K05.FR.05: an invalid profile rejects the start.
  if ('problem' in txProfile) return { payload: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile', additionalInfo: txProfile.problem } } };
  parts.context.timers.soon(async () => {
    // F01.FR.01/02: authorize first only when AuthorizeRemoteStart says so.
    const result: AuthorizationResult = parts.model.flag('AuthCtrlr', 'AuthorizeRemoteStart') ? await parts.authorizer.check(token) : { status: 'Accepted' };
    if (result.status !== 'Accepted' || session.authorization) return;
    // F01.FR.25, F02.FR.01: the remoteStartId goes into the next TransactionEvent.
    session.remoteStartId = remoteStartId;
    session.nextTrigger = 'RemoteStart';
    session.remoteTxProfile = txProfile.install;
    parts.engine.authorize(evse, token, result.groupId, 'RemoteStart');
    // The transaction already ran (TxStartPoint EVConnected, say): its profile applies from now.
    if (session.tx && session.remoteTxProfile) {
      session.remoteTxProfile(session.tx.id);
      session.remoteTxProfile = undefined;
    }
  });
  // F01.FR.13: an unauthorized transaction already running is named in the answer.
  return { payload: { status: 'Accepted', ...(session.tx ? { transactionId: session.tx.id } : {}) } };
}

/** RequestStopTransaction (F03): Accepted for a running transaction (F03.FR.07), else Rejected (F03.FR.08). */
export function requestStopTransaction(parts: V201Parts, payload: Payload): CallReply {
  const found = parts.engine.running().find(({ tx }) => tx.id === payload['transactionId']);
  if (!found) return { payload: { status: 'Rejected' } };
  parts.context.timers.soon(() => parts.engine.deauthorize(found.evse, 'RemoteStop'));
  return { payload: { status: 'Accepted' } };
}

/** TriggerMessage (F06): answer first (F06.FR.04), then send the requested message. */
export function triggerMessage(parts: V201Parts, payload: Payload): CallReply {
  const requested = String(payload['requestedMessage']);
  const target = payload['evse'] as { id: number; connectorId?: number } | undefined;
  const send = TRIGGERS[requested];
  if (!send) return { payload: { status: 'NotImplemented' } };
  const status = send(parts, target, true);
  if (status === 'Accepted') parts.context.timers.soon(() => void send(parts, target, false));
  return { payload: { status } };
}

type Trigger = (parts: V201Parts, target: { id: number; connectorId?: number } | undefined, dryRun: boolean) => 'Accepted' | 'Rejected';

const TRIGGERS: Record<string, Trigger> = {
  // F06.FR.17: no triggered boot once accepted.
  BootNotification: (parts, _target, dryRun) => {
    if (parts.context.registration() === 'Accepted') return 'Rejected';
    if (!dryRun) parts.context.bootNow('Triggered');
    return 'Accepted';
  },
  Heartbeat: (parts, _target, dryRun) => {
    if (!dryRun) void parts.context.send('Heartbeat', {}, { requested: true });
    return 'Accepted';
  },
  // F06.FR.12: only for one connector.
  StatusNotification: (parts, target, dryRun) => {
    const connector = target?.connectorId !== undefined ? parts.context.state.connector(target.id, target.connectorId) : undefined;
    if (!connector) return 'Rejected';
    if (!dryRun) parts.status.report(connector, true, true);
    return 'Accepted';
  },
  MeterValues: (parts, target, dryRun) => {
    const evses = target ? [parts.context.state.evse(target.id)].filter((evse) => evse !== undefined) : parts.context.state.evses;
    if (evses.length === 0) return 'Rejected';
    if (dryRun) return 'Accepted';
    const now = parts.context.now();
    // F06.FR.06: the latest values of the AlignedDataCtrlr measurands.
    for (const evse of evses) {
      const samples = sampleMeasurands(parts.model.members('AlignedDataCtrlr', 'Measurands'), evse, parts.engine.running().some((running) => running.evse === evse) && !evse.evSuspended, now);
      if (samples.length > 0) void parts.context.send('MeterValues', { evseId: evse.id, meterValue: [meterValue(samples, 'Trigger', now)] }, { requested: true });
    }
    return 'Accepted';
  },
  TransactionEvent: (parts, target, dryRun) => {
    const running = parts.engine.running().filter(({ evse }) => !target || evse.id === target.id);
    if (running.length === 0) return 'Rejected';
    if (!dryRun) for (const { evse } of running) parts.engine.triggered(evse);
    return 'Accepted';
  },
  // F06.FR.14/15: Uploading with the upload's requestId (N01.FR.13), else Idle.
  LogStatusNotification: (parts, _target, dryRun) => {
    const uploading = parts.logs.uploadingRequestId();
    if (!dryRun) void parts.context.send('LogStatusNotification', uploading === undefined ? { status: 'Idle' } : { status: 'Uploading', requestId: uploading }, { requested: true });
    return 'Accepted';
  },
  // A02.FR.02: a new key pair and CSR for the station's own certificate (TriggerMessage answered first).
  SignChargingStationCertificate: (parts, _target, dryRun) => {
    // The key is made off the event loop (createCsrInBackground); a failure is reported like any timer's.
    if (!dryRun) void parts.context.timers.run(() => parts.renewal.request());
    return 'Accepted';
  },
  // F06.FR.16, L01.FR.25/26: the last firmware status, Idle when nothing is being updated.
  FirmwareStatusNotification: (parts, _target, dryRun) => {
    if (!dryRun) void parts.context.send('FirmwareStatusNotification', parts.firmware.triggeredStatus(), { requested: true });
    return 'Accepted';
  },
};

/** After an accepted boot: the critical security event that says why the station started (A04.FR.01). */
export function startupSecurityEvent(parts: V201Parts, reason: string): void {
  const type = reason === 'RemoteReset' || reason === 'ScheduledReset' || reason === 'FirmwareUpdate' ? 'ResetOrReboot' : 'StartupOfTheDevice';
  void parts.context.send('SecurityEventNotification', securityEvent(type, parts.context.now()));
}
