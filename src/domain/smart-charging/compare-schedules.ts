import type { RateUnit } from './profile.js';
import { convertLimit, DEFAULT_NUMBER_PHASES, DEFAULT_VOLTAGE } from './units.js';
import type { ComparableSchedule } from './wire-schedule.js';

/** How far an actual schedule may stray from the expected one and still match. */
export interface ScheduleTolerance {
  /** Largest accepted limit difference, in `limitUnit`; default 0.1 A, the one decimal a limit may carry. */
  limit?: number;
  limitUnit?: RateUnit;
  /** Largest accepted offset of scheduleStart and of each period boundary, in seconds; default 0. */
  seconds?: number;
  /** Line voltage for A/W conversion; default 230 V. */
  voltage?: number;
}

/** One stretch of the window over which neither schedule changes. */
export interface ComparisonRow {
  /** Seconds from the expected scheduleStart. */
  from: number;
  to: number;
  expected: string;
  actual: string;
  /** Undefined: the actual period matches. */
  problem?: string;
}

export interface ScheduleComparison {
  matches: boolean;
  /** One sentence per difference, period by period. */
  differences: string[];
  rows: ComparisonRow[];
}

type Period = ComparableSchedule['periods'][number] & { limitedBy?: string };

function number(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function describe(period: Period, unit: RateUnit): string {
  if (period.limit === null) return 'no profile limit (local limit, not checked)';
  const phases = period.numberPhases === undefined ? '' : `, ${period.numberPhases} ph`;
  return `${number(period.limit)} ${unit}${phases}${period.limitedBy ? ` [${period.limitedBy}]` : ''}`;
}

/** The last period whose start is at or before the instant. */
function coveringIndex(starts: readonly number[], at: number): number {
  let found = -1;
  starts.forEach((start, index) => {
    if (start <= at) found = index;
  });
  return found;
}

/**
 * Compares an actual schedule (a GetCompositeSchedule answer, or the schedule a CSMS set) with the
 * expected one over the expected window, in the expected unit (the actual limits converted at their
 * phases, K01.FR.50). A boundary within the time tolerance of an expected one counts as that one.
 */
export function compareSchedules(expected: ComparableSchedule, actual: ComparableSchedule, tolerance: ScheduleTolerance = {}): ScheduleComparison {
  const slack = (tolerance.seconds ?? 0) * 1000;
  const voltage = tolerance.voltage ?? DEFAULT_VOLTAGE;
  const windowStart = expected.scheduleStart;
  const windowEnd = windowStart + (expected.duration ?? 0) * 1000;
  const differences: string[] = [];
  const shift = (actual.scheduleStart - expected.scheduleStart) / 1000;
  if (Math.abs(shift) * 1000 > slack) {
    differences.push(`scheduleStart ${new Date(actual.scheduleStart).toISOString()} is ${number(shift)} s from the expected ${new Date(expected.scheduleStart).toISOString()} (tolerance ${slack / 1000} s)`);
  }
  const expectedStarts = expected.periods.map(({ startPeriod }) => windowStart + startPeriod * 1000);
  // An actual boundary within the slack of expected ones counts as the nearest of them.
  const snap = (at: number) => {
    const nearest = expectedStarts.reduce<number | undefined>((best, start) => (Math.abs(start - at) <= slack && (best === undefined || Math.abs(start - at) < Math.abs(best - at)) ? start : best), undefined);
    return nearest ?? at;
  };
  const actualStarts = actual.periods.map(({ startPeriod }, index) => {
    const at = actual.scheduleStart + startPeriod * 1000;
    return index === 0 && at > windowStart && at - windowStart <= slack ? windowStart : snap(at);
  });
  const actualEnd = actual.duration === undefined ? Infinity : snap(actual.scheduleStart + actual.duration * 1000);
  const instants = [...new Set([...expectedStarts, ...actualStarts, actualEnd].filter((at) => at >= windowStart && at < windowEnd))].sort((a, b) => a - b);
  const rows: ComparisonRow[] = instants.map((at, index) => {
    const to = instants[index + 1] ?? windowEnd;
    const wanted = expected.periods[coveringIndex(expectedStarts, at)] as Period | undefined;
    const actualIndex = at < actualEnd ? coveringIndex(actualStarts, at) : -1;
    const got = actual.periods[actualIndex];
    const row: ComparisonRow = {
      from: (at - windowStart) / 1000,
      to: (to - windowStart) / 1000,
      expected: wanted ? describe(wanted, expected.chargingRateUnit) : 'no period',
      actual: got ? describe(got, actual.chargingRateUnit) : 'no period',
      problem: problemOf(wanted, got, expected.chargingRateUnit, actual.chargingRateUnit, tolerance, voltage),
    };
    if (got && got.limit !== null && actual.chargingRateUnit !== expected.chargingRateUnit) {
      const phases = got.numberPhases ?? wanted?.numberPhases ?? DEFAULT_NUMBER_PHASES;
      row.actual += ` = ${number(convertLimit(got.limit, actual.chargingRateUnit, expected.chargingRateUnit, phases, voltage))} ${expected.chargingRateUnit}`;
    }
    if (row.problem) differences.push(`from +${number(row.from)} s to +${number(row.to)} s: expected ${row.expected}, actual ${row.actual}: ${row.problem}`);
    return row;
  });
  return { matches: differences.length === 0, differences, rows };
}

function problemOf(wanted: Period | undefined, got: Period | undefined, expectedUnit: RateUnit, actualUnit: RateUnit, tolerance: ScheduleTolerance, voltage: number): string | undefined {
  if (!wanted || wanted.limit === null) return undefined;
  if (!got) return 'the actual schedule has no period here';
  if (got.numberPhases !== undefined && wanted.numberPhases !== undefined && got.numberPhases !== wanted.numberPhases) return `numberPhases ${got.numberPhases}, expected ${wanted.numberPhases}`;
  if (got.limit === null) return 'the actual schedule has no limit here';
  const phases = got.numberPhases ?? wanted.numberPhases ?? DEFAULT_NUMBER_PHASES;
  const converted = convertLimit(got.limit, actualUnit, expectedUnit, phases, voltage);
  const allowed = convertLimit(tolerance.limit ?? 0.1, tolerance.limitUnit ?? 'A', expectedUnit, wanted.numberPhases ?? DEFAULT_NUMBER_PHASES, voltage);
  const difference = converted - wanted.limit;
  if (Math.abs(difference) <= allowed + 1e-9) return undefined;
  return `${number(Math.abs(difference))} ${expectedUnit} ${difference > 0 ? 'above' : 'below'} the expected limit (tolerance ${number(allowed)} ${expectedUnit})`;
}

/** The rows side by side as a text table: from, to, expected, actual, and a mark with the problem. */
export function scheduleTable(rows: readonly ComparisonRow[]): string {
  const cells = [['from', 'to', 'expected', 'actual', ''], ...rows.map((row) => [`+${number(row.from)} s`, `+${number(row.to)} s`, row.expected, row.actual, row.problem ? `✗ ${row.problem}` : 'ok'])];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...cells.map((line) => line[column]!.length)));
  return cells.map((line) => line.map((cell, column) => (column < 4 ? cell.padEnd(widths[column]!) : cell)).join(' | ').trimEnd()).join('\n');
}
