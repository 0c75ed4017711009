// domain: OCPP knowledge that both the references and the checks (runner, testcase) need, as
// plain values and functions.
// May import: protocol. Must never: do I/O, keep timers, open sockets, or know about the harness.
export * from './connector-status.js';
export * from './station-layout.js';
export * from './trace-event-kinds.js';
export * from './declarations-16.js';
export * from './declarations-201.js';
export * from './declared-values.js';
export * from './station-declarations.js';
export * from './smart-charging/index.js';
