import type { OcppVersion } from '../protocol/index.js';

/**
 * The features (test-case `features:` ids) the built-in references of a version support, both
 * roles: a `--builtin` run declares them, so it runs the cases they can serve rather than calling
 * them not-applicable. 1.6: the Reservation profile (the station's SupportedFeatureProfiles lists
 * it) and connector-0 reservations (its ReserveConnectorZeroSupported key is true).
 */
export const REFERENCE_FEATURES: Readonly<Record<OcppVersion, readonly string[]>> = {
  '1.6': ['Reservation', 'ReserveConnectorZeroSupported'],
  '2.0.1': [],
  '2.1': [],
};
