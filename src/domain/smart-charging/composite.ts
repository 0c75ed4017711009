import type { OcppVersion } from '../../protocol/index.js';
import { wirePurposeName, type ChargingProfile, type InstalledProfile, type ProfilePurpose, type RateUnit } from './profile.js';
import { scheduleBoundaries, scheduleValueAt, type ScheduleValue } from './schedule-timeline.js';
import { convertLimit, DEFAULT_NUMBER_PHASES, DEFAULT_VOLTAGE } from './units.js';

/** A transaction in progress on an EVSE (1.6: connector). */
export interface OngoingTransaction {
  evseId: number;
  transactionId?: string;
  /**
   * Epoch ms at which Relative schedules of this EVSE start: 1.6 §7.9 "start of the transaction",
   * 2.0.1 K01.FR.42 the moment the station is ready to deliver energy.
   */
  chargingStart: number;
}

/** What to compute: the composite schedule of one EVSE (0: the whole station) over a window. */
export interface CompositeRequest {
  version: OcppVersion;
  profiles: readonly InstalledProfile[];
  /** 0: the total the station expects to draw from the grid (1.6 §5.7, K08.FR.03). */
  evseId: number;
  /** Epoch ms at which the window starts, the moment the request is received (K08.FR.02); default: the clock's now. */
  start?: number;
  /** Seconds. */
  duration: number;
  /** The unit asked for; absent: the unit of the first applicable profile (A when there is none). */
  chargingRateUnit?: RateUnit;
  transactions?: readonly OngoingTransaction[];
  /** The station's EVSEs, which evseId 0 sums over; default: those named by profiles and transactions, else [1]. */
  evseIds?: readonly number[];
}

export interface OracleOptions {
  /** Epoch ms now; read only when the request has no start. */
  clock?: () => number;
  /** Line voltage for A/W conversion, default 230 V. */
  voltage?: number;
}

/** One period of the composite: the lowest applicable limit, and which profile sets it. */
export interface CompositePeriod {
  /** Seconds from scheduleStart (fractional when a profile's times are not whole seconds from it). */
  startPeriod: number;
  /** null: no profile limits this period; the station's own (local) limit applies. */
  limit: number | null;
  numberPhases: number;
  /** E.g. `TxProfile 3 (stack 0, EVSE 1)`, or `no charging profile`. */
  limitedBy: string;
}

export interface CompositeSchedule {
  evseId: number;
  /** Epoch ms. */
  scheduleStart: number;
  duration: number;
  chargingRateUnit: RateUnit;
  periods: CompositePeriod[];
  /** Profiles the oracle left out, and why (e.g. a TxProfile without a transaction). */
  notes: string[];
}

interface Candidate {
  installed: InstalledProfile;
  /** Where a Relative schedule of this candidate starts. */
  relativeStart: number;
}

/** The limits on one EVSE itself. */
interface EvseStacks {
  evseId: number;
  tx: Candidate[];
  txDefault: Candidate[];
  external: Candidate[];
}

interface Context {
  version: OcppVersion;
  unit: RateUnit;
  voltage: number;
  evses: EvseStacks[];
  stationMax: Candidate[];
  stationExternal: Candidate[];
  notes: string[];
}

interface Piece {
  value: ScheduleValue;
  label: string;
}

interface Evaluation {
  limit: number | null;
  numberPhases: number;
  limitedBy: string;
}

function labelOf(version: OcppVersion, { evseId, profile }: InstalledProfile): string {
  const where = evseId === 0 ? 'station' : version === '1.6' ? `connector ${evseId}` : `EVSE ${evseId}`;
  return `${wirePurposeName(version, profile.purpose) ?? profile.purpose} ${profile.id} (stack ${profile.stackLevel}, ${where})`;
}

function phasesOf(value: ScheduleValue): number {
  return value.numberPhases ?? DEFAULT_NUMBER_PHASES;
}

/**
 * The leading schedule of one purpose at an instant (2.0.1 Part 2 §3.5, 1.6 §3.13.2): of the valid
 * profiles whose schedule defines a period then, the highest stackLevel (K01.FR.17). Two at one stack
 * level may not coexist (K01.FR.06); should they, an EVSE's own profile wins over the station-wide one
 * (1.6 §3.13.1: a connector's TxDefaultProfile replaces connector 0's for that connector), then the lower limit.
 */
function leading(context: Context, candidates: readonly Candidate[], at: number): Piece | undefined {
  let best: { piece: Piece; rank: number[] } | undefined;
  for (const candidate of candidates) {
    const value = scheduleValueAt(candidate.installed.profile, at, candidate.relativeStart);
    if (!value) continue;
    const { evseId, profile } = candidate.installed;
    const watts = convertLimit(value.limit, value.unit, 'W', phasesOf(value), context.voltage);
    const amps = convertLimit(value.limit, value.unit, 'A', phasesOf(value), context.voltage);
    // Higher ranks first, element by element; the id last, so that the installation order never decides.
    const rank = [profile.stackLevel, evseId === 0 ? 0 : 1, -watts, -amps, -profile.id];
    if (!best || outranks(rank, best.rank)) best = { piece: { value, label: labelOf(context.version, candidate.installed) }, rank };
  }
  return best?.piece;
}

function outranks(rank: readonly number[], other: readonly number[]): boolean {
  const index = rank.findIndex((element, at) => element !== other[at]);
  return index >= 0 && rank[index]! > other[index]!;
}

/**
 * The limits on the EVSE itself at an instant: its TxProfile, which overrules the TxDefaultProfile
 * while it defines a period (K02.FR.04), falling back to the TxDefaultProfile once it no longer does
 * (K02.FR.08); and (2.x) the external constraints set on that EVSE.
 */
function evsePieces(context: Context, stacks: EvseStacks, at: number): Piece[] {
  const txOrDefault = leading(context, stacks.tx, at) ?? leading(context, stacks.txDefault, at);
  return [txOrDefault, leading(context, stacks.external, at)].filter((piece): piece is Piece => piece !== undefined);
}

/** Caps on the whole station at an instant: ChargingStationMaxProfile and (2.x) station-wide external constraints. */
function stationPieces(context: Context, at: number): Piece[] {
  return [leading(context, context.stationMax, at), leading(context, context.stationExternal, at)].filter((piece): piece is Piece => piece !== undefined);
}

/** The lowest of the pieces in the asked unit, each converted at the phases actually in use. */
function lowest(context: Context, pieces: readonly Piece[], numberPhases: number): { limit: number; label: string } | undefined {
  let result: { limit: number; label: string } | undefined;
  for (const { value, label } of pieces) {
    const limit = convertLimit(value.limit, value.unit, context.unit, numberPhases, context.voltage);
    if (!result || limit < result.limit) result = { limit, label };
  }
  return result;
}

/**
 * The composite limit at an instant: the lowest among the leading schedules of the purposes
 * (2.0.1 Part 2 §3.5 and K08.FR.04, 1.6 §3.13.3). The phases in use are the fewest any applicable period
 * allows (2.0.1 errata 2025-09 "Avoiding phase conflicts"), and every limit is converted at those
 * phases, so that no converted limit exceeds its own per-phase current or total power (SC.01).
 * For evseId 0 the EVSEs' limits are summed, capped by the station's (K08.FR.03, K04.FR.05).
 */
function evaluate(context: Context, evseId: number, at: number): Evaluation {
  const station = stationPieces(context, at);
  const evses = evseId === 0 ? context.evses : context.evses.filter((stacks) => stacks.evseId === evseId);
  const perEvse = evses.map((stacks) => evsePieces(context, stacks, at));
  const all = [...station, ...perEvse.flat()];
  const numberPhases = all.length === 0 ? DEFAULT_NUMBER_PHASES : Math.min(...all.map((piece) => phasesOf(piece.value)));
  const candidates: Array<{ limit: number; label: string }> = [];
  const stationLowest = lowest(context, station, numberPhases);
  if (stationLowest) candidates.push(stationLowest);
  if (perEvse.length > 0 && perEvse.every((pieces) => pieces.length > 0)) {
    const limits = perEvse.map((pieces) => lowest(context, pieces, numberPhases)!);
    candidates.push(evseId === 0 && limits.length > 1
      ? { limit: limits.reduce((sum, { limit }) => sum + limit, 0), label: `sum of ${evses.length} EVSEs (${limits.map(({ label }) => label).join(' + ')})` }
      : limits[0]!);
  }
  if (candidates.length === 0) return { limit: null, numberPhases, limitedBy: 'no charging profile' };
  const winner = candidates.reduce((low, candidate) => (candidate.limit < low.limit ? candidate : low));
  return { limit: winner.limit, numberPhases, limitedBy: winner.label };
}

function defaultEvseIds(request: CompositeRequest): number[] {
  const named = [...request.profiles.map(({ evseId }) => evseId), ...(request.transactions ?? []).map(({ evseId }) => evseId)].filter((id) => id > 0);
  return named.length === 0 ? [1] : [...new Set(named)].sort((a, b) => a - b);
}

/** Notes on profiles that cannot apply wherever they are: 1.6 knows no external constraints, and two purposes have a fixed place. */
function misplacedNotes(request: CompositeRequest): string[] {
  const notes: string[] = [];
  for (const installed of request.profiles) {
    const { evseId, profile } = installed;
    const label = labelOf(request.version, installed);
    if (profile.purpose === 'ExternalConstraints' && request.version === '1.6') notes.push(`${label} left out: OCPP 1.6 has no external constraints`);
    if (profile.purpose === 'StationMax' && evseId !== 0) notes.push(`${label} left out: a station maximum is set on EVSE 0 only (K04.FR.03, 1.6 §3.13.1)`);
    if (profile.purpose === 'Tx' && evseId === 0) notes.push(`${label} left out: a TxProfile is set on an EVSE, never on 0 (K01.FR.16)`);
  }
  return notes;
}

/** Why a TxProfile on the EVSE does not apply: what it means depends on the transaction (1.6 §3.13.1, K01.FR.04, K01.FR.09, K02.FR.05). */
function txLeftOutBecause(profile: ChargingProfile, transaction: OngoingTransaction | undefined): string | undefined {
  if (!transaction) return 'no transaction runs there (1.6 §3.13.1, K01.FR.09; it ends with its transaction, K02.FR.05)';
  const { transactionId } = profile;
  if (transactionId !== undefined && transaction.transactionId !== undefined && transactionId !== transaction.transactionId) return `it is for transaction ${transactionId}, not ${transaction.transactionId} (K01.FR.04)`;
  return undefined;
}

/** The stacks of one EVSE, and notes on the TxProfiles left out. */
function evseStacks(request: CompositeRequest, usable: readonly InstalledProfile[], evseId: number, start: number, notes: string[]): EvseStacks {
  const transaction = (request.transactions ?? []).find((ongoing) => ongoing.evseId === evseId);
  // K08.FR.06: without a transaction the composite is computed as if one were running under the
  // TxDefaultProfile; its Relative schedules then start with the window.
  const relativeStart = transaction?.chargingStart ?? start;
  const of = (purpose: ProfilePurpose, where: (profileEvse: number) => boolean): Candidate[] =>
    usable.filter(({ evseId: profileEvse, profile }) => profile.purpose === purpose && where(profileEvse)).map((installed) => ({ installed, relativeStart }));
  const tx = of('Tx', (profileEvse) => profileEvse === evseId).filter(({ installed }) => {
    const reason = txLeftOutBecause(installed.profile, transaction);
    if (reason) notes.push(`${labelOf(request.version, installed)} left out: ${reason}`);
    return reason === undefined;
  });
  return {
    evseId,
    tx,
    // K01.FR.14: a TxDefaultProfile on EVSE 0 applies to every EVSE.
    txDefault: of('TxDefault', (profileEvse) => profileEvse === 0 || profileEvse === evseId),
    external: of('ExternalConstraints', (profileEvse) => profileEvse === evseId),
  };
}

/** Every candidate of the context, the EVSEs' own before the station's. */
function allCandidates(context: Context): Candidate[] {
  return [...context.evses.flatMap((stacks) => [...stacks.tx, ...stacks.txDefault, ...stacks.external]), ...context.stationExternal, ...context.stationMax];
}

/** Sorts the installed profiles into the stacks that apply, noting the ones that cannot. */
function contextOf(request: CompositeRequest, start: number, voltage: number): Context {
  const notes = misplacedNotes(request);
  const usable = request.profiles.filter(({ profile }) => !(profile.purpose === 'ExternalConstraints' && request.version === '1.6'));
  const station = (purpose: ProfilePurpose) => usable.filter(({ evseId, profile }) => evseId === 0 && profile.purpose === purpose).map((installed) => ({ installed, relativeStart: start }));
  const evseIds = request.evseId === 0 ? request.evseIds ?? defaultEvseIds(request) : [request.evseId];
  const context: Context = {
    version: request.version, unit: 'A', voltage, notes,
    evses: evseIds.map((evseId) => evseStacks(request, usable, evseId, start, notes)),
    stationMax: station('StationMax'),
    stationExternal: station('ExternalConstraints'),
  };
  context.unit = request.chargingRateUnit ?? allCandidates(context)[0]?.installed.profile.schedule.chargingRateUnit ?? 'A';
  return context;
}

/**
 * The composite schedule of the request's window (K08, 1.6 §5.7): a period at every instant the
 * composite limit or its phases change, adjacent equal periods merged.
 */
export function compositeSchedule(request: CompositeRequest, options: OracleOptions = {}): CompositeSchedule {
  const start = request.start ?? (options.clock ?? Date.now)();
  const end = start + request.duration * 1000;
  const context = contextOf(request, start, options.voltage ?? DEFAULT_VOLTAGE);
  const instants = new Set([start]);
  for (const candidate of allCandidates(context)) {
    for (const at of scheduleBoundaries(candidate.installed.profile, start, end, candidate.relativeStart)) instants.add(at);
  }
  const periods: CompositePeriod[] = [];
  for (const at of [...instants].sort((a, b) => a - b)) {
    const { limit, numberPhases, limitedBy } = evaluate(context, request.evseId, at);
    const previous = periods.at(-1);
    if (previous && previous.limit === limit && previous.numberPhases === numberPhases) continue;
    periods.push({ startPeriod: (at - start) / 1000, limit, numberPhases, limitedBy });
  }
  return { evseId: request.evseId, scheduleStart: start, duration: request.duration, chargingRateUnit: context.unit, periods, notes: context.notes };
}

/** The composite limit at one instant, e.g. for a simulated station to obey while it charges. */
export function compositeLimitAt(request: CompositeRequest, at: number, options: OracleOptions = {}): Evaluation {
  const context = contextOf(request, request.start ?? at, options.voltage ?? DEFAULT_VOLTAGE);
  return evaluate(context, request.evseId, at);
}
