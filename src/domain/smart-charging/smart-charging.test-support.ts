import type { ChargingProfile, InstalledProfile, ProfilePurpose, RateUnit, SchedulePeriod } from './profile.js';
import type { CompositeSchedule } from './composite.js';

/** Seconds as epoch milliseconds after an origin. */
export const at = (origin: number, seconds: number): number => origin + seconds * 1000;

/** `[startPeriod, limit]` or `[startPeriod, limit, numberPhases]` pairs as schedule periods. */
export function periods(...pairs: Array<[number, number] | [number, number, number]>): SchedulePeriod[] {
  return pairs.map(([startPeriod, limit, numberPhases]) => (numberPhases === undefined ? { startPeriod, limit } : { startPeriod, limit, numberPhases }));
}

interface ProfileShape {
  id?: number;
  stackLevel?: number;
  kind?: ChargingProfile['kind'];
  recurrency?: ChargingProfile['recurrency'];
  validFrom?: number;
  validTo?: number;
  transactionId?: string;
  startSchedule?: number;
  duration?: number;
  unit?: RateUnit;
  periods: SchedulePeriod[];
}

let nextId = 1;

/** A profile installed on an EVSE; Absolute when it has a startSchedule, Relative otherwise, unless told. */
export function installed(evseId: number, purpose: ProfilePurpose, shape: ProfileShape): InstalledProfile {
  const { startSchedule, duration, unit = 'A', periods: schedulePeriods } = shape;
  return {
    evseId,
    profile: {
      id: shape.id ?? nextId++,
      stackLevel: shape.stackLevel ?? 0,
      purpose,
      kind: shape.kind ?? (startSchedule === undefined ? 'Relative' : 'Absolute'),
      recurrency: shape.recurrency,
      validFrom: shape.validFrom,
      validTo: shape.validTo,
      transactionId: shape.transactionId,
      schedule: { startSchedule, duration, chargingRateUnit: unit, periods: schedulePeriods },
    },
  };
}

/** The composite's periods as `[startPeriod, limit]` pairs, limits rounded to 3 decimals (null: no profile limits it). */
export function pairsOf(composite: CompositeSchedule): Array<[number, number | null]> {
  return composite.periods.map(({ startPeriod, limit }) => [startPeriod, limit === null ? null : Math.round(limit * 1000) / 1000]);
}
