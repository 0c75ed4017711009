// api: the entry points the CLI calls; other programs may call them too.
// May import: every layer below.
// Must never: print, read process.argv or exit; the CLI owns the terminal.
export { inspectTraceFile, TraceFileError, type InspectOptions, type TraceInspection, type PlacedFinding } from './inspect/index.js';
export { OCPP_VERSIONS, isOcppVersion, type OcppVersion } from './protocol/index.js';
