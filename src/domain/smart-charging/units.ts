import type { RateUnit } from './profile.js';

/** The nominal line voltage used to convert A and W (K01.FR.50: the set voltage of the area, not a measured one). */
export const DEFAULT_VOLTAGE = 230;

/** Phases assumed when a period does not say (1.6 §7.12, 2.0.1 K01.FR.49). */
export const DEFAULT_NUMBER_PHASES = 3;

/**
 * A limit in another unit. A is per phase (K01.FR.51), W is the total (K01.FR.50): W = A x voltage x phases.
 */
export function convertLimit(limit: number, from: RateUnit, to: RateUnit, numberPhases: number, voltage = DEFAULT_VOLTAGE): number {
  if (from === to) return limit;
  return from === 'W' ? limit / (voltage * numberPhases) : limit * voltage * numberPhases;
}
