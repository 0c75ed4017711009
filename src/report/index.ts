// report: presents run results (console now; JSON, JUnit and HTML come with the reports issue).
// May import: protocol, session, testcase, runner (types and results only).
// Must never: compute verdicts or touch sockets.
export * from './console-reporter.js';
