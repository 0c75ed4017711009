import { ownEntry, type Adapter } from './adapter.js';

/** Which adapter performs which action. */
export interface AdapterRouterOptions {
  byAction: Record<string, Adapter>;
  /** Performs every action without an entry in `byAction`. */
  fallback: Adapter;
}

/** An adapter that hands each action to the adapter configured for its name. */
export interface AdapterRouter extends Adapter {
  /** The adapter that performs actions of this name (to name it in reports). */
  adapterFor(actionName: string): Adapter;
  /** Closes every distinct adapter once, all of them even when one fails; rejects with the first failure. */
  closeAll(): Promise<void>;
}

/** Creates a router; its `kind` is the fallback's, the adapter most actions go to. */
export function createAdapterRouter(options: AdapterRouterOptions): AdapterRouter {
  const adapterFor = (actionName: string) => ownEntry(options.byAction, actionName) ?? options.fallback;
  const closeAll = async () => {
    const adapters = new Set([...Object.values(options.byAction), options.fallback]);
    const results = await Promise.allSettled([...adapters].map((adapter) => adapter.close?.()));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  };
  return {
    kind: options.fallback.kind,
    perform: (action, context) => adapterFor(action.name).perform(action, context),
    forwardedParams: (action) => adapterFor(action.name).forwardedParams?.(action),
    adapterFor,
    closeAll,
    close: closeAll,
  };
}

/** One entry of the catalogue of device actions. */
export interface StandardAction {
  /** Every param the action takes. */
  params: readonly string[];
  /** The params of `params` a case may leave out. */
  optional?: readonly string[];
  /** The default operator instruction, a Handlebars template over `params`. */
  prompt: string;
  /** Where it happens: at the charging station or at the CSMS. */
  side: 'cs' | 'csms';
}

/**
 * What a CSMS's API may need besides the action, given by csmsSend apart from the payload wherever
 * the request names it, so that an API that builds the request itself (a REST "stop transaction")
 * gets its key values: ids, the idToken and its type, and the choice the request makes.
 */
export const CSMS_KEY_PARAMS = [
  'transactionId', 'evseId', 'connectorId', 'idToken', 'idTokenType', 'remoteStartId', 'requestId', 'type', 'operationalStatus',
  'requestedMessage', 'logType', 'certificateType', 'configurationSlot', 'component', 'variable', 'attributeValue',
  // OCPP 1.6 GetConfiguration: the configuration key it reads.
  'key',
] as const;

/**
 * The device actions test cases use, with their params and the operator instruction a prompt
 * adapter shows when a case gives none. Labs may add their own names; these are the shared ones.
 */
export const STANDARD_ACTIONS = {
  plugIn: { side: 'cs', params: ['evseId', 'connectorId'], prompt: 'Connect the EV to connector {{params.connectorId}} of EVSE {{params.evseId}}.' },
  unplug: { side: 'cs', params: ['evseId', 'connectorId'], prompt: 'Unplug the cable from connector {{params.connectorId}} of EVSE {{params.evseId}}.' },
  presentIdToken: {
    side: 'cs',
    params: ['evseId', 'idToken', 'type'],
    prompt: 'Present the {{params.type}} id token {{params.idToken}} at EVSE {{params.evseId}} (tap the card or enter it on the station).',
  },
  reboot: { side: 'cs', params: [], prompt: 'Reboot the charging station (power-cycle it or use its service menu) and let it reconnect.' },
  goOffline: {
    side: 'cs',
    params: [],
    prompt: "Cut the charging station's connection to the CSMS (unplug its network cable or block its traffic), leaving the station powered.",
  },
  goOnline: { side: 'cs', params: [], prompt: "Restore the charging station's connection to the CSMS." },
  evSuspend: { side: 'cs', params: ['evseId'], prompt: 'Make the EV at EVSE {{params.evseId}} stop drawing energy, leaving the cable connected.' },
  evResume: { side: 'cs', params: ['evseId'], prompt: 'Make the EV at EVSE {{params.evseId}} draw energy again.' },
  driveIn: { side: 'cs', params: ['evseId'], prompt: 'Drive a vehicle into the parking bay of EVSE {{params.evseId}}, so that its bay sensor reports it occupied.' },
  driveOut: { side: 'cs', params: ['evseId'], prompt: 'Drive the vehicle out of the parking bay of EVSE {{params.evseId}}.' },
  faultConnector: {
    side: 'cs',
    params: ['evseId', 'connectorId'],
    prompt: 'Put connector {{params.connectorId}} of EVSE {{params.evseId}} into a fault state (for example, trigger a test fault from the service menu).',
  },
  clearFault: { side: 'cs', params: ['evseId', 'connectorId'], prompt: 'Clear the fault on connector {{params.connectorId}} of EVSE {{params.evseId}}.' },
  // TC_043_3_CS: a station that cannot store a Local Authorization List answers SendLocalList Failed.
  blockLocalListStorage: { side: 'cs', params: [], prompt: 'Put the charging station in a state in which storing a Local Authorization List fails (for example, fill or write-protect its list storage).' },
  unblockLocalListStorage: { side: 'cs', params: [], prompt: 'Let the charging station store a Local Authorization List again.' },
  // TC_A_20_CS (Part 5 AQ-1): a station without a valid CSMS root refuses a higher security profile.
  removeCsmsRoots: { side: 'cs', params: [], prompt: 'Remove every CSMSRootCertificate from the charging station by means other than OCPP (service menu, vendor tool), keeping a copy to install again.' },
  restoreCsmsRoots: { side: 'cs', params: [], prompt: 'Install the CSMSRootCertificate(s) removed from the charging station again.' },
  // After TC_A_19_CS: a station never goes back to a lower security profile over OCPP (A05), so the clean-up asks the lab.
  restoreSecurityProfile: {
    side: 'cs',
    params: [],
    prompt: 'Set the charging station back to the configured security profile, its network connection profile(s) and its station certificate as before the run (by other means than OCPP: service menu, vendor tool), so that it connects to the harness as configured again; reboot it if it needs one.',
  },
  // TC_083_CS: OCPP 1.6 has no configuration key for the Central System URL, so the lab sets the one for a higher SecurityProfile (A05).
  setCentralSystemUrl: {
    side: 'cs',
    params: ['securityProfile', 'url'],
    prompt: 'Configure the Charge Point to connect to {{params.url}} (followed by its identity, as usual) once its SecurityProfile is {{params.securityProfile}} (service menu, vendor tool: OCPP 1.6 has no configuration key for the Central System URL).',
  },
  // OCPP 1.6 §5.13: ReserveNow is Rejected by a Charge Point configured not to accept reservations (TC_048_4_CS, TC_050_4_CS).
  refuseReservations: { side: 'cs', params: [], prompt: 'Configure the charging station to refuse reservations (ReserveNow answered Rejected).' },
  acceptReservations: { side: 'cs', params: [], prompt: 'Configure the charging station to accept reservations again.' },
  failConnectorLock: {
    side: 'cs',
    params: ['evseId', 'connectorId'],
    prompt: 'Make the cable lock of connector {{params.connectorId}} of EVSE {{params.evseId}} fail from now on (block it, or trigger its lock failure from the service menu), so that it can neither lock nor unlock a cable.',
  },
  csmsSend: {
    side: 'csms',
    params: ['action', 'payload', ...CSMS_KEY_PARAMS],
    optional: ['payload', ...CSMS_KEY_PARAMS],
    prompt: 'Make the CSMS send {{params.action}} to the charging station{{#if params.payload}}, with the payload shown below{{/if}}.',
  },
  csmsSetBootResult: { side: 'csms', params: ['status'], prompt: "Configure the CSMS to answer the station's next BootNotification with status {{params.status}}." },
  csmsAddIdToken: { side: 'csms', params: ['idToken', 'status'], prompt: 'Add id token {{params.idToken}} to the CSMS with authorization status {{params.status}}.' },
} as const satisfies Record<string, StandardAction>;

/** The name of a standard device action. */
export type StandardActionName = keyof typeof STANDARD_ACTIONS;
