import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { ConnectorState, EvseState } from '../station-state.js';
import { FIRMWARE_MANAGEMENT_HANDLERS_16 } from './firmware-management.js';
import { LOCAL_LIST_HANDLERS_16 } from './local-list-handlers.js';
import { pickConnector, type V16Parts } from './parts.js';
import { RESERVATION_HANDLERS_16 } from './reservations.js';
import { SECURITY_HANDLERS_16 } from './security.js';
import { remoteStartProfile, SMART_CHARGING_HANDLERS_16 } from './smart-charging.js';
import { TRIGGER_HANDLERS_16 } from './trigger.js';

type Handler = (parts: V16Parts, payload: Payload) => CallReply;

/** The Central System operations the reference Charge Point answers (chapter 5). */
export const HANDLERS_16: Record<string, Handler> = {
  GetConfiguration: (parts, payload) => ({ payload: withoutMissingKey(parts, parts.configuration.get(payload['key'] as string[] | undefined)) }),
  ChangeConfiguration: (parts, payload) => {
    // behaviour:configuration-not-kept: answers as if it took the value, and keeps the old one.
    if (parts.context.hasFault('configuration-not-kept')) return { payload: { status: 'Accepted' } };
    const options = { ignoreReadonly: parts.context.hasFault('ignore-readonly'), ignoreFormat: parts.context.hasFault('accept-malformed-configuration'), ignoreLength: parts.context.hasFault('short-password-accepted') };
    return { payload: { status: parts.configuration.change(String(payload['key']), String(payload['value']), options) } };
  },
  Reset: (parts, payload) => {
    // §5.14: stop every transaction (reason SoftReset / HardReset), then restart.
    const reason = payload['type'] === 'Hard' ? 'HardReset' : 'SoftReset';
    parts.context.timers.soon(async () => {
      // behaviour:reset-before-stop-transaction restarts first; its StopTransaction follows the new boot.
      if (parts.context.hasFault('reset-before-stop-transaction')) parts.context.reboot('RemoteReset');
      for (const { evse, connector } of parts.engine.running()) parts.engine.stop(evse, connector, reason);
      if (parts.context.hasFault('reset-before-stop-transaction')) return;
      await parts.context.txQueue.whenEmpty(5_000);
      if (parts.context.hasFault('availability-not-persistent')) forgetAvailability(parts);
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
    if (parts.context.hasTrait('fixed-cable')) return fixedCableUnlock(parts, found);
    // §5.18: the answer says whether the connector could be unlocked.
    if (found.connector.lockFailed) return { payload: { status: 'UnlockFailed' } };
    // §5.18: a transaction on the connector is stopped first.
    if (parts.engine.session(found.connector).tx) parts.context.timers.soon(() => parts.engine.stop(found.evse, found.connector, 'UnlockCommand'));
    return { payload: { status: 'Unlocked' } };
  },
  ClearCache: (parts) => {
    if (!parts.configuration.flag('AuthorizationCacheEnabled')) return { payload: { status: 'Rejected' } };
    // behaviour:clear-cache-not-cleared answers Accepted and keeps the cache.
    if (!parts.context.hasFault('clear-cache-not-cleared')) parts.authorizer.cache.clear();
    return { payload: { status: 'Accepted' } };
  },
  DataTransfer: () => ({ payload: { status: 'UnknownVendorId' } }),
  ...LOCAL_LIST_HANDLERS_16,
  ...FIRMWARE_MANAGEMENT_HANDLERS_16,
  ...TRIGGER_HANDLERS_16,
  ...RESERVATION_HANDLERS_16,
  ...SMART_CHARGING_HANDLERS_16,
  ...SECURITY_HANDLERS_16,
};

/**
 * §7.45: a charge point whose cable is fixed has no connector lock, so unlocking is NotSupported and
 * nothing is done: the transaction on the connector goes on (§5.18 unlocks, it does not stop a
 * transaction for its own sake). behaviour:fixed-cable-unlock-stops-transaction stops it anyway.
 */
function fixedCableUnlock(parts: V16Parts, { evse, connector }: { evse: EvseState; connector: ConnectorState }): CallReply {
  if (parts.engine.session(connector).tx && parts.context.hasFault('fixed-cable-unlock-stops-transaction')) parts.context.timers.soon(() => parts.engine.stop(evse, connector, 'UnlockCommand'));
  return { payload: { status: 'NotSupported' } };
}

// behaviour:configuration-missing-core-key: a charge point without ResetRetries, a required Core key (§9.1).
function withoutMissingKey(parts: V16Parts, answer: ReturnType<V16Parts['configuration']['get']>): Payload {
  if (!parts.context.hasFault('configuration-missing-core-key')) return answer;
  const configurationKey = answer.configurationKey.filter((entry) => entry.key !== 'ResetRetries');
  return { ...answer, configurationKey };
}

// behaviour:availability-not-persistent: a reset makes every connector Operative again (breaks §5.14).
function forgetAvailability(parts: V16Parts): void {
  const { state } = parts.context;
  for (const holder of [state, ...state.evses, ...state.connectors()]) {
    holder.operative = true;
    holder.scheduledOperative = undefined;
  }
}

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
  // §5.13: a connector reserved for another idTag (without a parent that could match) refuses it.
  if (!parts.engine.reservations.mayAuthorize(connector, idTag)) return { payload: { status: 'Rejected' } };
  const txProfile = remoteStartProfile(parts, connector.id, payload['chargingProfile']);
  if (!txProfile.valid) return { payload: { status: 'Rejected' } };
  session.remoteTxProfile = txProfile.install;
  parts.context.timers.soon(async () => {
    // §5.11: AuthorizeRemoteTxRequests decides whether the idTag is authorized first.
    const status = parts.configuration.flag('AuthorizeRemoteTxRequests') ? await parts.authorizer.check(idTag) : 'Accepted';
    if (status === 'Accepted' && !session.authorization && !session.tx) parts.engine.authorize(evse, connector, idTag);
    else if (status !== 'Accepted') session.remoteTxProfile = undefined;
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
