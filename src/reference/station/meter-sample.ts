import type { EvseState, ProfileLimit } from './station-state.js';

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

/**
 * What the EVSE offers the EV at `now`: its own maximum, capped by the composite limit of the charging
 * profiles in force (1.6 §3.13.1 "the Charge Point SHALL use the composite schedule", K08.FR.02), so
 * that meter values show whether a limit is obeyed. Rounded down (0.1 A, 1 W), never above the limit.
 */
export function offered(evse: EvseState, now: Date): ProfileLimit {
  const limit = evse.profileLimit(now);
  return {
    currentA: Math.floor(Math.min(CURRENT_A, limit?.currentA ?? CURRENT_A) * 10) / 10,
    powerW: Math.floor(Math.min(POWER_W, limit?.powerW ?? POWER_W)),
  };
}

/** Samples the measurands of a list the simulated meter knows; others are left out (OCPP 1.6 §3.16.4). */
export function sampleMeasurands(measurands: readonly string[], evse: EvseState, flowing: boolean, now: Date): Sample[] {
  const offer = offered(evse, now);
  return measurands.flatMap((measurand) => {
    const sample = sampleOne(measurand, evse, flowing ? offer : undefined, offer, now);
    return sample ? [sample] : [];
  });
}

/** One measurand; `drawn` is what flows to the EV (undefined: nothing flows), `offer` what the EVSE offers. */
function sampleOne(measurand: string, evse: EvseState, drawn: ProfileLimit | undefined, offer: ProfileLimit, now: Date): Sample | undefined {
  switch (measurand) {
    case 'Energy.Active.Import.Register': return { measurand, value: evse.meter.readWh(now), unit: 'Wh' };
    case 'Power.Active.Import': return { measurand, value: drawn?.powerW ?? 0, unit: 'W' };
    case 'Power.Offered': return { measurand, value: offer.powerW, unit: 'W' };
    case 'Current.Import': return { measurand, value: drawn?.currentA ?? 0, unit: 'A' };
    case 'Current.Offered': return { measurand, value: offer.currentA, unit: 'A' };
    case 'Voltage': return { measurand, value: VOLTAGE_V, unit: 'V' };
    case 'Frequency': return { measurand, value: 50, unit: 'Hz' };
    case 'SoC': return { measurand, value: 50, unit: 'Percent' };
    default: return undefined;
  }
}
