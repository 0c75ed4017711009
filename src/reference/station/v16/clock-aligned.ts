import { sampleMeasurands } from '../meter-sample.js';
import type { TimerSlot } from '../timers.js';
import { meterValue16 } from './messages.js';
import type { V16Parts } from './parts.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Clock-aligned meter values (1.6 §3.16.2, §9.1.5): the day, from midnight, is cut into
 * ClockAlignedDataInterval-second intervals; at the end of each the charge point sends a
 * MeterValues.req per connector with the MeterValuesAlignedData measurands (context
 * Sample.Clock), stamped with the interval's start. 0 switches them off.
 */
export class ClockAlignedMeter16 {
  private readonly slot: TimerSlot;

  constructor(private readonly parts: V16Parts) {
    this.slot = parts.context.timers.slot();
  }

  /** (Re)arms the timer for the next interval boundary, after a boot or a change of the key. */
  restart(): void {
    this.slot.clear();
    const intervalMs = this.parts.configuration.integer('ClockAlignedDataInterval') * 1000;
    if (intervalMs <= 0 || this.parts.context.hasFault('no-meter-values')) return;
    const nowMs = this.parts.context.now().getTime();
    const dayStartMs = nowMs - (nowMs % DAY_MS);
    const endMs = Math.min(dayStartMs + Math.floor((nowMs - dayStartMs) / intervalMs + 1) * intervalMs, dayStartMs + DAY_MS);
    const startMs = Math.max(endMs - intervalMs, dayStartMs);
    this.slot.set(endMs - nowMs, () => {
      // behaviour:clock-aligned-not-aligned stamps the reading half an interval off the boundary (a
      // station on its own period): never on it, whenever the timer fires.
      this.report(this.parts.context.hasFault('clock-aligned-not-aligned') ? new Date(startMs + intervalMs / 2) : new Date(startMs));
      this.restart();
    });
  }

  private report(stamp: Date): void {
    const { context, configuration, engine } = this.parts;
    for (const connector of context.state.connectors()) {
      const evse = context.state.evse(connector.evseId)!;
      const samples = sampleMeasurands(configuration.list('MeterValuesAlignedData'), evse, engine.isFlowing(evse, connector), context.now());
      if (samples.length === 0) continue;
      const meterValue = [meterValue16(samples, 'Sample.Clock', stamp)];
      const tx = engine.session(connector).tx;
      // §4.7: values of a running transaction carry its id and go through the transaction queue.
      if (tx) context.enqueueTx({ action: 'MeterValues', build: () => ({ connectorId: connector.id, ...(tx.transactionId !== undefined ? { transactionId: tx.transactionId } : {}), meterValue }) });
      else void context.send('MeterValues', { connectorId: connector.id, meterValue });
    }
  }
}
