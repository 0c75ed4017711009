import type { ChargingProfile, RateUnit } from './profile.js';

const DAY_MS = 86_400_000;

/** How long one recurrence lasts (1.6 errata 3.79, 2.0.1 RecurrencyKindEnumType: every 24 h / 7 days from startSchedule). */
const RECURRENCE_MS = { Daily: DAY_MS, Weekly: 7 * DAY_MS } as const;

/** What one profile's schedule says at an instant. */
export interface ScheduleValue {
  limit: number;
  unit: RateUnit;
  /** As the period gives it; undefined: not given (3 is then assumed, K01.FR.49). */
  numberPhases: number | undefined;
  minChargingRate: number | undefined;
}

function recurrenceOf(profile: ChargingProfile): number | undefined {
  return profile.kind === 'Recurring' && profile.recurrency !== undefined && profile.schedule.startSchedule !== undefined ? RECURRENCE_MS[profile.recurrency] : undefined;
}

/**
 * Where the schedule is anchored: startSchedule for Absolute; for Recurring the start of the recurrence
 * that covers `at`; for Relative (and a schedule without startSchedule, 1.6 §7.13) the moment charging
 * starts, which the caller knows.
 */
function anchorAt(profile: ChargingProfile, at: number, relativeStart: number): number {
  const { startSchedule } = profile.schedule;
  if (profile.kind === 'Relative' || startSchedule === undefined) return relativeStart;
  const recurrence = recurrenceOf(profile);
  if (recurrence === undefined || at < startSchedule) return startSchedule;
  return startSchedule + Math.floor((at - startSchedule) / recurrence) * recurrence;
}

/**
 * How long (ms) one run of the schedule lasts: its duration, cut at the recurrence (1.6 errata 3.44:
 * periods beyond the recurrence are not executed); Infinity when neither bounds it.
 */
function runLength(profile: ChargingProfile): number {
  const duration = profile.schedule.duration === undefined ? Infinity : profile.schedule.duration * 1000;
  return Math.min(duration, recurrenceOf(profile) ?? Infinity);
}

/** The schedule's periods in order of startPeriod (K01.FR.35 requires it; the oracle does not rely on it). */
function periodsInOrder(profile: ChargingProfile) {
  return [...profile.schedule.periods].sort((a, b) => a.startPeriod - b.startPeriod);
}

/** True when the profile is valid at the instant: validFrom <= at < validTo (K01.FR.36, K01.FR.37). */
export function isValidAt(profile: ChargingProfile, at: number): boolean {
  return (profile.validFrom === undefined || profile.validFrom <= at) && (profile.validTo === undefined || at < profile.validTo);
}

/**
 * The period of the profile in force at `at`, or undefined when the profile is not valid then or its
 * schedule defines no period then (not started, past its duration: K01.FR.11, K01.FR.12).
 */
export function scheduleValueAt(profile: ChargingProfile, at: number, relativeStart: number): ScheduleValue | undefined {
  if (!isValidAt(profile, at)) return undefined;
  const anchor = anchorAt(profile, at, relativeStart);
  const offset = at - anchor;
  const length = runLength(profile);
  if (offset < 0 || offset >= length) return undefined;
  let current;
  for (const period of periodsInOrder(profile)) {
    if (period.startPeriod * 1000 <= offset) current = period;
  }
  if (!current) return undefined;
  return { limit: current.limit, unit: profile.schedule.chargingRateUnit, numberPhases: current.numberPhases, minChargingRate: profile.schedule.minChargingRate };
}

/**
 * Every instant in (from, to) at which what the profile says may change: validity bounds, the start
 * and end of each run, and each period's start.
 */
export function scheduleBoundaries(profile: ChargingProfile, from: number, to: number, relativeStart: number): number[] {
  const instants = [profile.validFrom, profile.validTo].filter((at): at is number => at !== undefined);
  const length = runLength(profile);
  const recurrence = recurrenceOf(profile);
  const firstAnchor = anchorAt(profile, from, relativeStart);
  const anchors = [firstAnchor];
  if (recurrence !== undefined) {
    for (let anchor = firstAnchor + recurrence; anchor < to; anchor += recurrence) anchors.push(anchor);
  }
  for (const anchor of anchors) {
    instants.push(anchor);
    if (Number.isFinite(length)) instants.push(anchor + length);
    for (const period of profile.schedule.periods) {
      if (period.startPeriod * 1000 < length) instants.push(anchor + period.startPeriod * 1000);
    }
  }
  return instants.filter((at) => at > from && at < to);
}
