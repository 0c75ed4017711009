import type { OcppVersion } from '../protocol/index.js';
import { REFERENCE_CSMS_PROFILES_16 } from './csms/index.js';
import { REFERENCE_STATION_FEATURES_16 } from './station/index.js';

/**
 * The feature ids a run against a built-in reference declares in place of a lab's configuration
 * (`features`), for the role under test: the reference CSMS's 1.6 profiles (a CSMS has no
 * SupportedFeatureProfiles to ask), the reference station's ids that no station tells. The
 * reference station's profiles and keys are not among them: the harness asks the station for
 * those, as it asks any station.
 */
export function referenceFeatures(version: OcppVersion, sut: 'cs' | 'csms'): string[] {
  if (version !== '1.6') return [];
  return [...(sut === 'csms' ? REFERENCE_CSMS_PROFILES_16 : REFERENCE_STATION_FEATURES_16)];
}
