import type { Payload } from '../../protocol/index.js';
import type { CsmsContext } from './context.js';
import type { StationRecord } from './csms-state.js';

// TriggerMessage's requestedMessage values that name a message of another action.
const TRIGGERED_ACTION: Record<string, string> = {
  SignChargingStationCertificate: 'SignCertificate',
  SignV2GCertificate: 'SignCertificate',
  SignCombinedCertificate: 'SignCertificate',
  SignChargingPointCertificate: 'SignCertificate',
};

// A trigger of these may be answered once per connector or transaction, so it is not counted.
const PER_CONNECTOR = new Set(['StatusNotification', 'MeterValues', 'TransactionEvent']);

/**
 * True when a station's CALL must be answered with CALLERROR SecurityError because the CSMS has
 * not accepted the station: B01.FR.10 and B02.FR.09 (Pending), B03.FR.07 (Rejected), and for 1.6
 * the OCPP-J 1.6 errata §3.10. A message the CSMS asked for is let through (B02.FR.02).
 */
export function refusedBeforeAcceptance(context: CsmsContext, station: StationRecord, action: string, payload: Payload): boolean {
  if (action === 'BootNotification' || station.bootStatus === 'Accepted') return false;
  if (context.behaviours.has('no-security-error-when-pending')) return false;
  return !takeSolicitation(station, action, payload);
}

/**
 * Notes which messages a request of ours allows a not-yet-accepted station to send: the message a
 * TriggerMessage asks for, the NotifyReport parts a GetBaseReport or GetReport asks for (B02.FR.02;
 * 1.6 §4.2 allows only triggered messages).
 */
export function noteSolicitation(station: StationRecord, action: string, payload: Payload): void {
  if (station.bootStatus === 'Accepted') return;
  const requested = (payload as { requestedMessage?: unknown }).requestedMessage;
  if ((action === 'TriggerMessage' || action === 'ExtendedTriggerMessage') && typeof requested === 'string') {
    const triggered = TRIGGERED_ACTION[requested] ?? requested;
    station.solicited.set(triggered, { remaining: PER_CONNECTOR.has(triggered) ? Infinity : 1 });
  } else if (action === 'GetBaseReport' || action === 'GetReport') {
    // The report comes in NotifyReport parts; the last one says tbc false (B07/B08).
    station.solicited.set('NotifyReport', { remaining: Infinity });
  }
}

/** Forgets what was solicited: a new boot starts the registration over. */
export function clearSolicitations(station: StationRecord): void {
  station.solicited.clear();
}

function takeSolicitation(station: StationRecord, action: string, payload: Payload): boolean {
  const entry = station.solicited.get(action);
  if (!entry) return false;
  const lastReportPart = action === 'NotifyReport' && (payload as { tbc?: unknown }).tbc !== true;
  entry.remaining -= 1;
  if (entry.remaining <= 0 || lastReportPart) station.solicited.delete(action);
  return true;
}
