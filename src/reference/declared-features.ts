import type { OcppVersion } from '../protocol/index.js';
import { REFERENCE_CSMS_PROFILES_16 } from './csms/index.js';
import { CERTIFICATE_RENEWAL_FEATURES_201, REFERENCE_STATION_FEATURES_16, REFERENCE_STATION_FEATURES_201, traitFeatures, unbuiltFeatures, type StationTrait } from './station/index.js';

/**
 * The feature ids a run against a built-in reference declares in place of a lab's configuration
 * (`features`), for the role under test: the reference CSMS's 1.6 profiles (a CSMS has no
 * SupportedFeatureProfiles to ask), the reference station's ids that no station tells, those of
 * its default build and those of its traits (a reference started for one case is built for it,
 * see unbuiltByReference). The reference station's profiles and keys are not among them: the
 * harness asks the station for those, as it asks any station. A 2.x station says none of its ids:
 * the reference station's (its Part 5 features, e.g. SC-2.1) are all declared for it.
 */
export function referenceFeatures(version: OcppVersion, sut: 'cs' | 'csms'): string[] {
  if (version !== '1.6') return sut === 'cs' ? [...REFERENCE_STATION_FEATURES_201, ...CERTIFICATE_RENEWAL_FEATURES_201, ...traitFeatures(version)] : [];
  return sut === 'csms' ? [...REFERENCE_CSMS_PROFILES_16] : [...REFERENCE_STATION_FEATURES_16, ...traitFeatures(version)];
}

/**
 * Of a case's feature ids, those that a reference station built with `traits` does not meet: ids
 * its build decides (a cable kind, back-up power, one charging rate unit), beyond its default ones.
 */
export function unbuiltByReference(version: OcppVersion, features: readonly string[], traits: readonly StationTrait[]): string[] {
  return unbuiltFeatures(version, features, traits, version === '1.6' ? REFERENCE_STATION_FEATURES_16 : REFERENCE_STATION_FEATURES_201);
}
