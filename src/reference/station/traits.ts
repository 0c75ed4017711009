/**
 * How a built-in reference station can be built besides its default (issue 16): a property of
 * the device that no station tells over OCPP. A lab declares it for its own station in the
 * configuration's `features`; a case needs it by listing the same feature id; a reference started
 * for that case is built with the trait (see traitsFor), so both meet the case alike.
 */
export type StationTrait = 'fixed-cable' | 'backup-power';

/** A trait's feature id, and the ids of the default build it takes away (a cable is fixed or detachable, never both). */
interface TraitFeature {
  feature: string;
  withdraws: readonly string[];
}

const TRAITS: Readonly<Record<StationTrait, TraitFeature>> = {
  // The cable is attached to the charge point: nothing to lock, UnlockConnector is NotSupported
  // (1.6 §7.45); unplugging means the EV side (TC_005_2_CS, TC_017_2_CS, TC_018_2_CS).
  'fixed-cable': { feature: 'feature:FixedCable', withdraws: ['feature:DetachableCable'] },
  // A back-up power source: on a power cut the charge point stops its transactions and reports them
  // before it goes down (TC_032_1_CS); without it they are stopped after the next boot (TC_032_2_CS).
  'backup-power': { feature: 'feature:BackupPower', withdraws: [] },
};

const ALL_TRAITS = Object.keys(TRAITS) as StationTrait[];

/** The feature ids a station meets or lacks depending on how it is built: a trait's id and those it withdraws. */
export const BUILD_FEATURES: readonly string[] = [...new Set(ALL_TRAITS.flatMap((trait) => [TRAITS[trait].feature, ...TRAITS[trait].withdraws]))];

/** The feature ids a station built with the traits meets, as one reference can: each trait's own. */
export const TRAIT_FEATURES: readonly string[] = ALL_TRAITS.map((trait) => TRAITS[trait].feature);

/** The traits a reference station needs to meet these feature ids (in a fixed order). */
export function traitsFor(features: readonly string[]): StationTrait[] {
  return ALL_TRAITS.filter((trait) => features.includes(TRAITS[trait].feature));
}

/**
 * Of these feature ids, those that depend on the build and that a station built with `traits`
 * (on a default of `defaults`) does not meet.
 */
export function unbuiltFeatures(features: readonly string[], traits: readonly StationTrait[], defaults: readonly string[]): string[] {
  const withdrawn = new Set(traits.flatMap((trait) => TRAITS[trait].withdraws));
  const met = new Set([...defaults.filter((feature) => !withdrawn.has(feature)), ...traits.map((trait) => TRAITS[trait].feature)]);
  return features.filter((feature) => BUILD_FEATURES.includes(feature) && !met.has(feature));
}
