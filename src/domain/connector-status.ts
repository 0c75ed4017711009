/** OCPP 2.0.1 ConnectorStatusEnumType (StatusNotificationRequest.connectorStatus). */
export type ConnectorStatus = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';

/** OCPP 1.6 ChargePointStatus (StatusNotification.req status, §7.7). */
export type ChargePointStatus16 = 'Available' | 'Preparing' | 'Charging' | 'SuspendedEVSE' | 'SuspendedEV' | 'Finishing' | 'Reserved' | 'Unavailable' | 'Faulted';

// 2.0.1 says Occupied while a cable is in; 1.6 says which phase of a session it is in.
const PLUGGED: ReadonlySet<string> = new Set<ConnectorStatus | ChargePointStatus16>(['Occupied', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing']);

/**
 * True when a reported connector status (either version) says a cable is in. Unavailable,
 * Faulted and Reserved say nothing about the cable.
 */
export function isPlugged(status: string): boolean {
  return PLUGGED.has(status);
}
