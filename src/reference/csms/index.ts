// reference/csms: the built-in reference CSMS (OCPP 1.6 and 2.0.1), its control actions and behaviour faults.
export { ReferenceCsms } from './reference-csms.js';
export { CSMS_BEHAVIOUR_FAULTS, type CsmsBehaviour } from './behaviour-faults.js';
export type { CsmsSendParams } from './csms-send.js';
export * from './types.js';
export * from '../control-http.js';
export { REFERENCE_CSMS_PROFILES_16 } from './profiles-16.js';
