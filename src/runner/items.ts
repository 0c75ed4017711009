import type { HarnessConfig } from '../config/index.js';
import { connectorsOf } from '../domain/index.js';
import type { OcppVersion } from '../protocol/index.js';

/** The items a forEach step runs over: every connector (with its EVSE) or every EVSE of the configuration. */
export function itemsFor(config: HarnessConfig, kind: 'connector' | 'evse', ocpp: OcppVersion): Array<Record<string, unknown>> {
  if (kind === 'evse') return config.evses.map((evse) => ({ evseId: evse.id }));
  // OCPP 1.6 numbers connectors across the station; the configuration's connector ids are those numbers.
  return connectorsOf(config.evses).map(({ evse, connector }) => ({
    evseId: evse.id, connectorId: connector.id, ...(connector.type ? { connectorType: connector.type } : {}), ...(ocpp === '1.6' ? { ocppConnectorId: connector.id } : {}),
  }));
}
