import { FEATURE_PROFILES_16, type FeatureProfile16 } from '../../domain/index.js';

/**
 * The OCPP 1.6 feature profiles (§3.3) the reference CSMS implements: it sends the requests of
 * each (default-requests-16.ts) and answers those of each (handlers-16.ts). A CSMS has no
 * SupportedFeatureProfiles to ask, so `run --builtin --sut csms` declares these in place of a
 * lab's configuration.
 */
export const REFERENCE_CSMS_PROFILES_16: readonly FeatureProfile16[] = FEATURE_PROFILES_16;
