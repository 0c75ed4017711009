// What every round-trip driver provides: one open connection, a station-side CALL that resolves
// once its CALLRESULT has arrived, and a clean shutdown.

/** The OCPP 1.6 Heartbeat every driver sends. */
export const HEARTBEAT_ACTION = 'Heartbeat';
/** The fixed answer every driver's server gives (a fixed time, so no driver pays for Date). */
export const HEARTBEAT_RESPONSE = Object.freeze({ currentTime: '2025-01-15T10:30:00.000Z' });

/** A connected client and server, ready for sequential round trips. */
export interface OpenDriver {
  /** Sends one Heartbeat CALL and resolves once its CALLRESULT has been received and checked. */
  roundTrip(): Promise<void>;
  /** Closes client and server; resolves with extra figures to report (e.g. trace bytes). */
  close(): Promise<Record<string, number>>;
}

/** A way to open one client-server connection on 127.0.0.1. */
export interface Driver {
  name: string;
  description: string;
  open(): Promise<OpenDriver>;
}
