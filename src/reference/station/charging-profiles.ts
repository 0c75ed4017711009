import {
  compositeLimitAt, compositeSchedule, profileFromWire,
  type CompositeSchedule, type InstalledProfile, type OngoingTransaction, type ProfilePurpose, type RateUnit,
} from '../../domain/index.js';
import type { OcppVersion } from '../../protocol/index.js';
import type { StationBehaviourFault } from './behaviour-faults.js';
import type { ProfileLimit } from './station-state.js';

/** A charging profile the station holds: as the CSMS sent it (for reports) and as the oracle reads it. */
export interface StoredProfile {
  /** 2.x evseId, 1.6 connectorId; 0 is the whole station. */
  readonly evseId: number;
  readonly wire: Record<string, unknown>;
  readonly installed: InstalledProfile;
}

/** Which profiles a Clear/Get request means; an absent field matches every profile (K09.FR.03, K10.FR.04, 1.6 §5.5). */
export interface ProfileCriteria {
  ids?: readonly number[];
  evseId?: number;
  purpose?: ProfilePurpose;
  stackLevel?: number;
}

/** What the composite is asked for (K08, 1.6 §5.7); the station adds its profiles. */
export interface CompositeQuery {
  evseId: number;
  start: number;
  duration: number;
  chargingRateUnit?: RateUnit;
  transactions: readonly OngoingTransaction[];
  evseIds: readonly number[];
}

/**
 * The charging profiles of the reference station, shared by its 1.6 and 2.0.1 drivers. Its composite
 * schedule and the limit it charges at are the oracle's (src/domain/smart-charging): the station
 * behaves exactly as the harness judges. The smart-charging faults perturb what goes into the oracle,
 * never the oracle itself.
 */
export class ChargingProfiles {
  private readonly stored: StoredProfile[] = [];
  /** behaviour:sc-tx-default-deferred: TxDefaultProfiles held back from the oracle until the running transactions end. */
  private readonly deferred = new Set<StoredProfile>();

  constructor(private readonly version: OcppVersion, private readonly hasFault: (name: StationBehaviourFault) => boolean) {}

  /** Reads a profile of the version's wire form; throws ProfileFormatError on a malformed one. */
  read(evseId: number, wire: Record<string, unknown>): StoredProfile {
    return { evseId, wire, installed: { evseId, profile: profileFromWire(this.version, wire) } };
  }

  /** Every profile held, in installation order. */
  all(): readonly StoredProfile[] {
    return this.stored;
  }

  /**
   * Installs a profile. The same id replaces (K01.FR.05, 1.6 §5.16); in 1.6 also the same stack level
   * and purpose on the same connector (1.6 §3.13.2, §5.16).
   */
  install(entry: StoredProfile): void {
    const { profile } = entry.installed;
    // behaviour:sc-same-id-kept breaks K01.FR.05: the profile with the same id stays beside the new one.
    const sameIdReplaces = !this.hasFault('sc-same-id-kept');
    this.remove((held) => (sameIdReplaces && held.installed.profile.id === profile.id)
      || (this.version === '1.6' && held.evseId === entry.evseId && held.installed.profile.stackLevel === profile.stackLevel && held.installed.profile.purpose === profile.purpose));
    this.stored.push(entry);
  }

  /** The profiles matching every given criterion. */
  matching(criteria: ProfileCriteria): StoredProfile[] {
    return this.stored.filter(({ evseId, installed: { profile } }) =>
      (criteria.ids === undefined || criteria.ids.includes(profile.id))
      && (criteria.evseId === undefined || criteria.evseId === evseId)
      && (criteria.purpose === undefined || criteria.purpose === profile.purpose)
      && (criteria.stackLevel === undefined || criteria.stackLevel === profile.stackLevel));
  }

  /** The profiles matching at least one given criterion (every profile when none is given): what a station that ORs the criteria selects. */
  matchingAny(criteria: ProfileCriteria): StoredProfile[] {
    const single = (Object.entries(criteria) as Array<[keyof ProfileCriteria, unknown]>).filter(([, value]) => value !== undefined);
    if (single.length === 0) return [...this.stored];
    return this.stored.filter((held) => single.some(([key, value]) => this.matching({ [key]: value }).includes(held)));
  }

  /** Removes the profiles the predicate selects; how many went. */
  remove(selects: (held: StoredProfile) => boolean): number {
    const before = this.stored.length;
    for (let index = this.stored.length - 1; index >= 0; index -= 1) {
      if (selects(this.stored[index]!)) this.stored.splice(index, 1);
    }
    return before - this.stored.length;
  }

  /** The station rebooted: its profiles stay (K01.FR.27), unless behaviour:sc-profiles-lost-on-reboot forgets them. */
  rebooted(): void {
    if (this.hasFault('sc-profiles-lost-on-reboot')) this.remove(() => true);
  }

  /** behaviour:sc-tx-default-deferred (breaks K01.FR.32): the profile applies only once no transaction runs. */
  defer(entry: StoredProfile): void {
    this.deferred.add(entry);
  }

  /** A transaction ended: its TxProfiles go (K02.FR.05, 1.6 §3.13.1), unless the fault keeps them. */
  transactionEnded(evseId: number): void {
    this.deferred.clear();
    if (this.hasFault('sc-tx-profile-kept')) return;
    this.remove((held) => held.evseId === evseId && held.installed.profile.purpose === 'Tx');
  }

  /** The composite schedule of the station's profiles (K08, 1.6 §5.7). */
  composite(query: CompositeQuery): CompositeSchedule {
    return compositeSchedule({ version: this.version, profiles: this.oracleInput(), ...query });
  }

  /**
   * The composite limit in force on an EVSE at an instant, in A per phase and in W, which the station
   * charges at (1.6 §3.13.1, K08.FR.02); undefined where no profile limits it.
   * behaviour:sc-ignores-limit charges at full power whatever the profiles say.
   */
  limitAt(query: Omit<CompositeQuery, 'duration' | 'start' | 'chargingRateUnit'>, at: number): ProfileLimit | undefined {
    if (this.hasFault('sc-ignores-limit')) return undefined;
    const limitIn = (chargingRateUnit: RateUnit): number | null =>
      compositeLimitAt({ version: this.version, profiles: this.oracleInput(), duration: 0, start: at, chargingRateUnit, ...query }, at).limit;
    const currentA = limitIn('A');
    const powerW = limitIn('W');
    return currentA === null || powerW === null ? undefined : { currentA, powerW };
  }

  /** The profiles as the oracle gets them, bent by the smart-charging faults. */
  private oracleInput(): InstalledProfile[] {
    return this.stored.filter((entry) => !this.deferred.has(entry)).map(({ installed }) => {
      let { profile } = installed;
      // behaviour:sc-wrong-stacking: the lowest stack level leads instead of the highest (breaks K01.FR.17, 1.6 §3.13.2).
      if (this.hasFault('sc-wrong-stacking')) profile = { ...profile, stackLevel: -profile.stackLevel };
      // behaviour:sc-ignore-valid-to: a profile stays valid after its validTo (breaks K01.FR.37, 1.6 §7.8).
      if (this.hasFault('sc-ignore-valid-to')) profile = { ...profile, validTo: undefined };
      // behaviour:sc-ignore-valid-from: a profile is valid before its validFrom (breaks K01.FR.36).
      if (this.hasFault('sc-ignore-valid-from')) profile = { ...profile, validFrom: undefined };
      // behaviour:sc-recurrence-ignored: a Recurring profile runs once (breaks K01.FR.40, RecurrencyKindEnumType).
      if (this.hasFault('sc-recurrence-ignored') && profile.kind === 'Recurring') profile = { ...profile, kind: 'Absolute', recurrency: undefined };
      // behaviour:sc-start-schedule-ignored: an Absolute schedule starts when asked, as a Relative one would (breaks K01.FR.30/40).
      if (this.hasFault('sc-start-schedule-ignored') && profile.kind === 'Absolute') profile = { ...profile, kind: 'Relative', schedule: { ...profile.schedule, startSchedule: undefined } };
      // behaviour:sc-tx-default-caps-tx-profile: a TxDefaultProfile caps like an external constraint, so a TxProfile no longer overrules it (breaks K08.FR.04, Part 2 §3.5).
      if (this.hasFault('sc-tx-default-caps-tx-profile') && profile.purpose === 'TxDefault') profile = { ...profile, purpose: 'ExternalConstraints' };
      return { evseId: installed.evseId, profile };
    // behaviour:sc-tx-profile-ignored: a TxProfile is held but never in force (breaks 1.6 §3.13.1, K01.FR.04).
    }).filter(({ profile }) => !(profile.purpose === 'Tx' && this.hasFault('sc-tx-profile-ignored')));
  }
}
