import type { StationContext } from '../context.js';
import { sampleMeasurands, type Sample } from '../meter-sample.js';
import type { TimerSlot } from '../timers.js';
import type { DeviceModel } from './device-model.js';
import { meterValue } from './messages.js';
import type { TransactionEngine } from './transactions.js';

const DAY_MS = 86_400_000;
/** Measurands the main meter (evseId 0) sums over its EVSEs; Voltage and Frequency it reads once; the rest it has not (J01.FR.14 note). */
const SUMMED = new Set(['Energy.Active.Import.Register', 'Energy.Active.Import.Interval', 'Power.Active.Import', 'Current.Import']);
const SHARED = new Set(['Voltage', 'Frequency']);

/**
 * Clock-aligned meter data (J01): every AlignedDataCtrlr.Interval seconds, counted from midnight,
 * the main meter and every idle EVSE report AlignedDataCtrlr.Measurands in a MeterValuesRequest
 * (J01.FR.02/03/14), an EVSE with a transaction in a TransactionEvent with triggerReason
 * MeterValueClock (J01.FR.22); every AlignedDataCtrlr.TxEndedInterval seconds a running
 * transaction keeps AlignedDataCtrlr.TxEndedMeasurands for its Ended event (E06.FR.11).
 * The reference station does not implement AlignedDataCtrlr.SendDuringIdle.
 */
export class AlignedData {
  private readonly reporting: TimerSlot;
  private readonly keeping: TimerSlot;

  constructor(private readonly context: StationContext, private readonly model: DeviceModel, private readonly engine: TransactionEngine) {
    this.reporting = context.timers.slot();
    this.keeping = context.timers.slot();
  }

  /** (Re)starts both clocks from the current settings (after a SetVariables of an interval). */
  restart(): void {
    this.schedule(this.reporting, 'Interval', (at) => this.report(at));
    this.schedule(this.keeping, 'TxEndedInterval', (at) => this.keep(at));
  }

  private schedule(slot: TimerSlot, variable: string, tick: (at: Date) => void): void {
    slot.clear();
    const intervalMs = this.model.integer('AlignedDataCtrlr', variable) * 1000;
    if (intervalMs <= 0 || this.context.hasFault('no-meter-values')) return;
    const nowMs = this.context.now().getTime();
    const midnight = nowMs - (nowMs % DAY_MS);
    // The next boundary of the evenly spaced intervals of the day, starting at 00:00:00.
    const nextMs = Math.min(midnight + DAY_MS, midnight + (Math.floor((nowMs - midnight) / intervalMs) + 1) * intervalMs);
    slot.set(nextMs - nowMs, () => {
      tick(new Date(nextMs));
      this.schedule(slot, variable, tick);
    });
  }

  private report(at: Date): void {
    const measurands = this.model.members('AlignedDataCtrlr', 'Measurands');
    const main = mainMeter(measurands, this.context, at);
    if (main.length > 0) void this.context.send('MeterValues', { evseId: 0, meterValue: [meterValue(main, 'Sample.Clock', at)] });
    const running = new Set(this.engine.running().map(({ evse }) => evse.id));
    for (const evse of this.context.state.evses) {
      if (running.has(evse.id)) {
        this.engine.clockAligned(evse, at);
        continue;
      }
      const samples = sampleMeasurands(measurands, evse, false, at);
      if (samples.length > 0) void this.context.send('MeterValues', { evseId: evse.id, meterValue: [meterValue(samples, 'Sample.Clock', at)] });
    }
  }

  private keep(at: Date): void {
    const measurands = this.model.members('AlignedDataCtrlr', 'TxEndedMeasurands');
    for (const { evse } of this.engine.running()) {
      const samples = sampleMeasurands(measurands, evse, this.engine.isFlowing(evse), at);
      if (samples.length > 0) this.engine.keepForEnd(evse, meterValue(samples, 'Sample.Clock', at));
    }
  }
}

/** The main meter's view (evseId 0): energy, power and current summed over the EVSEs. */
function mainMeter(measurands: readonly string[], context: StationContext, at: Date): Sample[] {
  const perEvse = context.state.evses.map((evse) => sampleMeasurands(measurands, evse, false, at));
  return measurands.flatMap((measurand): Sample[] => {
    const found = perEvse.flatMap((samples) => samples.filter((sample) => sample.measurand === measurand));
    if (found.length === 0 || (!SUMMED.has(measurand) && !SHARED.has(measurand))) return [];
    const value = SUMMED.has(measurand) ? found.reduce((sum, sample) => sum + sample.value, 0) : found[0]!.value;
    return [{ measurand, value, unit: found[0]!.unit }];
  });
}
