import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import { sampleMeasurands } from '../meter-sample.js';
import { meterValue16 } from './messages.js';
import { pickConnector, type V16Parts } from './parts.js';

type Handler = (parts: V16Parts, payload: Payload) => CallReply;

/** The Central System operations the reference Charge Point answers (chapter 5). */
export const HANDLERS_16: Record<string, Handler> = {
  GetConfiguration: (parts, payload) => ({ payload: parts.configuration.get(payload['key'] as string[] | undefined) }),
  ChangeConfiguration: (parts, payload) => ({
    payload: {
      status: parts.configuration.change(String(payload['key']), String(payload['value']), {
        ignoreReadonly: parts.context.hasFault('ignore-readonly'),
        ignoreFormat: parts.context.hasFault('accept-malformed-configuration'),
      }),
    },
  }),
  Reset: (parts, payload) => {
    // §5.14: stop every transaction (reason SoftReset / HardReset), then restart.
    const reason = payload['type'] === 'Hard' ? 'HardReset' : 'SoftReset';
    parts.context.timers.soon(async () => {
      for (const { evse, connector } of parts.engine.running()) parts.engine.stop(evse, connector, reason);
      await parts.context.txQueue.whenEmpty(5_000);
      parts.context.reboot('RemoteReset');
    });
    return { payload: { status: 'Accepted' } };
  },
  RemoteStartTransaction: (parts, payload) => remoteStart(parts, payload),
  RemoteStopTransaction: (parts, payload) => {
    const running = parts.engine.running();
    // behaviour:remote-stop-any-transaction stops the running transaction whatever id was asked.
    const found = running.find(({ tx }) => tx.transactionId === Number(payload['transactionId'])) ?? (parts.context.hasFault('remote-stop-any-transaction') ? running[0] : undefined);
    if (!found) return { payload: { status: 'Rejected' } };
    // §5.12: like a local stop.
    parts.context.timers.soon(() => parts.engine.stop(found.evse, found.connector, 'Remote'));
    return { payload: { status: 'Accepted' } };
  },
  ChangeAvailability: (parts, payload) => changeAvailability(parts, payload),
  UnlockConnector: (parts, payload) => {
    const found = parts.context.state.connector16(Number(payload['connectorId']));
    if (!found) return { payload: { status: 'NotSupported' } };
    // §5.18: the answer says whether the connector could be unlocked.
    if (found.connector.lockFailed) return { payload: { status: 'UnlockFailed' } };
    // §5.18: a transaction on the connector is stopped first.
    if (parts.engine.session(found.connector).tx) parts.context.timers.soon(() => parts.engine.stop(found.evse, found.connector, 'UnlockCommand'));
    return { payload: { status: 'Unlocked' } };
  },
  ClearCache: (parts) => {
    if (!parts.configuration.flag('AuthorizationCacheEnabled')) return { payload: { status: 'Rejected' } };
    parts.authorizer.cache.clear();
    return { payload: { status: 'Accepted' } };
  },
  TriggerMessage: (parts, payload) => triggerMessage(parts, payload),
  DataTransfer: () => ({ payload: { status: 'UnknownVendorId' } }),
  // §5.10: -1 means the Charge Point has no Local Authorization List.
  GetLocalListVersion: () => ({ payload: { listVersion: -1 } }),
};

function remoteStart(parts: V16Parts, payload: Payload): CallReply {
  // §6.33: a given connectorId SHALL be > 0 (connector 0 is the charge point itself, §3.8).
  if (payload['connectorId'] === 0 && !parts.context.hasFault('remote-start-on-connector-zero')) return { payload: { status: 'Rejected' } };
  const target = pickConnector(parts, payload['connectorId']);
  if (!target) return { payload: { status: 'Rejected' } };
  const { evse, connector } = target;
  const session = parts.engine.session(connector);
  // behaviour:remote-start-on-busy-connector accepts for a connector whose transaction runs (and starts nothing).
  if (session.tx && parts.context.hasFault('remote-start-on-busy-connector')) return { payload: { status: 'Accepted' } };
  if (connector.faulted || !parts.context.state.isOperative(connector) || session.tx || session.authorization) return { payload: { status: 'Rejected' } };
  const idTag = String(payload['idTag']);
  parts.context.timers.soon(async () => {
    // §5.11: AuthorizeRemoteTxRequests decides whether the idTag is authorized first.
    const status = parts.configuration.flag('AuthorizeRemoteTxRequests') ? await parts.authorizer.check(idTag) : 'Accepted';
    if (status === 'Accepted' && !session.authorization && !session.tx) parts.engine.authorize(evse, connector, idTag);
  });
  return { payload: { status: 'Accepted' } };
}

function changeAvailability(parts: V16Parts, payload: Payload): CallReply {
  const { state } = parts.context;
  const operative = payload['type'] === 'Operative';
  const connectorId = Number(payload['connectorId']);
  const found = connectorId === 0 ? undefined : state.connector16(connectorId);
  if (connectorId !== 0 && !found) return { payload: { status: 'Rejected' } };
  const holder: { operative: boolean; scheduledOperative?: boolean | undefined } = found?.connector ?? state;
  if (holder.operative === operative) {
    holder.scheduledOperative = undefined;
    return { payload: { status: 'Accepted' } };
  }
  // §5.2: Scheduled while a transaction runs.
  const busy = found ? parts.engine.session(found.connector).tx !== undefined : parts.engine.running().length > 0;
  if (busy) {
    holder.scheduledOperative = operative;
    return { payload: { status: 'Scheduled' } };
  }
  holder.operative = operative;
  parts.context.timers.soon(() => parts.status.reportChanges());
  return { payload: { status: 'Accepted' } };
}

const TRIGGERABLE = new Set(['BootNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StatusNotification']);

// §5.17: answer first, then send; a connectorId that is not relevant is ignored.
function triggerMessage(parts: V16Parts, payload: Payload): CallReply {
  const requested = String(payload['requestedMessage']);
  if (!TRIGGERABLE.has(requested)) return { payload: { status: 'NotImplemented' } };
  const connectorId = payload['connectorId'] === undefined ? undefined : Number(payload['connectorId']);
  if (connectorId !== undefined && connectorId !== 0 && !parts.context.state.connector16(connectorId)) return { payload: { status: 'Rejected' } };
  parts.context.timers.soon(() => sendTriggered(parts, requested, connectorId));
  return { payload: { status: 'Accepted' } };
}

function sendTriggered(parts: V16Parts, requested: string, connectorId: number | undefined): void {
  const { context } = parts;
  const connectors = context.state.connectors().filter((connector) => connectorId === undefined || connector.id === connectorId);
  switch (requested) {
    case 'BootNotification': return context.bootNow('Triggered');
    case 'Heartbeat': return void context.send('Heartbeat', {}, { requested: true });
    case 'DiagnosticsStatusNotification':
    case 'FirmwareStatusNotification': return void context.send(requested, { status: 'Idle' }, { requested: true });
    case 'StatusNotification':
      // Without a connectorId: the Charge Point itself and every connector.
      if (connectorId === undefined || connectorId === 0) parts.status.reportStation(true, true);
      for (const connector of connectorId === 0 ? [] : connectors) parts.status.report(connector, true, true);
      return;
    default:
      for (const connector of connectors) {
        const evse = context.state.evse(connector.evseId)!;
        const tx = parts.engine.session(connector).tx;
        const now = context.now();
        const samples = sampleMeasurands(parts.configuration.list('MeterValuesSampledData'), evse, parts.engine.isFlowing(evse, connector), now);
        if (samples.length === 0) continue;
        void context.send('MeterValues', { connectorId: connector.id, ...(tx?.transactionId !== undefined ? { transactionId: tx.transactionId } : {}), meterValue: [meterValue16(samples, 'Trigger', now)] }, { requested: true });
      }
  }
}
