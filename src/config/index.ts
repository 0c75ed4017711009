// config: the run configuration: what a lab declares about the SUT and how to drive it.
// May import: protocol.
// Must never: open connections or run test cases; it reads one file and answers with plain data.
export * from './types.js';
export { ConfigError, formatProblem, type ConfigOrigin, type ConfigProblem } from './errors.js';
export * from './defaults.js';
export * from './schema.js';
export * from './load.js';
