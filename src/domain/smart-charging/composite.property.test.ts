import { describe, expect, it } from 'vitest';
import { compositeSchedule, convertLimit, type ChargingProfile, type CompositeRequest, type CompositeSchedule, type InstalledProfile, type OngoingTransaction, type ProfilePurpose, type RateUnit } from './index.js';

/**
 * Seeded property checks of the oracle against a deliberately naive re-reading of the rules, evaluated
 * at every whole second of the window (every profile time in these cases is a whole second, so every
 * piece of every schedule is visited).
 */

/** mulberry32: a tiny seeded generator, so a failing case can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const maybe = <T>(make: () => T): T | undefined => (next() < 0.5 ? make() : undefined);
  return { int, pick, maybe, next };
}
type Generator = ReturnType<typeof generator>;

const T0 = Date.parse('2026-12-03T12:00:00Z');
const DAY = 86_400_000;
const WINDOW_S = 600;
const CASES = 300;
const SEED = 20261203;
// Each property evaluates a few hundred thousand instants: seconds alone, minutes on a loaded CI host.
const PROPERTY_TIMEOUT_MS = 60_000;

function randomProfile(random: Generator, version: CompositeRequest['version'], id: number, stackLevel: number): InstalledProfile {
  const purposes: ProfilePurpose[] = version === '1.6' ? ['StationMax', 'TxDefault', 'Tx'] : ['StationMax', 'TxDefault', 'Tx', 'ExternalConstraints'];
  const purpose = random.pick(purposes);
  const evseId = purpose === 'StationMax' ? 0 : purpose === 'Tx' ? random.int(1, 2) : random.int(0, 2);
  const kind = random.pick(['Absolute', 'Relative', 'Recurring'] as const);
  const startSchedule = kind === 'Relative' ? undefined : kind === 'Absolute' ? T0 + random.int(-300, 600) * 1000 : T0 - random.int(1, 3) * DAY + random.int(0, 600) * 1000;
  const unit = random.pick(['A', 'W'] as const);
  let startPeriod = 0;
  const periods = Array.from({ length: random.int(1, 4) }, (_, index) => {
    if (index > 0) startPeriod += random.int(1, 300);
    const numberPhases = random.maybe(() => random.pick([1, 3]));
    const amps = random.int(0, 32);
    return { startPeriod, limit: unit === 'A' ? amps : amps * 230 * (numberPhases ?? 3), numberPhases };
  });
  const validFrom = random.maybe(() => T0 + random.int(-100, 500) * 1000);
  const profile: ChargingProfile = {
    id,
    stackLevel,
    purpose,
    kind,
    recurrency: kind === 'Recurring' ? 'Daily' : undefined,
    validFrom,
    validTo: random.maybe(() => (validFrom ?? T0) + random.int(10, 600) * 1000),
    transactionId: purpose === 'Tx' ? random.maybe(() => random.pick(['a', 'b'])) : undefined,
    schedule: { startSchedule, duration: random.maybe(() => random.int(30, 700)), chargingRateUnit: unit, periods },
  };
  return { evseId, profile };
}

function randomRequest(random: Generator, distinctStackLevels: boolean): CompositeRequest {
  const version = random.pick(['1.6', '2.0.1'] as const);
  const count = random.int(1, 6);
  const stackLevels = [0, 1, 2, 3, 4, 5].sort(() => random.next() - 0.5);
  const profiles = Array.from({ length: count }, (_, index) => randomProfile(random, version, index + 1, distinctStackLevels ? stackLevels[index]! : random.int(0, 2)));
  const transactions: OngoingTransaction[] = [1, 2].flatMap((evseId) => (random.next() < 0.6 ? [{ evseId, transactionId: random.maybe(() => random.pick(['a', 'b'])), chargingStart: T0 + random.int(-300, 100) * 1000 }] : []));
  return { version, profiles, evseId: random.int(0, 2), start: T0 + random.int(0, 100) * 1000, duration: WINDOW_S, chargingRateUnit: random.pick(['A', 'W'] as const), transactions, evseIds: [1, 2] };
}

/** What one profile says at an instant, read naively: walk the recurrences one by one. */
function naiveValue({ profile }: InstalledProfile, t: number, relativeStart: number) {
  if (profile.validFrom !== undefined && t < profile.validFrom) return undefined;
  if (profile.validTo !== undefined && t >= profile.validTo) return undefined;
  const { schedule } = profile;
  let anchor = profile.kind === 'Relative' || schedule.startSchedule === undefined ? relativeStart : schedule.startSchedule;
  let end = schedule.duration === undefined ? Infinity : schedule.duration * 1000;
  if (profile.kind === 'Recurring' && schedule.startSchedule !== undefined) {
    while (anchor + DAY <= t) anchor += DAY;
    end = Math.min(end, DAY);
  }
  if (t < anchor || t - anchor >= end) return undefined;
  const period = schedule.periods.filter(({ startPeriod }) => startPeriod * 1000 <= t - anchor && startPeriod * 1000 < end).at(-1);
  return period && { limit: period.limit, unit: schedule.chargingRateUnit, phases: period.numberPhases ?? 3, stackLevel: profile.stackLevel };
}

type Value = NonNullable<ReturnType<typeof naiveValue>>;

/** The value of the highest stack level among those that say something (stack levels are distinct here). */
function naiveLeading(profiles: InstalledProfile[], t: number, relativeStart: number): Value | undefined {
  return profiles.map((installed) => naiveValue(installed, t, relativeStart)).filter((value): value is Value => value !== undefined).sort((a, b) => b.stackLevel - a.stackLevel)[0];
}

/** Every leading limit that applies at t, grouped: the station's caps, and per EVSE the limits on it. */
function naiveApplicable(request: CompositeRequest, t: number) {
  const external = request.version === '1.6' ? 'none' : 'ExternalConstraints';
  const on = (purpose: string, evse: (id: number) => boolean) => request.profiles.filter(({ evseId, profile }) => profile.purpose === purpose && evse(evseId));
  const station = [naiveLeading(on('StationMax', (id) => id === 0), t, request.start!), naiveLeading(on(external, (id) => id === 0), t, request.start!)];
  const evses = (request.evseId === 0 ? [1, 2] : [request.evseId]).map((evseId) => {
    const transaction = request.transactions!.find((ongoing) => ongoing.evseId === evseId);
    const relativeStart = transaction?.chargingStart ?? request.start!;
    const tx = transaction ? on('Tx', (id) => id === evseId).filter(({ profile }) => !(profile.transactionId && transaction.transactionId && profile.transactionId !== transaction.transactionId)) : [];
    const txOrDefault = naiveLeading(tx, t, relativeStart) ?? naiveLeading(on('TxDefault', (id) => id === 0 || id === evseId), t, relativeStart);
    return [txOrDefault, naiveLeading(on(external, (id) => id === evseId), t, relativeStart)].filter((value): value is Value => value !== undefined);
  });
  return { station: station.filter((value): value is Value => value !== undefined), evses };
}

function naiveLimit(request: CompositeRequest, t: number): { limit: number | null; phases: number; each: number[] } {
  const { station, evses } = naiveApplicable(request, t);
  const all = [...station, ...evses.flat()];
  const phases = Math.min(3, ...all.map((value) => value.phases));
  const inUnit = (value: Value) => convertLimit(value.limit, value.unit, request.chargingRateUnit as RateUnit, phases);
  const each = all.map(inUnit);
  const caps = station.map(inUnit);
  if (evses.every((values) => values.length > 0)) caps.push(evses.map((values) => Math.min(...values.map(inUnit))).reduce((sum, limit) => sum + limit, 0));
  return { limit: caps.length === 0 ? null : Math.min(...caps), phases: all.length === 0 ? 3 : phases, each };
}

function periodAt(composite: CompositeSchedule, t: number) {
  const offset = (t - composite.scheduleStart) / 1000;
  return composite.periods.filter(({ startPeriod }) => startPeriod <= offset).at(-1)!;
}

interface SeededCase {
  request: CompositeRequest;
  composite: CompositeSchedule;
  /** The naive reading at each whole second of the window. */
  naive: Array<ReturnType<typeof naiveLimit>>;
}

function seededCases(distinctStackLevels: boolean): SeededCase[] {
  const random = generator(SEED + (distinctStackLevels ? 0 : 1));
  return Array.from({ length: CASES }, () => {
    const request = randomRequest(random, distinctStackLevels);
    // Only the distinct-stack cases are compared with the naive reading (it takes no side on ties).
    const naive = distinctStackLevels ? Array.from({ length: WINDOW_S }, (_, second) => naiveLimit(request, request.start! + second * 1000)) : [];
    return { request, composite: compositeSchedule(request), naive };
  });
}

// The cases with distinct stack levels are read naively once, for the properties that compare with that reading.
let distinctCases: SeededCase[] | undefined;

function eachCase(check: (seeded: SeededCase) => void, cases: SeededCase[] = (distinctCases ??= seededCases(true))) {
  cases.forEach((seeded, index) => {
    try {
      check(seeded);
    } catch (error) {
      throw new Error(`case ${index} of seed ${SEED}: ${JSON.stringify(seeded.request)}\n${(error as Error).message}`);
    }
  });
}

describe(`composite schedule: ${CASES} seeded cases per property (seed ${SEED})`, () => {
  it('never exceeds any applicable limit, and equals the lowest of them, at every second of the window', () => {
    eachCase(({ request, composite, naive }) => {
      // Plain comparisons, one expect per case: 600 expects per case would dominate the run time.
      const wrong: string[] = [];
      naive.forEach((expected, second) => {
        const { limit, numberPhases } = periodAt(composite, request.start! + second * 1000);
        const exceeds = request.evseId !== 0 && expected.each.some((applicable) => limit === null || limit > applicable + 1e-9);
        const differs = expected.limit === null ? limit !== null : limit === null || Math.abs(limit - expected.limit) > 1e-9;
        if (exceeds || differs || numberPhases !== expected.phases) wrong.push(`+${second} s: composite ${limit} (${numberPhases} ph), applicable ${JSON.stringify(expected)}`);
      });
      expect(wrong).toEqual([]);
    });
  }, PROPERTY_TIMEOUT_MS);

  it('loses no boundary: every change of the lowest limit is a period start, and periods start at 0 and increase inside the window', () => {
    eachCase(({ composite, naive }) => {
      const starts = composite.periods.map(({ startPeriod }) => startPeriod);
      expect(starts[0]).toBe(0);
      expect(starts.every((start, index) => index === 0 || (start > starts[index - 1]! && start < WINDOW_S))).toBe(true);
      const changes = naive.flatMap((now, second) => (second > 0 && (naive[second - 1]!.limit !== now.limit || naive[second - 1]!.phases !== now.phases) ? [second] : []));
      expect(changes.filter((second) => !starts.includes(second))).toEqual([]);
    });
  }, PROPERTY_TIMEOUT_MS);

  it('merges adjacent periods with equal limits and phases', () => {
    eachCase(({ composite }) => {
      composite.periods.forEach((period, index) => {
        const previous = composite.periods[index - 1];
        if (previous) expect(previous.limit !== period.limit || previous.numberPhases !== period.numberPhases).toBe(true);
      });
    });
  });

  it('does not depend on the order in which the profiles were installed, equal stack levels included', () => {
    const random = generator(SEED + 2);
    eachCase(({ request, composite }) => {
      const shuffled = [...request.profiles].sort(() => random.next() - 0.5);
      const again = compositeSchedule({ ...request, profiles: shuffled });
      expect(again.periods.map(({ startPeriod, limit, numberPhases }) => [startPeriod, limit, numberPhases])).toEqual(composite.periods.map(({ startPeriod, limit, numberPhases }) => [startPeriod, limit, numberPhases]));
    }, seededCases(false));
  }, PROPERTY_TIMEOUT_MS);
});
