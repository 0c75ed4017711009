import type { CaseResult, RunResult } from '../runner/index.js';
import type { TestCase } from '../testcase/index.js';
import type { ErrorSink, Reporter } from './reporter.js';

/** A reporter hook that threw. */
export interface ReporterFailure {
  reporter: string;
  hook: string;
  error: unknown;
}

/** The multiplexer: one Reporter to the runner, with the failures its members had. */
export interface MultiplexReporter extends Reporter {
  /** Every hook that threw so far, in order. */
  readonly failures: readonly ReporterFailure[];
}

/**
 * Runs several reporters as one. Each hook of each reporter is isolated: an exception (or a
 * rejected promise) is written to `errors` and remembered, and the other reporters still run, so
 * a broken HTML writer never costs the JUnit file a CI server waits for.
 */
export function multiplexReporters(reporters: readonly Reporter[], errors: ErrorSink): MultiplexReporter {
  const failures: ReporterFailure[] = [];
  const fail = (reporter: Reporter, hook: string, error: unknown) => {
    failures.push({ reporter: reporter.name, hook, error });
    const message = error instanceof Error ? error.message : String(error);
    try {
      errors.write(`reporter ${reporter.name}: ${hook} failed: ${message}\n`);
    } catch {
      // The sink itself is broken; the failure stays in `failures`.
    }
  };
  const each = (hook: string, call: (reporter: Reporter) => void) => {
    for (const reporter of reporters) {
      try {
        call(reporter);
      } catch (error) {
        fail(reporter, hook, error);
      }
    }
  };
  return {
    name: 'multiplex',
    failures,
    onRunBegin(info) {
      each('onRunBegin', (reporter) => reporter.onRunBegin?.(info));
    },
    onCaseBegin(testCase: TestCase, stationId: string) {
      each('onCaseBegin', (reporter) => reporter.onCaseBegin?.(testCase, stationId));
    },
    onStepBegin(step) {
      each('onStepBegin', (reporter) => reporter.onStepBegin?.(step));
    },
    onCaseEnd(result: CaseResult) {
      each('onCaseEnd', (reporter) => reporter.onCaseEnd?.(result));
    },
    async onRunEnd(result: RunResult, outDir: string) {
      // One after the other: the reporters write into the same folder and may share files' names.
      for (const reporter of reporters) {
        try {
          await reporter.onRunEnd?.(result, outDir);
        } catch (error) {
          fail(reporter, 'onRunEnd', error);
        }
      }
    },
  };
}
