import type { ActionContext, ActionOutcome, Adapter, DeviceAction } from '../adapters/index.js';

/** The device action that undoes one, for the actions that leave the device changed. */
const UNDO: Record<string, (params: Record<string, unknown>) => DeviceAction | undefined> = {
  plugIn: (params) => ({ name: 'unplug', params: pick(params, 'evseId', 'connectorId') }),
  goOffline: () => ({ name: 'goOnline', params: {} }),
  evSuspend: (params) => ({ name: 'evResume', params: pick(params, 'evseId') }),
  driveIn: (params) => ({ name: 'driveOut', params: pick(params, 'evseId') }),
  faultConnector: (params) => ({ name: 'clearFault', params: pick(params, 'evseId', 'connectorId') }),
  blockLocalListStorage: () => ({ name: 'unblockLocalListStorage', params: {} }),
  refuseReservations: () => ({ name: 'acceptReservations', params: {} }),
  removeCsmsRoots: () => ({ name: 'restoreCsmsRoots', params: {} }),
  failConnectorLock: (params) => ({ name: 'clearFault', params: pick(params, 'evseId', 'connectorId') }),
  // A CSMS told to refuse or hold boots is told to accept them again.
  csmsSetBootResult: (params) => (params['status'] === 'Accepted' ? undefined : { name: 'csmsSetBootResult', params: { status: 'Accepted' } }),
};

/** The actions that undo these, so a done action and its undo cancel out. */
const UNDONE_BY = new Map(Object.entries({ unplug: 'plugIn', goOnline: 'goOffline', evResume: 'evSuspend', driveOut: 'driveIn', clearFault: 'faultConnector', unblockLocalListStorage: 'blockLocalListStorage', acceptReservations: 'refuseReservations', restoreCsmsRoots: 'removeCsmsRoots' }));

/**
 * Keeps the device actions a case performed, so that the clean-up can undo those still in effect
 * (a cable left plugged in, a network left cut, a CSMS left refusing boots), latest first.
 */
export class DeviceActionLog {
  private readonly done: DeviceAction[] = [];

  /** An adapter that performs through `adapter` and logs every action that got done. */
  recording(adapter: Adapter): Adapter {
    return {
      kind: adapter.kind,
      perform: async (action: DeviceAction, context: ActionContext): Promise<ActionOutcome> => {
        const outcome = await adapter.perform(action, context);
        if (outcome.status === 'done') this.note(action);
        return outcome;
      },
    };
  }

  /** The undo actions still due, latest first; then forgets the log. */
  takeUndos(): DeviceAction[] {
    const due: DeviceAction[] = [];
    for (const action of this.done.splice(0).reverse()) {
      const undo = UNDO[action.name]?.(action.params);
      if (undo) due.push(undo);
    }
    return due;
  }

  private note(action: DeviceAction): void {
    const undoes = UNDONE_BY.get(action.name);
    if (undoes) {
      const index = this.done.findLastIndex((earlier) => earlier.name === undoes && sameTarget(earlier.params, action.params));
      if (index >= 0) return void this.done.splice(index, 1);
    }
    if (Object.hasOwn(UNDO, action.name)) this.done.push({ name: action.name, params: action.params });
  }
}

function pick(params: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => params[name] !== undefined).map((name) => [name, params[name]]));
}

// An undo matches the action it undoes when it names the same EVSE and connector (absent ones match any).
function sameTarget(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return ['evseId', 'connectorId'].every((name) => a[name] === undefined || b[name] === undefined || String(a[name]) === String(b[name]));
}
