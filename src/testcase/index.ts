// testcase: the declarative test-case format (types, JSON Schema), loading with source lines,
// reusable states, payload matching, captures and templates, and the checks behind `check`, all
// parameterised by a set of step kinds (StepFormat; the runner's registry is the set in use).
// May import: protocol, domain, pki. Must never: open connections or decide verdicts (the runner does).
export * from './format.js';
export * from './step-format.js';
export * from './schema.js';
export * from './source-file.js';
export * from './load.js';
export * from './catalog.js';
export * from './check.js';
export * from './match.js';
export * from './capture.js';
export * from './template.js';
export * from './unique-integers.js';
export * from './value-path.js';
export * from './package-root.js';
export * from './scratch-tree.js';
export * from './repetition.js';
