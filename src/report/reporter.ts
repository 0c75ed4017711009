import type { RunResult, SuiteListener } from '../runner/index.js';

/**
 * A consumer of a run: the runner's progress hooks (onRunBegin, onCaseBegin, onCaseEnd) plus
 * onRunEnd with the final result. `outDir` is the run's output folder: it holds results.json and
 * the traces the result's `trace` paths are relative to.
 */
export interface Reporter extends SuiteListener {
  /** Short name for messages, e.g. "junit"; also the name `--reporter` uses. */
  readonly name: string;
  /** Called once, after the run (or a merge); file reporters write their file here. */
  onRunEnd?(result: RunResult, outDir: string): void | Promise<void>;
}

/** Where reporters put complaints: process.stderr, or a test's buffer. */
export interface ErrorSink {
  write(text: string): unknown;
}
