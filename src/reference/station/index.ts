// reference/station: the built-in reference charging station (OCPP 1.6 and 2.0.1), its options and behaviour faults.
export { STATION_BEHAVIOUR_FAULTS, type StationBehaviourFault } from './behaviour-faults.js';
export type { ReferenceStationOptions, StationConnectorOptions } from './options.js';
export type { InstalledCertificate } from './certificate-store.js';
export { ReferenceStation } from './reference-station.js';
export { createFirmwareImage, installableVersion } from './firmware-image.js';
export { REFERENCE_PROFILES_16, REFERENCE_STATION_FEATURES_16 } from './v16/profiles.js';
export { REFERENCE_STATION_FEATURES_201 } from './v201/smart-charging.js';
export { CERTIFICATE_RENEWAL_FEATURES_201 } from './v201/certificate-renewal.js';
export { traitFeatures, traitsFor, unbuiltFeatures, type StationTrait } from './traits.js';
