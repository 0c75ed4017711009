import type { ActionOutcome } from '../../control.js';
import type { DriverAction } from '../context.js';
import type { ConnectorState, EvseState } from '../station-state.js';
import { presentOtherTag } from './group-stop.js';
import { pickConnector, type V16Parts } from './parts.js';
import type { SecurityUpgrade16 } from './security-upgrade.js';

const DONE: ActionOutcome = { status: 'done' };

/** The device actions of STANDARD_ACTIONS under OCPP 1.6 (`connectorId` is the 1.6 connectorId). */
export function createV16Actions(parts: V16Parts): Record<string, DriverAction> {
  const { engine } = parts;
  return {
    plugIn: (params) => withConnector(parts, params, (evse, connector) => {
      connector.plugged = true;
      if (connector.lockFailed) lockFailure(parts, connector);
      engine.advance(evse, connector);
    }),
    unplug: (params) => withConnector(parts, params, (evse, connector) => {
      connector.plugged = false;
      // §4.10: StopTransactionOnEVSideDisconnect decides whether unplugging ends the transaction.
      if (engine.session(connector).tx && stopsOnEvSideDisconnect(parts)) engine.stop(evse, connector, 'EVDisconnected');
      else engine.advance(evse, connector);
    }),
    presentIdToken: (params) => presentIdTag(parts, params),
    evSuspend: (params) => withEvse(parts, params, (evse) => ((evse.evSuspended = true), advanceAll(parts, evse))),
    evResume: (params) => withEvse(parts, params, (evse) => ((evse.evSuspended = false), advanceAll(parts, evse))),
    // OCPP 1.6 has no parking bay sensor; the bay is remembered, nothing is reported.
    driveIn: (params) => withEvse(parts, params, (evse) => void (evse.bayOccupied = true)),
    driveOut: (params) => withEvse(parts, params, (evse) => void (evse.bayOccupied = false)),
    faultConnector: (params) => withConnector(parts, params, (evse, connector) => {
      connector.faulted = true;
      if (engine.session(connector).tx) engine.stop(evse, connector, 'Other');
      else engine.advance(evse, connector);
    }),
    failConnectorLock: (params) => withConnector(parts, params, (evse, connector) => {
      connector.lockFailed = true;
      if (connector.plugged && !engine.session(connector).tx) lockFailure(parts, connector);
      engine.advance(evse, connector);
    }),
    clearFault: (params) => withConnector(parts, params, (evse, connector) => {
      connector.faulted = false;
      connector.lockFailed = false;
      engine.advance(evse, connector);
    }),
    blockLocalListStorage: () => ((parts.localList.storageBlocked = true), DONE),
    unblockLocalListStorage: () => ((parts.localList.storageBlocked = false), DONE),
  };
}

/**
 * The device actions around a raised SecurityProfile (A05, TC_083_CS): the URL of a profile, set
 * at the Charge Point since 1.6 has no key for it, and the way back to the delivered profile.
 */
export function securityUpgradeActions16(parts: V16Parts, upgrade: SecurityUpgrade16): Record<string, DriverAction> {
  return {
    setCentralSystemUrl: (params) => {
      const profile = Number(params['securityProfile']);
      if (typeof params['url'] !== 'string' || !Number.isInteger(profile)) return { status: 'failed', reason: 'setCentralSystemUrl needs url and securityProfile' };
      upgrade.setUrl(profile, params['url']);
      return DONE;
    },
    restoreSecurityProfile: () => (upgrade.restore(), parts.renewal.forget(), parts.context.reboot('PowerUp'), DONE),
  };
}

function presentIdTag(parts: V16Parts, params: Record<string, unknown>): ActionOutcome {
  if (typeof params['idToken'] !== 'string') return { status: 'failed', reason: 'presentIdToken needs idToken' };
  const idTag = params['idToken'];
  const { engine, context } = parts;
  const holder = context.state.connectors().find((connector) => engine.session(connector).authorization === idTag || engine.session(connector).tx?.idTag === idTag);
  const target = holder ? context.state.connector16(holder.id) : pickConnector(parts, params['connectorId'] ?? params['evseId']);
  if (!target) return { status: 'failed', reason: 'no free connector to present the token at' };
  const { evse, connector } = target;
  const session = engine.session(connector);
  // A Faulted connector (§4.9) takes no token; behaviour:charge-while-faulted takes it all the same.
  if (connector.faulted && !session.tx && !context.hasFault('charge-while-faulted')) return DONE;
  // B1 / C6 of §4.9: the same idTag again ends the usage or the transaction.
  if (session.tx?.idTag === idTag) {
    engine.stop(evse, connector, 'Local', idTag);
    return DONE;
  }
  if (session.authorization === idTag) {
    session.authorization = undefined;
    engine.advance(evse, connector);
    return DONE;
  }
  if (session.tx) {
    presentOtherTag(parts, evse, connector, idTag);
    return DONE;
  }
  if (session.authorization) return { status: 'failed', reason: `connector ${connector.id} is already in use` };
  if (session.authorizing === idTag) return DONE;
  // §5.13: at a connector reserved for another idTag nothing is asked, unless a parentIdTag could match.
  if (!engine.reservations.mayAuthorize(connector, idTag)) return DONE;
  session.authorizing = idTag;
  context.timers.run(async () => {
    const status = await parts.authorizer.check(idTag).finally(() => (session.authorizing = undefined));
    if (status === 'Accepted' && !session.authorization && !session.tx) engine.authorize(evse, connector, idTag);
  });
  return DONE;
}

// behaviour:ev-disconnect-never-stops and behaviour:ev-disconnect-always-stops ignore the key (§9.1.23).
function stopsOnEvSideDisconnect(parts: V16Parts): boolean {
  if (parts.context.hasFault('ev-disconnect-never-stops')) return false;
  if (parts.context.hasFault('ev-disconnect-always-stops')) return true;
  return parts.configuration.flag('StopTransactionOnEVSideDisconnect');
}

/**
 * A cable that cannot be locked: the connector is Faulted with ConnectorLockFailure (§4.9, §7.6) and
 * the usage that waited for the cable is given up, so no transaction starts once the fault clears.
 * behaviour:charge-despite-lock-failure ignores the failing lock.
 */
function lockFailure(parts: V16Parts, connector: ConnectorState): void {
  if (parts.context.hasFault('charge-despite-lock-failure')) return;
  connector.faulted = true;
  const session = parts.engine.session(connector);
  session.authorization = undefined;
  session.preparingTimer.clear();
}

function advanceAll(parts: V16Parts, evse: EvseState): void {
  for (const connector of evse.connectors) parts.engine.advance(evse, connector);
}

function withEvse(parts: V16Parts, params: Record<string, unknown>, act: (evse: EvseState) => void): ActionOutcome {
  const evse = parts.context.state.evse(Number(params['evseId'] ?? 1));
  if (!evse) return { status: 'failed', reason: `the station has no EVSE ${String(params['evseId'])}` };
  act(evse);
  return DONE;
}

function withConnector(parts: V16Parts, params: Record<string, unknown>, act: (evse: EvseState, connector: ConnectorState) => void): ActionOutcome {
  const found = parts.context.state.connector16(Number(params['connectorId'] ?? 1));
  if (!found) return { status: 'failed', reason: `the station has no connector ${String(params['connectorId'])}` };
  act(found.evse, found.connector);
  return DONE;
}
