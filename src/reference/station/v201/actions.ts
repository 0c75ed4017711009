import type { ActionOutcome } from '../../control.js';
import type { DriverAction } from '../context.js';
import type { ConnectorState, EvseState } from '../station-state.js';
import type { IdToken } from './authorizer.js';
import { restoreDeliveredNetwork } from './network-profile.js';
import { pickEvse, type V201Parts } from './parts.js';

const DONE: ActionOutcome = { status: 'done' };

/** The device actions of STANDARD_ACTIONS under OCPP 2.0.1. */
export function createV201Actions(parts: V201Parts): Record<string, DriverAction> {
  const { engine, status } = parts;
  return {
    plugIn: (params) => withConnector(parts, params, (evse, connector) => {
      connector.plugged = true;
      // E02.FR.05: Occupied first, then the transaction reacts (E02.FR.06 CablePluggedIn).
      status.reportChanges();
      engine.session(evse).connectionTimer.clear();
      engine.update(evse, 'CablePluggedIn');
    }),
    unplug: (params) => withConnector(parts, params, (evse, connector) => {
      connector.plugged = false;
      status.reportChanges();
      const session = engine.session(evse);
      // E09.FR.01: StopTxOnEVSideDisconnect deauthorizes the transaction.
      if (session.tx && parts.model.flag('TxCtrlr', 'StopTxOnEVSideDisconnect')) session.authorization = undefined;
      engine.update(evse, 'EVCommunicationLost');
    }),
    presentIdToken: (params) => presentIdToken(parts, params),
    evSuspend: (params) => withEvse(parts, params, (evse) => ((evse.evSuspended = true), engine.update(evse, 'ChargingStateChanged'))),
    evResume: (params) => withEvse(parts, params, (evse) => ((evse.evSuspended = false), engine.update(evse, 'ChargingStateChanged'))),
    driveIn: (params) => withEvse(parts, params, (evse) => ((evse.bayOccupied = true), engine.update(evse, 'EVDetected'))),
    driveOut: (params) => withEvse(parts, params, (evse) => ((evse.bayOccupied = false), engine.update(evse, 'EVDeparted'))),
    faultConnector: (params) => withConnector(parts, params, (evse, connector) => {
      connector.faulted = true;
      status.reportChanges();
      // E06.FR.16: a fault ends the transaction with AbnormalCondition.
      if (engine.session(evse).tx && connector.plugged) engine.update(evse, 'AbnormalCondition', 'Other');
    }),
    clearFault: (params) => withConnector(parts, params, (evse, connector) => {
      connector.faulted = false;
      status.reportChanges();
      engine.update(evse, 'ChargingStateChanged');
    }),
    removeCsmsRoots: () => (parts.certificates.removeCsmsRoots(), DONE),
    restoreCsmsRoots: () => (parts.certificates.restoreCsmsRoots(), DONE),
    // After TC_A_19_CS: the delivered security profile, endpoint and station certificate, by other
    // means than OCPP (A05 never downgrades); a reboot applies them.
    restoreSecurityProfile: () => (restoreDeliveredNetwork(parts.model, parts.context), parts.renewal.forget(), parts.context.reboot('PowerUp'), DONE),
  };
}

function presentIdToken(parts: V201Parts, params: Record<string, unknown>): ActionOutcome {
  if (typeof params['idToken'] !== 'string') return { status: 'failed', reason: 'presentIdToken needs idToken' };
  const token: IdToken = { idToken: params['idToken'], type: typeof params['type'] === 'string' ? params['type'] : 'ISO14443' };
  const { engine } = parts;
  const holder = parts.context.state.evses.find((evse) => engine.session(evse).authorization?.token.idToken === token.idToken);
  const evse = holder ?? pickEvse(parts, params['evseId']);
  if (!evse) return { status: 'failed', reason: `no EVSE ${String(params['evseId'] ?? '')} to present the token at` };
  const session = engine.session(evse);
  // E07.FR.01, C01.FR.03: the token that authorized the transaction stops it.
  if (session.authorization?.token.idToken === token.idToken) {
    engine.deauthorize(evse, 'StopAuthorized', token);
    return DONE;
  }
  if (session.authorization) return { status: 'failed', reason: `EVSE ${evse.id} is already authorized for another token` };
  if (session.authorizing === token.idToken) return DONE;
  session.authorizing = token.idToken;
  parts.context.timers.run(async () => {
    const result = await parts.authorizer.check(token).finally(() => (session.authorizing = undefined));
    // E02.FR.20: an authorization that fails changes nothing.
    if (result.status === 'Accepted' && !session.authorization) engine.authorize(evse, token, result.groupId, 'Authorized');
  });
  return DONE;
}

function withEvse(parts: V201Parts, params: Record<string, unknown>, act: (evse: EvseState) => void): ActionOutcome {
  const evse = parts.context.state.evse(Number(params['evseId'] ?? 1));
  if (!evse) return { status: 'failed', reason: `the station has no EVSE ${String(params['evseId'])}` };
  act(evse);
  return DONE;
}

function withConnector(parts: V201Parts, params: Record<string, unknown>, act: (evse: EvseState, connector: ConnectorState) => void): ActionOutcome {
  const evse = parts.context.state.evse(Number(params['evseId'] ?? 1));
  const connector = evse?.connectors.find((candidate) => candidate.id === Number(params['connectorId'] ?? 1));
  if (!evse || !connector) return { status: 'failed', reason: `the station has no connector ${String(params['connectorId'])} on EVSE ${String(params['evseId'])}` };
  act(evse, connector);
  return DONE;
}
