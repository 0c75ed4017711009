import type { Payload } from '../../protocol/index.js';
import type { CsmsContext } from './context.js';
import type { StationRecord } from './csms-state.js';
import type { IdTokenRef } from './id-tokens.js';

/** Builds the default payload of one CSMS-initiated request; throws when it cannot (no running transaction, ...). */
export type RequestBuilder = (context: CsmsContext, station: StationRecord) => Payload;

/** Where default file-transfer requests point. */
// Reserved by RFC 2606: a station that tries to upload or download there fails cleanly.
export const NOWHERE_URL = 'https://example.invalid/ocpp-harness';
/** One hour: how long default reservations last. */
export const HOUR_MS = 3_600_000;

/** The first Accepted token on the CSMS's list: remote starts and reservations need one. */
export function acceptedToken(context: CsmsContext): IdTokenRef {
  const token = context.tokens.firstAccepted();
  if (!token) throw new Error('the CSMS has no Accepted id token to use; add one with csmsAddIdToken or give the payload');
  return token;
}

/** The transaction id of the station's running transaction. */
export function runningTransactionId(context: CsmsContext, station: StationRecord): string {
  const transaction = context.state.activeTransactionOf(station.stationId);
  if (!transaction) throw new Error(`station ${station.stationId} has no running transaction the CSMS knows of; give the payload`);
  return transaction.transactionId;
}

/** The last reservation the CSMS made with this station. */
export function lastReservationId(station: StationRecord): number {
  if (station.lastReservationId === undefined) throw new Error(`the CSMS has made no reservation with ${station.stationId}; give the payload`);
  return station.lastReservationId;
}
