import { describe, expect, it } from 'vitest';
import { profileFromWire, type InstalledProfile } from './profile.js';
import { profileRuleProblems } from './profile-rules.js';

type Json = Record<string, unknown>;

const NOW = '2026-01-01T12:00:00.000Z';
const schedule = (fields: Json = {}): Json => ({ id: 1, startSchedule: NOW, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }], ...fields });
const profile = (fields: Json = {}): Json => ({ id: 7, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: [schedule()], ...fields });
const set = (evseId: number, fields: Json = {}, held: InstalledProfile[] = []) => profileRuleProblems('2.0.1', 'SetChargingProfile', { evseId, chargingProfile: profile(fields) }, { held, at: Date.parse(NOW) });
const start = (fields: Json) => profileRuleProblems('2.0.1', 'RequestStartTransaction', { idToken: { idToken: 'A', type: 'ISO14443' }, remoteStartId: 1, evseId: 1, chargingProfile: profile(fields) });
const relative = { chargingProfileKind: 'Relative', chargingSchedule: [schedule({ startSchedule: undefined })] };
const installed = (evseId: number, fields: Json): InstalledProfile => ({ evseId, profile: profileFromWire('2.0.1', profile(fields)) });

describe('profileRuleProblems: what Part 2 asks of a profile the CSMS sends', () => {
  it('finds nothing wrong with the profiles Part 6 asks for (TC_K_01, 03, 19, 37, 60_CSMS)', () => {
    expect(set(1)).toEqual([]);
    expect(set(0, { chargingProfilePurpose: 'ChargingStationMaxProfile' })).toEqual([]);
    expect(set(1, { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' })).toEqual([]);
    expect(start({ chargingProfilePurpose: 'TxProfile', ...relative })).toEqual([]);
    expect(set(1, { chargingProfilePurpose: 'TxProfile', transactionId: 'TX-1', ...relative })).toEqual([]);
  });

  it('names each broken rule by its requirement', () => {
    const cases: [string[], string][] = [
      [set(1, { chargingSchedule: [schedule({ chargingSchedulePeriod: [{ startPeriod: 5, limit: 6 }] })] }), 'K01.FR.31: the first chargingSchedulePeriod starts at 5 s, not 0'],
      [set(1, { chargingSchedule: [schedule({ chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }, { startPeriod: 600, limit: 8 }, { startPeriod: 300, limit: 10 }] })] }), 'K01.FR.35: the chargingSchedulePeriods are not in increasing order of startPeriod'],
      [set(1, { chargingSchedule: [schedule({ startSchedule: undefined })] }), 'K01.FR.40: a Absolute profile without startSchedule'],
      [set(1, { chargingProfileKind: 'Relative' }), 'K01.FR.41: a Relative profile with a startSchedule'],
      [set(1, { chargingProfileKind: 'Recurring' }), 'ChargingProfileType: a Recurring profile without recurrencyKind'],
      [set(1, { recurrencyKind: 'Daily' }), 'ChargingProfileType: a Absolute profile with recurrencyKind'],
      [set(1, { validFrom: NOW, validTo: NOW }), 'K01.FR.36/37: validTo is not after validFrom, so the profile is never valid'],
      [set(0, { chargingProfilePurpose: 'ChargingStationExternalConstraints' }), 'K01.FR.22: the CSMS sent a ChargingStationExternalConstraints profile'],
      [set(0, { chargingProfilePurpose: 'ChargingStationMaxProfile', ...relative }), 'K01.FR.38: a ChargingStationMaxProfile of kind Relative'],
      [set(1, { chargingProfilePurpose: 'ChargingStationMaxProfile' }), 'SetChargingProfileRequest: a ChargingStationMaxProfile on EVSE 1, not 0'],
      [set(0, { chargingProfilePurpose: 'TxProfile', transactionId: 'TX-1' }), 'K01.FR.16: a TxProfile on EVSE 0'],
      [set(1, { chargingProfilePurpose: 'TxProfile' }), 'K01.FR.03: a TxProfile without transactionId'],
      [set(1, { transactionId: 'TX-1' }), 'ChargingProfileType: a TxDefaultProfile with a transactionId (only a TxProfile names one)'],
      [start({ ...relative }), 'K05.FR.02, F01.FR.09: the profile of RequestStartTransaction is a TxDefaultProfile, not a TxProfile'],
      [start({ chargingProfilePurpose: 'TxProfile', transactionId: 'TX-1', ...relative }), 'F01.FR.11: the profile of RequestStartTransaction names transaction TX-1'],
      [set(1, { chargingSchedule: [schedule(), schedule({ id: 2 })] }), 'K01.FR.34: 2 chargingSchedules, not one'],
      [set(1, { chargingSchedule: [schedule({ chargingSchedulePeriod: [{ startPeriod: 0, limit: 6, phaseToUse: 1 }] })] }), 'K01.FR.19: phaseToUse 1 with numberPhases 3'],
    ];
    for (const [problems, expected] of cases) expect(problems).toEqual([expected]);
  });

  it('K01.FR.06: another id at the same stack level, purpose and EVSE clashes while both are valid from the request on; the same id replaces', () => {
    const held = [installed(1, { id: 3, validTo: '2026-01-01T11:00:00Z' }), installed(1, { id: 4 })];
    expect(set(1, { id: 4 }, held)).toEqual([]);
    expect(set(2, { id: 5 }, held)).toEqual([]);
    expect(set(1, { id: 5, stackLevel: 1 }, held)).toEqual([]);
    expect(set(1, { id: 5, validFrom: '2026-01-01T10:00:00Z', validTo: '2026-01-01T10:30:00Z' }, held)).toEqual([]);
    expect(set(1, { id: 5 }, held)).toEqual(['K01.FR.06: profile 4 on EVSE 1 already has stackLevel 0 and purpose TxDefaultProfile in an overlapping validity period']);
  });

  it('K01.FR.39: two TxProfiles of one transaction at one stack level clash', () => {
    const held = [installed(1, { id: 3, chargingProfilePurpose: 'TxProfile', transactionId: 'TX-1', ...relative })];
    expect(set(1, { id: 4, chargingProfilePurpose: 'TxProfile', transactionId: 'TX-2', ...relative }, held)).toEqual([]);
    expect(set(1, { id: 4, chargingProfilePurpose: 'TxProfile', transactionId: 'TX-1', ...relative }, held)).toEqual(['K01.FR.39: TxProfile 3 already has stackLevel 0 for transaction TX-1']);
  });

  it('reports a profile the oracle cannot read as one problem, and reads 1.6 messages', () => {
    expect(set(1, { chargingProfilePurpose: 'Other' })).toEqual(['the profile cannot be read: chargingProfilePurpose "Other" is not a 2.0.1 purpose']);
    expect(profileRuleProblems('2.0.1', 'RequestStartTransaction', { evseId: 1 })).toEqual(['the profile cannot be read: RequestStartTransaction carries no chargingProfile']);
    const profile16 = { chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] } };
    expect(profileRuleProblems('1.6', 'RemoteStartTransaction', { idTag: 'A', connectorId: 1, chargingProfile: profile16 })).toEqual([]);
    expect(profileRuleProblems('1.6', 'SetChargingProfile', { connectorId: 1, csChargingProfiles: profile16 })).toEqual(['K01.FR.03: a TxProfile without transactionId']);
  });
});
