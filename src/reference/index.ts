// reference: the built-in reference charging station and CSMS, their control API, and fault injection.
// May import: protocol, transport, session.
// Must never: import the runner or test cases; the references behave as the specification says,
// not as the test cases expect.
export * from './control.js';
export * from './faults.js';
export * from './rpc-faults.js';
export * from './csms/index.js';
export * from './station/index.js';
export * from './features.js';
