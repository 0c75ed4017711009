// session: one OCPP-J conversation per connection (correlation, timeouts, checks) and its trace.
// May import: protocol, transport.
// Must never: know about test cases, steps or verdicts; it records findings, the layers above judge.
export * from './call-outcome.js';
export * from './session.js';
export * from './session-options.js';
export * from './trace-record.js';
export * from './trace-writer.js';
export * from './wait-for-record.js';
export * from './loopback-pair.js';
