import { describe, expect, it } from 'vitest';
import { compositeLimitAt, compositeSchedule, convertLimit, installedFromSetChargingProfile, profileFromWire, ProfileFormatError } from './index.js';
import { at, installed, pairsOf, periods } from './smart-charging.test-support.js';

// The moment a test case's first SetChargingProfileRequest is sent ("current dateTime" in Part 6).
const T0 = Date.parse('2026-12-03T12:00:00Z');
// <Configured max time deviation> of Part 6, in seconds.
const DEVIATION = 5;

describe('composite schedule: OCPP 2.0.1 Part 6 block K worked examples (as corrected by the 2.0.1 errata 2025-09)', () => {
  it('TC_K_40_CS (errata §6.2.72): stacked TxDefaultProfiles; stack 1 overrules stack 0 until its duration ends', () => {
    const startSchedule = at(T0, -DEVIATION);
    const common = { startSchedule, validFrom: at(T0, -DEVIATION), validTo: at(T0, DEVIATION + 401) };
    const profiles = [
      installed(1, 'TxDefault', { ...common, stackLevel: 0, duration: 400 + DEVIATION, periods: periods([0, 6], [100, 8], [200, 10]) }),
      installed(1, 'TxDefault', { ...common, stackLevel: 1, duration: 150 + DEVIATION, periods: periods([0, 7], [100, 9]) }),
    ];
    // x: from the profiles' startSchedule to the request's scheduleStart.
    const x = DEVIATION;
    const composite = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 350, chargingRateUnit: 'A' });
    expect(pairsOf(composite)).toEqual([[0, 7], [100 - x, 9], [150 - x + DEVIATION, 8], [200 - x, 10]]);
    expect(composite.periods.map(({ limitedBy }) => limitedBy)).toEqual([
      `TxDefaultProfile ${profiles[1]!.profile.id} (stack 1, EVSE 1)`,
      `TxDefaultProfile ${profiles[1]!.profile.id} (stack 1, EVSE 1)`,
      `TxDefaultProfile ${profiles[0]!.profile.id} (stack 0, EVSE 1)`,
      `TxDefaultProfile ${profiles[0]!.profile.id} (stack 0, EVSE 1)`,
    ]);
    expect(composite).toMatchObject({ evseId: 1, scheduleStart: T0, duration: 350, chargingRateUnit: 'A' });
  });

  function tcK41Profiles(multiplier: number, unit: 'A' | 'W') {
    const startSchedule = at(T0, -DEVIATION);
    const valid = { validFrom: at(T0, -DEVIATION), validTo: at(T0, DEVIATION + 401) };
    const times = (pairs: Array<[number, number]>) => periods(...pairs.map(([start, limit]): [number, number, number] => [start, limit * multiplier, 3]));
    return [
      installed(0, 'StationMax', { id: 1, startSchedule, duration: 86400, unit, periods: times([[0, 10]]) }),
      installed(1, 'TxDefault', { id: 2, ...valid, startSchedule, duration: 300, unit, periods: times([[0, 6], [60, 10], [120, 8], [180, 15], [260, 8]]) }),
      installed(1, 'Tx', { id: 3, ...valid, startSchedule, duration: 260, unit, periods: times([[0, 8], [50, 11], [140, 16], [200, 6], [240, 12]]) }),
    ];
  }
  const transaction = { evseId: 1, chargingStart: at(T0, -60) };

  it('TC_K_41_CS (errata §6.2.73, §6.2.74): ChargingStationMaxProfile, TxDefaultProfile and TxProfile combined; after the TxProfile ends the TxDefaultProfile applies again', () => {
    const x = DEVIATION;
    const composite = compositeSchedule({ version: '2.0.1', profiles: tcK41Profiles(1, 'A'), evseId: 1, start: T0, duration: 400, chargingRateUnit: 'A', transactions: [transaction] });
    expect(pairsOf(composite)).toEqual([[0, 8], [50 - x, 10], [200 - x, 6], [240 - x, 10], [260 - x, 8], [300 - x, 10]]);
    expect(composite.periods.map(({ limitedBy }) => limitedBy.split(' ')[0])).toEqual(['TxProfile', 'ChargingStationMaxProfile', 'TxProfile', 'ChargingStationMaxProfile', 'TxDefaultProfile', 'ChargingStationMaxProfile']);
  });

  it('TC_K_41_CS in W (errata §6.2.69: limit multiplier 690 for 3 phases) gives the same schedule, in W or converted to A', () => {
    const profiles = tcK41Profiles(690, 'W');
    const inWatts = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 400, chargingRateUnit: 'W', transactions: [transaction] });
    expect(pairsOf(inWatts).map(([start, limit]) => [start, limit! / 690])).toEqual([[0, 8], [45, 10], [195, 6], [235, 10], [255, 8], [295, 10]]);
    const inAmps = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 400, chargingRateUnit: 'A', transactions: [transaction] });
    expect(pairsOf(inAmps)).toEqual([[0, 8], [45, 10], [195, 6], [235, 10], [255, 8], [295, 10]]);
  });

  it('TC_K_41_CS without the transaction: the TxProfile is left out and the TxDefaultProfile rules (K08.FR.06)', () => {
    const composite = compositeSchedule({ version: '2.0.1', profiles: tcK41Profiles(1, 'A'), evseId: 1, start: T0, duration: 400, chargingRateUnit: 'A' });
    expect(pairsOf(composite)).toEqual([[0, 6], [55, 10], [115, 8], [175, 10], [255, 8], [295, 10]]);
    expect(composite.notes).toEqual([expect.stringMatching(/^TxProfile 3 \(stack 0, EVSE 1\) left out: no transaction runs there/)]);
  });

  it('TC_K_21_CS: a Relative TxDefaultProfile valid from 300 s on limits only from then (K01.FR.36)', () => {
    const x = 2;
    const profiles = [installed(1, 'TxDefault', { validFrom: at(T0, 300), periods: periods([0, 6]) })];
    const composite = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: at(T0, x), duration: 400, chargingRateUnit: 'A' });
    expect(pairsOf(composite)).toEqual([[0, null], [300 - x, 6]]);
  });

  it('TC_K_22_CS: a TxDefaultProfile on EVSE 0 stops at validTo (K01.FR.37); for EVSE 0 its limit counts once per EVSE (K08.FR.03)', () => {
    const x = 2;
    const profiles = [installed(0, 'TxDefault', { validFrom: at(T0, -DEVIATION), validTo: at(T0, 300), startSchedule: T0, periods: periods([0, 6]) })];
    const request = { version: '2.0.1' as const, profiles, start: at(T0, x), duration: 400, chargingRateUnit: 'A' as const, evseIds: [1, 2] };
    expect(pairsOf(compositeSchedule({ ...request, evseId: 1 }))).toEqual([[0, 6], [300 - x, null]]);
    expect(pairsOf(compositeSchedule({ ...request, evseId: 2 }))).toEqual([[0, 6], [300 - x, null]]);
    expect(pairsOf(compositeSchedule({ ...request, evseId: 0 }))).toEqual([[0, 12], [300 - x, null]]);
  });

  it('TC_K_23_CS (errata §6.2.67): a schedule whose startSchedule is 60 s ahead limits only from then (K01.FR.30)', () => {
    const x = 2;
    const profiles = [installed(1, 'TxDefault', { validFrom: at(T0, 50), validTo: at(T0, DEVIATION + 400), startSchedule: at(T0, 60), periods: periods([0, 6]) })];
    expect(pairsOf(compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: at(T0, x), duration: 300, chargingRateUnit: 'A' }))).toEqual([[0, null], [60 - x, 6]]);
  });

  it('TC_K_28_CS: a TxDefaultProfile set during a transaction applies to it (K01.FR.32)', () => {
    const profiles = [installed(1, 'TxDefault', { validFrom: at(T0, -DEVIATION), validTo: at(T0, DEVIATION + 300), startSchedule: at(T0, -DEVIATION), duration: 300, periods: periods([0, 6]) })];
    const composite = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 300, chargingRateUnit: 'A', transactions: [{ evseId: 1, chargingStart: at(T0, -100) }] });
    expect(pairsOf(composite)).toEqual([[0, 6], [295, null]]);
  });

  it('TC_K_09_CS: with the TxDefaultProfile the limit is 6; once it is cleared, no profile limits the EVSE (K10.FR.05)', () => {
    const profiles = [installed(1, 'TxDefault', { startSchedule: T0, duration: 400 + DEVIATION, periods: periods([0, 6]) })];
    const request = { version: '2.0.1' as const, evseId: 1, start: at(T0, 1), duration: 300, chargingRateUnit: 'A' as const };
    expect(pairsOf(compositeSchedule({ ...request, profiles }))).toEqual([[0, 6]]);
    expect(pairsOf(compositeSchedule({ ...request, profiles: [] }))).toEqual([[0, null]]);
  });

  it('TC_K_39_CS: no profile installed: one period from 0, limited by the station alone', () => {
    const composite = compositeSchedule({ version: '2.0.1', profiles: [], evseId: 0, duration: 300, chargingRateUnit: 'W' }, { clock: () => T0 });
    expect(composite).toEqual({ evseId: 0, scheduleStart: T0, duration: 300, chargingRateUnit: 'W', notes: [], periods: [{ startPeriod: 0, limit: null, numberPhases: 3, limitedBy: 'no charging profile' }] });
  });

  it('TC_K_60_CS / TC_K_37_CS: a Relative TxProfile starts with charging, not with the request', () => {
    const profiles = [installed(1, 'Tx', { transactionId: 'tx-1', periods: periods([0, 16], [600, 8]) })];
    const composite = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 900, transactions: [{ evseId: 1, transactionId: 'tx-1', chargingStart: at(T0, -300) }] });
    expect(pairsOf(composite)).toEqual([[0, 16], [300, 8]]);
  });
});

describe('composite schedule: OCPP 2.0.1 Part 2 block K examples', () => {
  it('§3.6 Example Charging Profile (also 1.6 §3.13.7): a daily recurring TxDefaultProfile, 11 kW at night and 6 kW 08:00-20:00', () => {
    const profiles = [installed(0, 'TxDefault', {
      id: 100, kind: 'Recurring', recurrency: 'Daily', startSchedule: Date.parse('2013-01-01T00:00Z'), duration: 86400, unit: 'W',
      periods: periods([0, 11000, 3], [28800, 6000, 3], [72000, 11000, 3]),
    })];
    const start = Date.parse('2026-12-03T06:00:00Z');
    const watts = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start, duration: 2 * 86400, chargingRateUnit: 'W' });
    expect(pairsOf(watts)).toEqual([[0, 11000], [7200, 6000], [50400, 11000], [93600, 6000], [136800, 11000]]);
    const amps = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start, duration: 86400, chargingRateUnit: 'A' });
    expect(pairsOf(amps)).toEqual([[0, 15.942], [7200, 8.696], [50400, 15.942]]);
  });

  // The document prints duration 1080 for stack #1, though it says 17:00h-20:00h (3 h = 10800 s); this uses the 3 h.
  const stacked = [
    installed(0, 'TxDefault', { id: 10, stackLevel: 1, kind: 'Recurring', recurrency: 'Daily', startSchedule: Date.parse('2020-01-09T17:00:00Z'), duration: 10800, unit: 'W', periods: periods([0, 2000]) }),
    installed(0, 'TxDefault', { id: 11, stackLevel: 2, kind: 'Recurring', recurrency: 'Weekly', startSchedule: Date.parse('2020-01-05T00:00:00Z'), duration: 86400, unit: 'W', periods: periods([0, 999999]) }),
    installed(0, 'TxDefault', { id: 12, stackLevel: 3, validFrom: Date.parse('2020-01-01T00:00:00Z'), validTo: Date.parse('2021-01-01T00:00:00Z'), startSchedule: Date.parse('2020-12-25T00:00:00Z'), duration: 86400, unit: 'W', periods: periods([0, 999999]) }),
  ];
  const eveningOf = (day: string) => compositeSchedule({ version: '2.0.1', profiles: stacked, evseId: 1, start: Date.parse(`${day}T16:00:00Z`), duration: 5 * 3600, chargingRateUnit: 'W' });

  it('§3.6.1 Example Using Stacked Charging Profiles: on a weekday 2 kW from 17:00 to 20:00, no limit around it', () => {
    expect(pairsOf(eveningOf('2020-03-04'))).toEqual([[0, null], [3600, 2000], [14400, null]]);
  });

  it('§3.6.1: on a Sunday the weekly stack #2 overrules the daily limit all day', () => {
    expect(pairsOf(eveningOf('2020-03-08'))).toEqual([[0, 999999]]);
    const saturdayNight = compositeSchedule({ version: '2.0.1', profiles: stacked, evseId: 1, start: Date.parse('2020-03-07T23:00:00Z'), duration: 7200, chargingRateUnit: 'W' });
    expect(pairsOf(saturdayNight)).toEqual([[0, null], [3600, 999999]]);
  });

  it('§3.6.1: Christmas Day 2020 is free of the limit by stack #3; Christmas 2021 is not (validTo)', () => {
    expect(pairsOf(eveningOf('2020-12-25'))).toEqual([[0, 999999]]);
    expect(eveningOf('2020-12-25').periods[0]!.limitedBy).toBe('TxDefaultProfile 12 (stack 3, station)');
    expect(pairsOf(eveningOf('2021-12-24'))).toEqual([[0, null], [3600, 2000], [14400, null]]);
  });

  const situation = [
    installed(0, 'StationMax', { stackLevel: 0, startSchedule: T0, periods: periods([0, 32]) }),
    installed(0, 'ExternalConstraints', { stackLevel: 1, startSchedule: T0, periods: periods([0, 25]) }),
    installed(1, 'TxDefault', { stackLevel: 1, startSchedule: T0, periods: periods([0, 10]) }),
    installed(1, 'TxDefault', { stackLevel: 2, startSchedule: T0, periods: periods([0, 20]) }),
  ];

  it('§3.5 Figure 99 (situation 1; the limits are ours, the figure gives none): the lowest of the max, the leading TxDefaultProfile (stack 2) and the external constraints', () => {
    const composite = compositeSchedule({ version: '2.0.1', profiles: situation, evseId: 1, start: T0, duration: 60 });
    expect(pairsOf(composite)).toEqual([[0, 20]]);
    expect(composite.periods[0]!.limitedBy).toMatch(/^TxDefaultProfile \d+ \(stack 2, EVSE 1\)$/);
  });

  it('§3.5 Figure 100 (situation 2, limits ours): a TxProfile overrules every TxDefaultProfile; the external constraints then limit', () => {
    const profiles = [...situation, installed(1, 'Tx', { stackLevel: 1, startSchedule: T0, periods: periods([0, 28]) })];
    const composite = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 60, transactions: [{ evseId: 1, chargingStart: T0 }] });
    expect(pairsOf(composite)).toEqual([[0, 25]]);
    expect(composite.periods[0]!.limitedBy).toMatch(/^ChargingStationExternalConstraints \d+ \(stack 1, station\)$/);
  });

  it('errata 2025-09 "Avoiding phase conflicts" (2.1 Part 2 §3.8): the fewest phases win, and a W limit is converted at them', () => {
    const profiles = [
      installed(0, 'StationMax', { startSchedule: T0, periods: periods([0, 16, 3]) }),
      installed(1, 'Tx', { startSchedule: T0, unit: 'W', periods: periods([0, 11040, 1]) }),
    ];
    const transactions = [{ evseId: 1, chargingStart: T0 }];
    const watts = compositeSchedule({ version: '2.0.1', profiles, evseId: 1, start: T0, duration: 60, chargingRateUnit: 'W', transactions });
    // 16 A on the one phase in use is 3680 W, below the TxProfile's 11040 W (SC.01).
    expect(watts.periods).toEqual([{ startPeriod: 0, limit: 3680, numberPhases: 1, limitedBy: expect.stringMatching(/^ChargingStationMaxProfile/) }]);
    expect(compositeLimitAt({ version: '2.0.1', profiles, evseId: 1, chargingRateUnit: 'A', duration: 0, transactions }, at(T0, 10)).limit).toBe(16);
  });

  it('errata 2025-09 §6.2.69 (limit multiplier) and K01.FR.50: W = A x 230 V x phases', () => {
    expect(convertLimit(6, 'A', 'W', 2)).toBe(2760);
    expect(convertLimit(6, 'A', 'W', 1)).toBe(1380);
    expect(convertLimit(6, 'A', 'A', 3)).toBe(6);
    expect(convertLimit(4140, 'W', 'A', 3)).toBe(6);
    expect(convertLimit(4140, 'W', 'A', 3, 120)).toBeCloseTo(11.5, 9);
  });
});

describe('composite schedule: OCPP 1.6 §3.13 rules and examples', () => {
  it('§3.13.3: the composite is the lower of ChargePointMaxProfile and TxDefaultProfile at every instant', () => {
    const profiles = [
      installed(0, 'StationMax', { startSchedule: T0, periods: periods([0, 20], [600, 10]) }),
      installed(0, 'TxDefault', { startSchedule: T0, periods: periods([0, 16], [300, 32]) }),
    ];
    const composite = compositeSchedule({ version: '1.6', profiles, evseId: 1, start: T0, duration: 900 });
    expect(pairsOf(composite)).toEqual([[0, 16], [300, 20], [600, 10]]);
    expect(composite.periods[0]!.limitedBy).toMatch(/^TxDefaultProfile \d+ \(stack 0, station\)$/);
    expect(composite.periods[2]!.limitedBy).toMatch(/^ChargePointMaxProfile/);
  });

  it('§3.13.1: a TxProfile overrules the TxDefaultProfile, but only while a transaction runs on its connector', () => {
    const profiles = [
      installed(0, 'TxDefault', { startSchedule: T0, periods: periods([0, 10]) }),
      installed(1, 'Tx', { transactionId: '7', periods: periods([0, 16]) }),
    ];
    const request = { version: '1.6' as const, profiles, evseId: 1, start: T0, duration: 60 };
    expect(pairsOf(compositeSchedule({ ...request, transactions: [{ evseId: 1, transactionId: '7', chargingStart: T0 }] }))).toEqual([[0, 16]]);
    expect(pairsOf(compositeSchedule(request))).toEqual([[0, 10]]);
    expect(pairsOf(compositeSchedule({ ...request, transactions: [{ evseId: 1, transactionId: '8', chargingStart: T0 }] }))).toEqual([[0, 10]]);
  });

  it('§3.13.1: a connector\'s own TxDefaultProfile replaces connector 0\'s at the same stack level, for that connector only', () => {
    const profiles = [
      installed(0, 'TxDefault', { stackLevel: 0, startSchedule: T0, periods: periods([0, 10]) }),
      installed(2, 'TxDefault', { stackLevel: 0, startSchedule: T0, periods: periods([0, 16]) }),
    ];
    const request = { version: '1.6' as const, profiles, start: T0, duration: 60, evseIds: [1, 2] };
    expect(pairsOf(compositeSchedule({ ...request, evseId: 1 }))).toEqual([[0, 10]]);
    expect(pairsOf(compositeSchedule({ ...request, evseId: 2 }))).toEqual([[0, 16]]);
    expect(pairsOf(compositeSchedule({ ...request, evseId: 0 }))).toEqual([[0, 26]]);
  });

  it('§3.13.2: a profile valid from later leaves the default behaviour until validFrom', () => {
    const profiles = [installed(1, 'TxDefault', { validFrom: at(T0, 120), startSchedule: T0, periods: periods([0, 8]) })];
    expect(pairsOf(compositeSchedule({ version: '1.6', profiles, evseId: 1, start: T0, duration: 300 }))).toEqual([[0, null], [120, 8]]);
  });

  it('§3.13.2 (errata 3.7): a highest stack level without duration never falls back to a lower one', () => {
    const profiles = [
      installed(1, 'TxDefault', { stackLevel: 0, startSchedule: T0, periods: periods([0, 6]) }),
      installed(1, 'TxDefault', { stackLevel: 1, startSchedule: T0, periods: periods([0, 8]) }),
    ];
    expect(pairsOf(compositeSchedule({ version: '1.6', profiles, evseId: 1, start: at(T0, 3600), duration: 86400 * 30 }))).toEqual([[0, 8]]);
  });

  it('§5.16.4 (errata 3.43, 3.44): a recurring schedule shorter than its recurrence falls back to the lower stack; periods past the recurrence never run', () => {
    const profiles = [
      installed(1, 'TxDefault', { stackLevel: 0, startSchedule: T0, periods: periods([0, 16]) }),
      installed(1, 'TxDefault', { stackLevel: 1, kind: 'Recurring', recurrency: 'Daily', startSchedule: T0, duration: 3600, periods: periods([0, 6]) }),
      installed(1, 'TxDefault', { stackLevel: 2, kind: 'Recurring', recurrency: 'Daily', startSchedule: at(T0, 7200), duration: 172800, periods: periods([0, 10], [79200, 4], [90000, 1]) }),
    ];
    // Stack 2 runs from 02:00 for 24 h (its period past 24 h never runs); its 4 A from 00:00 to 02:00 overrules stack 1's 6 A hour.
    const composite = compositeSchedule({ version: '1.6', profiles, evseId: 1, start: T0, duration: 2 * 86400 });
    expect(pairsOf(composite)).toEqual([[0, 6], [3600, 16], [7200, 10], [86400, 4], [93600, 10]]);
  });

  it('§5.7: connectorId 0 reports the total the Charge Point expects to draw, capped by ChargePointMaxProfile', () => {
    const profiles = [
      installed(0, 'StationMax', { startSchedule: T0, periods: periods([0, 20]) }),
      installed(0, 'TxDefault', { startSchedule: T0, periods: periods([0, 16], [600, 6]) }),
    ];
    const composite = compositeSchedule({ version: '1.6', profiles, evseId: 0, start: T0, duration: 900, evseIds: [1, 2] });
    expect(pairsOf(composite)).toEqual([[0, 20], [600, 12]]);
    expect(composite.periods[1]!.limitedBy).toMatch(/^sum of 2 EVSEs/);
  });

  it('1.6 has no external constraints, and a ChargePointMaxProfile belongs on connector 0: the oracle leaves such profiles out and says why', () => {
    const profiles = [
      installed(0, 'ExternalConstraints', { startSchedule: T0, periods: periods([0, 4]) }),
      installed(1, 'StationMax', { startSchedule: T0, periods: periods([0, 5]) }),
    ];
    const composite = compositeSchedule({ version: '1.6', profiles, evseId: 1, start: T0, duration: 60 });
    expect(pairsOf(composite)).toEqual([[0, null]]);
    expect(composite.notes).toHaveLength(2);
  });
});

describe('profiles from the wire', () => {
  it('reads a 1.6 SetChargingProfile.req and a 2.0.1 SetChargingProfileRequest into the same profile', () => {
    const schedule = { startSchedule: '2026-12-03T12:00:00Z', duration: 300, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6000, numberPhases: 3 }] };
    const v16 = installedFromSetChargingProfile('1.6', { connectorId: 1, csChargingProfiles: { chargingProfileId: 4, transactionId: 12, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute', chargingSchedule: schedule } });
    const v201 = installedFromSetChargingProfile('2.0.1', { evseId: 1, chargingProfile: { id: 4, transactionId: '12', stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ id: 1, ...schedule }] } });
    expect(v16).toEqual(v201);
    expect(v16.profile).toMatchObject({ purpose: 'Tx', transactionId: '12', schedule: { startSchedule: T0, duration: 300, chargingRateUnit: 'W', periods: [{ startPeriod: 0, limit: 6000, numberPhases: 3 }] } });
  });

  it('refuses a purpose the version does not have, and a schedule without periods', () => {
    const schedule = { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] };
    expect(() => profileFromWire('1.6', { chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: schedule })).toThrow(ProfileFormatError);
    expect(() => profileFromWire('2.0.1', { id: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [] }] })).toThrow(/chargingSchedulePeriod is empty/);
  });
});
