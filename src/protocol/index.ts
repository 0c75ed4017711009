// protocol: OCPP-J frames, error codes, schemas, findings and correlation rules.
// May import: nothing of ours (only ajv and Node's fs to read the schema data files).
// Must never: open sockets, start timers or write files; everything here is pure and benchmarkable.
export * from './versions.js';
export * from './message-type.js';
export * from './rpc-errors.js';
export * from './findings.js';
export * from './finding-groups.js';
export * from './frame.js';
export * from './nesting.js';
export { dateTimeFieldsOf, daysInMonth, digitsValue, type DateTimeFields } from './date-time-format.js';
export * from './capped-map.js';
export * from './schemas.js';
export * from './payload-check.js';
export * from './frame-findings.js';
export * from './correlator.js';
export * from './default-replies.js';
export * from './datatypes.js';
export * from './error-expectations.js';
export * from './stream-rules.js';
export * from './conversation-rules.js';
export * from './text-nesting.js';
