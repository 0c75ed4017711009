import type { OcppVersion } from '../protocol/index.js';

/** A connector of an EVSE. Under OCPP 1.6, which has no EVSEs, `id` is the station-wide connectorId. */
export interface ConnectorLayout {
  readonly id: number;
  readonly type?: string;
}

/** An EVSE with its connectors. */
export interface EvseLayout<Connector extends ConnectorLayout = ConnectorLayout> {
  readonly id: number;
  readonly connectors: readonly Connector[];
}

/** A connector with the EVSE it belongs to. */
export interface PlacedConnector<Evse extends EvseLayout> {
  evse: Evse;
  connector: Evse['connectors'][number];
}

/** Every connector of a station, EVSE by EVSE, with its EVSE. */
export function connectorsOf<Evse extends EvseLayout>(evses: readonly Evse[]): Array<PlacedConnector<Evse>> {
  return evses.flatMap((evse) => evse.connectors.map((connector) => ({ evse, connector })));
}

/** OCPP 1.6: the connector with this station-wide connectorId, and its EVSE (1.6 numbers connectors across the station). */
export function findConnector16<Evse extends EvseLayout>(evses: readonly Evse[], connectorId: number): PlacedConnector<Evse> | undefined {
  return connectorsOf(evses).find(({ connector }) => connector.id === connectorId);
}

/** "EVSE 1 connector 2" (2.x) or "connector 2" (1.6, station-wide ids). */
export function connectorName(version: OcppVersion, evseId: number, connectorId: number): string {
  return version === '1.6' ? `connector ${connectorId}` : `EVSE ${evseId} connector ${connectorId}`;
}
