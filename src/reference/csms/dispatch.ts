import type { CallHandler, Session } from '../../session/index.js';
import { refusedBeforeAcceptance } from './boot-gate.js';
import { isV2, type CsmsContext } from './context.js';
import type { StationRecord } from './csms-state.js';
import { HANDLERS_16 } from './handlers-16.js';
import { HANDLERS_201 } from './handlers-201.js';

/** The function that answers one station's CALLs on one connection. */
export function stationCallHandler(context: CsmsContext, station: StationRecord, session: Session): CallHandler {
  const table = isV2(context.version) ? HANDLERS_201 : HANDLERS_16;
  return (call) => {
    // Payloads that break their schema never get here: the session answers them with a CALLERROR.
    if (refusedBeforeAcceptance(context, station, call.action, call.payload)) {
      const status = station.bootStatus ?? 'not booted';
      return { error: 'SecurityError', description: `station is not accepted (registration status: ${status})` };
    }
    const handler = Object.hasOwn(table, call.action) ? table[call.action] : undefined;
    if (!handler) return { error: 'NotSupported', description: `the reference CSMS does not handle ${call.action}` };
    return handler({ context, station, session, action: call.action, payload: call.payload });
  };
}
