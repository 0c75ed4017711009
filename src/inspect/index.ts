// inspect: offline checks of recorded traces (ours or any open-ocpp-trace v1.1 producer's, or a frame log).
// May import: protocol, session (for the record type).
// Must never: open connections; it judges what was recorded, with the same rules as a live session.
export * from './trace-reader.js';
export * from './frame-log-reader.js';
export * from './trace-source.js';
export * from './trace-inspector.js';
export * from './inspect-file.js';
export * from './line-stream.js';
export { PARALLEL_MIN_BYTES, workerCountFor } from './trace-workers.js';
export { useTraceHeapSettings } from './heap-settings.js';
