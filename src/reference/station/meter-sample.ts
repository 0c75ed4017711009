import type { EvseState } from './station-state.js';

/** One sampled value the simulated meter can give. */
export interface Sample {
  measurand: string;
  value: number;
  unit: string;
}

const VOLTAGE_V = 230;
const CURRENT_A = 16;
const POWER_W = 11_000;

/** The most an EVSE draws by itself, where no charging profile limits it: its local limit (K08). */
export function localLimit(unit: 'A' | 'W'): number {
  return unit === 'A' ? CURRENT_A : POWER_W;
}

/** Samples the measurands of a list the simulated meter knows; others are left out (OCPP 1.6 §3.16.4). */
export function sampleMeasurands(measurands: readonly string[], evse: EvseState, flowing: boolean, now: Date): Sample[] {
  return measurands.flatMap((measurand) => {
    const sample = sampleOne(measurand, evse, flowing, now);
    return sample ? [sample] : [];
  });
}

function sampleOne(measurand: string, evse: EvseState, flowing: boolean, now: Date): Sample | undefined {
  switch (measurand) {
    case 'Energy.Active.Import.Register': return { measurand, value: evse.meter.readWh(now), unit: 'Wh' };
    case 'Power.Active.Import': return { measurand, value: flowing ? POWER_W : 0, unit: 'W' };
    case 'Power.Offered': return { measurand, value: POWER_W, unit: 'W' };
    case 'Current.Import': return { measurand, value: flowing ? CURRENT_A : 0, unit: 'A' };
    case 'Current.Offered': return { measurand, value: CURRENT_A, unit: 'A' };
    case 'Voltage': return { measurand, value: VOLTAGE_V, unit: 'V' };
    case 'Frequency': return { measurand, value: 50, unit: 'Hz' };
    case 'SoC': return { measurand, value: 50, unit: 'Percent' };
    default: return undefined;
  }
}
