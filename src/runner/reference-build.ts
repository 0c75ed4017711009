import type { OcppVersion } from '../protocol/index.js';
import { traitsFor, unbuiltByReference, type StationTrait } from '../reference/index.js';
import type { TestCase } from '../testcase/index.js';

/**
 * How the built-in reference of a station lane is built for a case (issue 16): a reference
 * started for the case alone (`fresh`, the default of --builtin and the self-check) gets the
 * traits the case's features ask for (`feature:FixedCable` a fixed cable, see traits.ts); one
 * kept for the whole run keeps the traits it was started with (its default build).
 */
export function referenceTraitsFor(testCase: TestCase, kept: readonly StationTrait[] | undefined): readonly StationTrait[] {
  return kept ?? traitsFor(testCase.features);
}

/**
 * Why the lane's built-in reference, built with `traits`, cannot serve the case: the feature ids
 * its build decides that it does not meet. Undefined when it serves it. A real SUT is never asked:
 * its configuration's `features` decide (select.ts).
 */
export function unbuiltReason(version: OcppVersion, testCase: TestCase, traits: readonly StationTrait[], kept: boolean): string | undefined {
  const lacking = unbuiltByReference(version, testCase.features, traits);
  if (lacking.length === 0) return undefined;
  const ids = lacking.join(', ');
  return kept
    ? `needs ${ids}: the built-in reference that serves every case of this run is built without it (a reference started for each case, the default of --builtin, is built for the case)`
    : `needs ${ids}: no built-in reference is built to meet all of them at once`;
}

/** True when two builds are the same (traits come in a fixed order, see traitsFor). */
export function sameTraits(a: readonly StationTrait[], b: readonly StationTrait[]): boolean {
  return a.length === b.length && a.every((trait, index) => trait === b[index]);
}
