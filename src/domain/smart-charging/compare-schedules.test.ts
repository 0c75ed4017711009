import { describe, expect, it } from 'vitest';
import { schemasOf } from '../../protocol/index.js';
import { compareSchedules, compositeAnswer, compositeSchedule, installedFromSetChargingProfile, reportedSchedule, scheduleTable, type ComparableSchedule } from './index.js';
import { at, installed, periods } from './smart-charging.test-support.js';

const T0 = Date.parse('2026-12-03T12:00:00Z');

// TC_K_41_CS as the 2.0.1 errata 2025-09 (§6.2.73) sets it up, the request 5 s after the profiles' start.
const profiles = [
  installed(0, 'StationMax', { id: 1, startSchedule: at(T0, -5), duration: 86400, periods: periods([0, 10, 3]) }),
  installed(1, 'TxDefault', { id: 2, startSchedule: at(T0, -5), duration: 300, periods: periods([0, 6, 3], [60, 10, 3], [120, 8, 3], [180, 15, 3], [260, 8, 3]) }),
  installed(1, 'Tx', { id: 3, startSchedule: at(T0, -5), duration: 260, periods: periods([0, 8, 3], [50, 11, 3], [140, 16, 3], [200, 6, 3], [240, 12, 3]) }),
];
const expected = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 400, chargingRateUnit: 'A', transactions: [{ evseId: 1, chargingStart: at(T0, -5) }] });

function reported(start: number, unit: 'A' | 'W', pairs: Array<[number, number]>, duration = 400): ComparableSchedule {
  return { scheduleStart: start, duration, chargingRateUnit: unit, periods: pairs.map(([startPeriod, limit]) => ({ startPeriod, limit, numberPhases: 3 })) };
}

describe('comparing a reported schedule with the oracle', () => {
  it('accepts the oracle\'s own answer read back from the wire, in 2.0.1 and in 1.6 form', () => {
    for (const version of ['2.0.1', '1.6'] as const) {
      const answer = compositeAnswer(version, expected, 32);
      expect(schemasOf(version).validate('GetCompositeSchedule', 'response', answer)).toBeUndefined();
      const comparison = compareSchedules(expected, reportedSchedule(version, answer));
      expect(comparison).toMatchObject({ matches: true, differences: [] });
      expect(comparison.rows.map(({ from }) => from)).toEqual([0, 45, 195, 235, 255, 295]);
    }
  });

  it('TC_K_41_CS as Part 6 first printed it (without the errata\'s last two periods) differs from +255 s to +295 s, and says so period by period', () => {
    const comparison = compareSchedules(expected, reported(T0, 'A', [[0, 8], [45, 10], [195, 6], [235, 10]]));
    expect(comparison.matches).toBe(false);
    expect(comparison.differences).toEqual([
      'from +255 s to +295 s: expected 8 A, 3 ph [TxDefaultProfile 2 (stack 0, EVSE 1)], actual 10 A, 3 ph: 2 A above the expected limit (tolerance 0.1 A)',
    ]);
    const lines = scheduleTable(comparison.rows).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^from +\| to +\| expected +\| actual +\|$/);
    expect(lines[5]).toMatch(/^\+255 s \| \+295 s \| 8 A, 3 ph \[TxDefaultProfile 2 \(stack 0, EVSE 1\)\] +\| 10 A, 3 ph \| ✗ 2 A above the expected limit \(tolerance 0.1 A\)$/);
    expect(lines.filter((line) => line.endsWith('| ok'))).toHaveLength(5);
  });

  it('converts a schedule reported in W at its phases (K01.FR.50) and applies the tolerance in the expected unit', () => {
    const inWatts = (offset: number) => reported(T0, 'W', [[0, 8 * 690 + offset], [45, 6900], [195, 4140], [235, 6900], [255, 5520], [295, 6900]]);
    expect(compareSchedules(expected, inWatts(30)).matches).toBe(true);
    const over = compareSchedules(expected, inWatts(100));
    expect(over.differences).toEqual(['from +0 s to +45 s: expected 8 A, 3 ph [TxProfile 3 (stack 0, EVSE 1)], actual 5620 W, 3 ph = 8.145 A: 0.145 A above the expected limit (tolerance 0.1 A)']);
    expect(compareSchedules(expected, inWatts(100), { limit: 100, limitUnit: 'W' }).matches).toBe(true);
  });

  it('lets scheduleStart and the boundaries stray by the time tolerance, and names them when they stray further', () => {
    const late = reported(at(T0, 2), 'A', [[0, 8], [45, 10], [195, 6], [235, 10], [255, 8], [295, 10]]);
    expect(compareSchedules(expected, late, { seconds: 5 }).matches).toBe(true);
    const strict = compareSchedules(expected, late);
    expect(strict.differences[0]).toBe('scheduleStart 2026-12-03T12:00:02.000Z is 2 s from the expected 2026-12-03T12:00:00.000Z (tolerance 0 s)');
    expect(strict.differences.slice(1)).toEqual([
      'from +0 s to +2 s: expected 8 A, 3 ph [TxProfile 3 (stack 0, EVSE 1)], actual no period: the actual schedule has no period here',
      'from +45 s to +47 s: expected 10 A, 3 ph [ChargingStationMaxProfile 1 (stack 0, station)], actual 8 A, 3 ph: 2 A below the expected limit (tolerance 0.1 A)',
      'from +195 s to +197 s: expected 6 A, 3 ph [TxProfile 3 (stack 0, EVSE 1)], actual 10 A, 3 ph: 4 A above the expected limit (tolerance 0.1 A)',
      'from +235 s to +237 s: expected 10 A, 3 ph [ChargingStationMaxProfile 1 (stack 0, station)], actual 6 A, 3 ph: 4 A below the expected limit (tolerance 0.1 A)',
      'from +255 s to +257 s: expected 8 A, 3 ph [TxDefaultProfile 2 (stack 0, EVSE 1)], actual 10 A, 3 ph: 2 A above the expected limit (tolerance 0.1 A)',
      'from +295 s to +297 s: expected 10 A, 3 ph [ChargingStationMaxProfile 1 (stack 0, station)], actual 8 A, 3 ph: 2 A below the expected limit (tolerance 0.1 A)',
    ]);
  });

  it('does not check a period no profile limits (the station\'s local limit), but checks that the actual schedule covers the window and its phases', () => {
    const later = installed(1, 'TxDefault', { id: 40, startSchedule: at(T0, 60), periods: periods([0, 6, 3]) });
    const open = compositeSchedule({ version: '2.0.1', profiles: [later], evseId: 1, start: T0, duration: 300 });
    expect(compareSchedules(open, reported(T0, 'A', [[0, 32], [60, 6]], 300)).matches).toBe(true);
    expect(compareSchedules(open, reported(T0, 'A', [[0, 32], [60, 6]], 200)).differences).toEqual([
      'from +200 s to +300 s: expected 6 A, 3 ph [TxDefaultProfile 40 (stack 0, EVSE 1)], actual no period: the actual schedule has no period here',
    ]);
    const onePhase = { ...reported(T0, 'A', [], 300), periods: [{ startPeriod: 0, limit: 32, numberPhases: 1 }, { startPeriod: 60, limit: 6, numberPhases: 1 }] };
    expect(compareSchedules(open, onePhase).differences).toEqual([
      'from +60 s to +300 s: expected 6 A, 3 ph [TxDefaultProfile 40 (stack 0, EVSE 1)], actual 6 A, 1 ph: numberPhases 1, expected 3',
    ]);
  });

  it('compares what a CSMS set (a SetChargingProfile read through the oracle) with the schedule a case expects, across units', () => {
    const window = { version: '2.0.1' as const, evseId: 1, start: T0, duration: 600, chargingRateUnit: 'A' as const };
    const wanted = compositeSchedule({ ...window, profiles: [installed(1, 'TxDefault', { id: 7, startSchedule: T0, duration: 300, periods: periods([0, 6, 3], [120, 10, 3]) })] });
    const request = (second: number) => ({ evseId: 1, chargingProfile: { id: 70, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ id: 1, startSchedule: '2026-12-03T12:00:00Z', duration: 300, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 4140, numberPhases: 3 }, { startPeriod: second, limit: 6900, numberPhases: 3 }] }] } });
    const set = (second: number) => compositeSchedule({ ...window, profiles: [installedFromSetChargingProfile('2.0.1', request(second))] });
    expect(compareSchedules(wanted, set(120)).matches).toBe(true);
    expect(compareSchedules(wanted, set(180)).differences).toEqual(['from +120 s to +180 s: expected 10 A, 3 ph [TxDefaultProfile 7 (stack 0, EVSE 1)], actual 6 A, 3 ph [TxDefaultProfile 70 (stack 0, EVSE 1)]: 4 A below the expected limit (tolerance 0.1 A)']);
  });

  it('reads a 1.6 answer that carries its start in chargingSchedule.startSchedule, and refuses an answer without a schedule', () => {
    const answer = { status: 'Accepted', connectorId: 1, chargingSchedule: { startSchedule: '2026-12-03T12:00:00Z', duration: 60, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] } };
    expect(reportedSchedule('1.6', answer)).toEqual({ scheduleStart: T0, duration: 60, chargingRateUnit: 'A', periods: [{ startPeriod: 0, limit: 6, numberPhases: undefined }] });
    expect(() => reportedSchedule('2.0.1', { status: 'Rejected' })).toThrow('the answer (status "Rejected") carries no schedule');
  });
});
