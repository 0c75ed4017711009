import type { OcppVersion } from '../../protocol/index.js';
import type { CompositeSchedule } from './composite.js';
import { ProfileFormatError, scheduleFromWire, type RateUnit } from './profile.js';

/** A schedule to compare with the oracle's: what a SUT reported, or the oracle's own. Times in epoch ms. */
export interface ComparableSchedule {
  scheduleStart: number;
  /** Seconds; absent: open-ended. */
  duration?: number;
  chargingRateUnit: RateUnit;
  /** limit null: no limit is expected (the station's own local limit applies), so none is checked. */
  periods: ReadonlyArray<{ startPeriod: number; limit: number | null; numberPhases?: number }>;
}

/**
 * The schedule of a GetCompositeSchedule answer: 2.x `schedule` (CompositeScheduleType), 1.6
 * `scheduleStart` with `chargingSchedule` (§6.22). A 1.6 station that put the start in
 * chargingSchedule.startSchedule instead (1.6 errata 3.57 says to omit it there) is read too.
 */
export function reportedSchedule(version: OcppVersion, response: unknown): ComparableSchedule {
  const fields = (typeof response === 'object' && response !== null ? response : {}) as Record<string, unknown>;
  const wire = version === '1.6' ? fields['chargingSchedule'] : fields['schedule'];
  if (wire === undefined) throw new ProfileFormatError(`the answer (status ${JSON.stringify(fields['status'])}) carries no ${version === '1.6' ? 'chargingSchedule' : 'schedule'}`);
  const schedule = scheduleFromWire(wire, version === '1.6' ? 'chargingSchedule' : 'schedule');
  const startText = version === '1.6' ? fields['scheduleStart'] : (wire as Record<string, unknown>)['scheduleStart'];
  const scheduleStart = typeof startText === 'string' ? Date.parse(startText) : schedule.startSchedule;
  if (scheduleStart === undefined || Number.isNaN(scheduleStart)) throw new ProfileFormatError('the answer has no readable scheduleStart');
  return { scheduleStart, duration: schedule.duration, chargingRateUnit: schedule.chargingRateUnit, periods: schedule.periods };
}

/**
 * The oracle's composite as a GetCompositeSchedule answer of the version (2.x GetCompositeScheduleResponse,
 * 1.6 GetCompositeSchedule.conf): whole-second startPeriods, limits rounded down to the one decimal the
 * field allows, and `localLimit` (the station's own limit, in the composite's unit) where no profile limits.
 */
export function compositeAnswer(version: OcppVersion, composite: CompositeSchedule, localLimit: number): Record<string, unknown> {
  const periods: Array<{ startPeriod: number; limit: number; numberPhases: number }> = [];
  for (const period of composite.periods) {
    const startPeriod = Math.round(period.startPeriod);
    const limit = Math.floor((period.limit ?? localLimit) * 10 + 1e-9) / 10;
    if (periods.at(-1)?.startPeriod === startPeriod) periods.pop();
    periods.push({ startPeriod, limit, numberPhases: period.numberPhases });
  }
  const scheduleStart = new Date(composite.scheduleStart).toISOString();
  const chargingSchedule = { duration: composite.duration, chargingRateUnit: composite.chargingRateUnit, chargingSchedulePeriod: periods };
  return version === '1.6'
    ? { status: 'Accepted', connectorId: composite.evseId, scheduleStart, chargingSchedule }
    : { status: 'Accepted', schedule: { evseId: composite.evseId, scheduleStart, ...chargingSchedule } };
}
