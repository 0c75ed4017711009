import type { OcppVersion } from '../../protocol/index.js';

/** A charging rate unit: amperes per phase or watts in total (1.6 §7.12, 2.0.1 ChargingRateUnitEnumType). */
export type RateUnit = 'A' | 'W';

/**
 * The purpose of a charging profile, one name for both versions: `StationMax` is 1.6's
 * ChargePointMaxProfile and 2.x's ChargingStationMaxProfile; `ExternalConstraints` exists in 2.x only.
 */
export type ProfilePurpose = 'StationMax' | 'TxDefault' | 'Tx' | 'ExternalConstraints';

/** How a schedule is anchored in time (1.6 §7.9, 2.0.1 Part 2 §3.3). */
export type ProfileKind = 'Absolute' | 'Recurring' | 'Relative';

/** One period of a schedule: from `startPeriod` seconds after the schedule starts, this limit. */
export interface SchedulePeriod {
  startPeriod: number;
  limit: number;
  /** Absent: 3 (1.6 §7.12, 2.0.1 K01.FR.49). */
  numberPhases?: number;
}

/** A charging schedule as a profile carries it, times as epoch milliseconds. */
export interface Schedule {
  /** Absolute and Recurring kinds only (K01.FR.40); a Relative schedule starts with charging. */
  startSchedule?: number;
  /** Seconds; absent: the last period lasts on (1.6 §7.13, 2.0.1 ChargingScheduleType). */
  duration?: number;
  chargingRateUnit: RateUnit;
  minChargingRate?: number;
  periods: SchedulePeriod[];
}

/** A charging profile as the oracle reads it: both versions' fields under one spelling. */
export interface ChargingProfile {
  id: number;
  stackLevel: number;
  purpose: ProfilePurpose;
  kind: ProfileKind;
  recurrency?: 'Daily' | 'Weekly';
  /** Epoch milliseconds; valid from this instant on (K01.FR.36). */
  validFrom?: number;
  /** Epoch milliseconds; valid before this instant (K01.FR.37). */
  validTo?: number;
  /** TxProfile only: the transaction it was set for (1.6 integer, 2.x string; compared as text). */
  transactionId?: string;
  schedule: Schedule;
}

/** A profile installed on an EVSE (2.x evseId; 1.6 connectorId). 0 is the whole station. */
export interface InstalledProfile {
  evseId: number;
  profile: ChargingProfile;
}

const PURPOSE_OF_WIRE: Record<string, ProfilePurpose> = {
  ChargePointMaxProfile: 'StationMax',
  ChargingStationMaxProfile: 'StationMax',
  TxDefaultProfile: 'TxDefault',
  TxProfile: 'Tx',
  ChargingStationExternalConstraints: 'ExternalConstraints',
};

const WIRE_OF_PURPOSE: Record<'1.6' | '2.x', Partial<Record<ProfilePurpose, string>>> = {
  '1.6': { StationMax: 'ChargePointMaxProfile', TxDefault: 'TxDefaultProfile', Tx: 'TxProfile' },
  '2.x': { StationMax: 'ChargingStationMaxProfile', TxDefault: 'TxDefaultProfile', Tx: 'TxProfile', ExternalConstraints: 'ChargingStationExternalConstraints' },
};

/** The wire name of a purpose in a version, e.g. `ChargePointMaxProfile` in 1.6. Undefined: the version has no such purpose. */
export function wirePurposeName(version: OcppVersion, purpose: ProfilePurpose): string | undefined {
  return WIRE_OF_PURPOSE[version === '1.6' ? '1.6' : '2.x'][purpose];
}

/** A malformed profile: the oracle refuses to guess. */
export class ProfileFormatError extends Error {}

type Json = Record<string, unknown>;

function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProfileFormatError(`${what} is not an object`);
  return value as Json;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ProfileFormatError(`${what} is not a number`);
  return value;
}

function optionalNumber(value: unknown, what: string): number | undefined {
  return value === undefined ? undefined : integer(value, what);
}

function optionalTime(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new ProfileFormatError(`${what} is not a date-time`);
  return time;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new ProfileFormatError(`${what} is ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`);
  return value as T;
}

/** A ChargingSchedule of either version's wire form. */
export function scheduleFromWire(wire: unknown, what = 'chargingSchedule'): Schedule {
  const fields = record(wire, what);
  const periods = fields['chargingSchedulePeriod'];
  if (!Array.isArray(periods) || periods.length === 0) throw new ProfileFormatError(`${what}.chargingSchedulePeriod is empty`);
  return {
    startSchedule: optionalTime(fields['startSchedule'], `${what}.startSchedule`),
    duration: optionalNumber(fields['duration'], `${what}.duration`),
    chargingRateUnit: oneOf(fields['chargingRateUnit'], ['A', 'W'] as const, `${what}.chargingRateUnit`),
    minChargingRate: optionalNumber(fields['minChargingRate'], `${what}.minChargingRate`),
    periods: periods.map((period, index) => {
      const where = `${what}.chargingSchedulePeriod[${index}]`;
      const item = record(period, where);
      return {
        startPeriod: integer(item['startPeriod'], `${where}.startPeriod`),
        limit: integer(item['limit'], `${where}.limit`),
        numberPhases: optionalNumber(item['numberPhases'], `${where}.numberPhases`),
      };
    }),
  };
}

/**
 * A ChargingProfile as a version's messages carry it: 1.6 csChargingProfiles (§7.8: chargingProfileId,
 * one chargingSchedule) or 2.x chargingProfile (id, chargingSchedule 1..3, of which the first is the one
 * in force outside an ISO 15118 negotiation, K01.FR.34).
 */
export function profileFromWire(version: OcppVersion, wire: unknown): ChargingProfile {
  const fields = record(wire, 'chargingProfile');
  const schedules = fields['chargingSchedule'];
  const schedule = version === '1.6' ? schedules : Array.isArray(schedules) ? schedules[0] : undefined;
  const purposeName = fields['chargingProfilePurpose'];
  const purpose = typeof purposeName === 'string' ? PURPOSE_OF_WIRE[purposeName] : undefined;
  if (!purpose || wirePurposeName(version, purpose) !== purposeName) throw new ProfileFormatError(`chargingProfilePurpose ${JSON.stringify(purposeName)} is not a ${version} purpose`);
  const transactionId = fields['transactionId'];
  // 1.6 §7.8 spells the field recurrencyKind; so do the 2.x schemas.
  const recurrency = fields['recurrencyKind'];
  return {
    id: integer(fields[version === '1.6' ? 'chargingProfileId' : 'id'], 'chargingProfile id'),
    stackLevel: integer(fields['stackLevel'], 'chargingProfile.stackLevel'),
    purpose,
    kind: oneOf(fields['chargingProfileKind'], ['Absolute', 'Recurring', 'Relative'] as const, 'chargingProfile.chargingProfileKind'),
    recurrency: recurrency === undefined ? undefined : oneOf(recurrency, ['Daily', 'Weekly'] as const, 'chargingProfile.recurrencyKind'),
    validFrom: optionalTime(fields['validFrom'], 'chargingProfile.validFrom'),
    validTo: optionalTime(fields['validTo'], 'chargingProfile.validTo'),
    transactionId: transactionId === undefined ? undefined : String(transactionId),
    schedule: scheduleFromWire(schedule),
  };
}

/**
 * The profile a SetChargingProfile request installs: 1.6 `{connectorId, csChargingProfiles}`,
 * 2.x `{evseId, chargingProfile}`.
 */
export function installedFromSetChargingProfile(version: OcppVersion, request: unknown): InstalledProfile {
  const fields = record(request, 'SetChargingProfile request');
  return version === '1.6'
    ? { evseId: integer(fields['connectorId'], 'connectorId'), profile: profileFromWire(version, fields['csChargingProfiles']) }
    : { evseId: integer(fields['evseId'], 'evseId'), profile: profileFromWire(version, fields['chargingProfile']) };
}
