import type { ConnectorState, EvseState } from '../station-state.js';
import type { V16Parts } from './parts.js';

/**
 * Another idTag presented where a transaction runs (1.6 §3.10, §4.10): it is authorized, and stops
 * the transaction only when the Central System puts both idTags in one group (the same
 * parentIdTag); any other tag leaves the transaction running.
 */
export function presentOtherTag(parts: V16Parts, evse: EvseState, connector: ConnectorState, idTag: string): void {
  const { engine, authorizer, context } = parts;
  const tx = engine.session(connector).tx;
  if (!tx) return;
  context.timers.run(async () => {
    const status = await authorizer.check(idTag);
    if (status !== 'Accepted' || engine.session(connector).tx !== tx) return;
    const group = authorizer.parentOf(idTag);
    const sameGroup = group !== undefined && group === authorizer.parentOf(tx.idTag);
    // behaviour:stop-by-any-tag lets any accepted tag stop; behaviour:ignore-parent-id-tag lets none.
    const stops = context.hasFault('stop-by-any-tag') || (sameGroup && !context.hasFault('ignore-parent-id-tag'));
    if (stops) engine.stop(evse, connector, 'Local', idTag);
  });
}
