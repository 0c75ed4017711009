import type { FeatureProfile16 } from '../../../domain/index.js';

/**
 * The OCPP 1.6 feature profiles (§3.3) the reference Charge Point implements, the one list its
 * SupportedFeatureProfiles key (§9.1.29) is made of. Whoever registers a profile's handlers in
 * HANDLERS_16 adds its name here; the harness asks for this key before cases that need a profile.
 */
export const REFERENCE_PROFILES_16: readonly FeatureProfile16[] = ['Core', 'FirmwareManagement', 'LocalAuthListManagement', 'Reservation', 'RemoteTrigger', 'SmartCharging'];

/**
 * Feature ids beyond profiles and configuration keys (a cable kind, say) that the reference
 * Charge Point meets; a station tells them to no one, so `run --builtin` declares them in place
 * of a lab's configuration.
 */
export const REFERENCE_STATION_FEATURES_16: readonly string[] = ['feature:DetachableCable', 'ReserveConnectorZeroSupported'];

/** The value of SupportedFeatureProfiles; `behaviour:declares-core-only` reports the mandatory Core alone. */
export function supportedProfiles16(coreOnly: boolean): string {
  return (coreOnly ? ['Core'] : REFERENCE_PROFILES_16).join(',');
}
