/** What is true at an EVSE, as far as TxStartPoint and TxStopPoint care. */
export interface EvseFacts {
  bayOccupied: boolean;
  plugged: boolean;
  authorized: boolean;
  /** Energy flows: plugged, authorized, the EV draws and the EVSE may deliver. */
  flowing: boolean;
}

/** ChargingStateEnumType. */
export type ChargingState = 'Charging' | 'EVConnected' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle';

/** Whether one TxStartPoint / TxStopPoint member holds. */
function holds(point: string, facts: EvseFacts): boolean {
  switch (point) {
    case 'ParkingBayOccupancy': return facts.bayOccupied;
    case 'EVConnected': return facts.plugged;
    case 'Authorized': return facts.authorized;
    case 'PowerPathClosed': return facts.plugged && facts.authorized;
    case 'EnergyTransfer': return facts.flowing;
    // DataSigned needs a signing meter, which the reference station does not have.
    default: return false;
  }
}

/** E01.FR.01-06: a transaction starts as soon as any member of TxStartPoint holds. */
export function startPointReached(startPoints: readonly string[], facts: EvseFacts): boolean {
  return startPoints.some((point) => holds(point, facts));
}

/**
 * E06.FR.01-07: a transaction ends when a member of TxStopPoint that held during the transaction
 * no longer holds (e.g. EVConnected: the cable was connected and is now disconnected).
 */
export function stopPointReached(stopPoints: readonly string[], seen: ReadonlySet<string>, facts: EvseFacts): boolean {
  return stopPoints.some((point) => seen.has(point) && !holds(point, facts));
}

/** The members of all points that hold now, to remember which ones held during the transaction. */
export function pointsHolding(facts: EvseFacts): string[] {
  return ['ParkingBayOccupancy', 'EVConnected', 'Authorized', 'PowerPathClosed', 'EnergyTransfer'].filter((point) => holds(point, facts));
}

/** The charging state that goes with the facts (E01.FR.18/19). */
export function chargingStateOf(facts: EvseFacts, evSuspended: boolean): ChargingState {
  if (!facts.plugged) return 'Idle';
  if (!facts.authorized) return 'EVConnected';
  if (facts.flowing) return 'Charging';
  return evSuspended ? 'SuspendedEV' : 'SuspendedEVSE';
}
