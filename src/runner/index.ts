// runner: selection, planning, running steps against a SUT, verdicts, results and per-case traces.
// May import: protocol, transport, session, inspect, testcase, config.
// Must never: print to the terminal or exit the process; reporters and the CLI present results.
export * from './results.js';
export * from './select.js';
export * from './run-case.js';
export * from './run-suite.js';
export * from './sut-link.js';
export * from './adapter-from-config.js';
export * from './results-file.js';
export * from './adapters/index.js';
export * from './self-check.js';
export * from './reference-starter.js';
export * from './case-layout.js';
export * from './connection-security.js';
export { serverHosts } from './csms-servers.js';
export * from './testcases.js';
export { STEP_KINDS, type StepKind, type StepRunContext, type LookaheadPoint } from './steps/index.js';
export * from './lab-config-template.js';
export type { StepBegin } from './case-environment.js';
