import type { OcppVersion } from '../../protocol/index.js';

/**
 * How a built-in reference station can be built besides its default (issue 16): a property of
 * the device that no station tells over OCPP. A lab declares it for its own station in the
 * configuration's `features`; a case needs it by listing the same feature id; a reference started
 * for that case is built with the trait (see traitsFor), so both meet the case alike.
 */
export type StationTrait = 'fixed-cable' | 'backup-power' | 'one-rate-unit';

/** A trait's feature id, and the ids of the default build it takes away (a cable is fixed or detachable, never both). */
interface TraitFeature {
  feature: string;
  withdraws: readonly string[];
  /** The OCPP version whose reference station can be built so. */
  version: OcppVersion;
}

const TRAITS: Readonly<Record<StationTrait, TraitFeature>> = {
  // The cable is attached to the charge point: nothing to lock, UnlockConnector is NotSupported
  // (1.6 §7.45); unplugging means the EV side (TC_005_2_CS, TC_017_2_CS, TC_018_2_CS).
  'fixed-cable': { feature: 'feature:FixedCable', withdraws: ['feature:DetachableCable'], version: '1.6' },
  // A back-up power source: on a power cut the charge point stops its transactions and reports them
  // before it goes down (TC_032_1_CS); without it they are stopped after the next boot (TC_032_2_CS).
  'backup-power': { feature: 'feature:BackupPower', withdraws: [], version: '1.6' },
  // Charging schedules in A only (SmartChargingCtrlr.RateUnit "A"): SC-2.1 without SC-2.2, so a
  // profile or composite schedule in W is Rejected (K01.FR.26, K08.FR.07; TC_K_12_CS, TC_K_42_CS).
  'one-rate-unit': { feature: 'feature:OneChargingRateUnit', withdraws: ['SC-2.2'], version: '2.0.1' },
};

const ALL_TRAITS = Object.keys(TRAITS) as StationTrait[];

/** The traits of one version's reference station. */
function traitsOf(version: OcppVersion): StationTrait[] {
  return ALL_TRAITS.filter((trait) => TRAITS[trait].version === version);
}

/** The feature ids a station of the version meets or lacks depending on how it is built: a trait's id and those it withdraws. */
function buildFeatures(version: OcppVersion): string[] {
  return [...new Set(traitsOf(version).flatMap((trait) => [TRAITS[trait].feature, ...TRAITS[trait].withdraws]))];
}

/** The feature ids a station of the version built with the traits meets, as one reference can: each trait's own. */
export function traitFeatures(version: OcppVersion): string[] {
  return traitsOf(version).map((trait) => TRAITS[trait].feature);
}

/** The traits a reference station needs to meet these feature ids (in a fixed order). */
export function traitsFor(features: readonly string[]): StationTrait[] {
  return ALL_TRAITS.filter((trait) => features.includes(TRAITS[trait].feature));
}

/**
 * Of these feature ids, those that depend on the build and that a station built with `traits`
 * (on a default of `defaults`) does not meet.
 */
export function unbuiltFeatures(version: OcppVersion, features: readonly string[], traits: readonly StationTrait[], defaults: readonly string[]): string[] {
  const withdrawn = new Set(traits.flatMap((trait) => TRAITS[trait].withdraws));
  const met = new Set([...defaults.filter((feature) => !withdrawn.has(feature)), ...traits.map((trait) => TRAITS[trait].feature)]);
  const built = buildFeatures(version);
  return features.filter((feature) => built.includes(feature) && !met.has(feature));
}
