import type { HarnessConfig } from '../config/index.js';
import { connectorsOf } from '../domain/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { ForEach } from '../testcase/index.js';
import type { CaseRun, StepScope } from './case-run.js';

/** The items a forEach step runs over: every connector (with its EVSE) or every EVSE of the configuration. */
export function itemsFor(config: HarnessConfig, kind: 'connector' | 'evse', ocpp: OcppVersion): Array<Record<string, unknown>> {
  if (kind === 'evse') return config.evses.map((evse) => ({ evseId: evse.id }));
  // OCPP 1.6 numbers connectors across the station; the configuration's connector ids are those numbers.
  return connectorsOf(config.evses).map(({ evse, connector }) => ({
    evseId: evse.id, connectorId: connector.id, ...(connector.type ? { connectorType: connector.type } : {}), ...(ocpp === '1.6' ? { ocppConnectorId: connector.id } : {}),
  }));
}

/**
 * The scope of each run of a step: one per item with forEach (a configured connector or EVSE, or
 * an element of a literal list, its templates rendered in the step's scope), else the scope itself.
 */
export function itemScopes(forEach: ForEach | undefined, run: CaseRun, scope: StepScope): StepScope[] {
  if (forEach === undefined) return [scope];
  const items = typeof forEach === 'string' ? itemsFor(run.env.config, forEach, run.testCase.ocpp) : forEach.map((element) => run.render(element, scope));
  return items.map((item) => ({ ...scope, item }));
}
