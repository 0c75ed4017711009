// report: presents run results: console lines, results.json (completed), JUnit XML, a
// self-contained HTML report, merges of shard outputs, and a trace file as an HTML page.
// May import: protocol, session, inspect, testcase, runner (types and results only).
// Must never: compute verdicts or touch sockets.
export * from './console-reporter.js';
export * from './reporter.js';
export * from './multiplex.js';
export * from './results-schema.js';
export * from './json-reporter.js';
export * from './junit.js';
export * from './junit-reporter.js';
export * from './html-reporter.js';
export * from './trace-page.js';
export * from './merge.js';
export * from './redact.js';
export * from './file-reporters.js';
