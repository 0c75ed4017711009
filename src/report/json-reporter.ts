import { writeResultsFile, type RunResult } from '../runner/index.js';
import type { Reporter } from './reporter.js';

/** results.json as the JSON reporter leaves it: the runner's RunResult plus two version fields. */
export type ReportedRunResult = RunResult & { harnessVersion?: string; suiteVersion?: string };

/**
 * Rewrites results.json at the end of the run with `harnessVersion` and `suiteVersion` added.
 * The runner already wrote the file after every case; this only completes it, atomically.
 */
export function createJsonReporter(reportDir: string, suiteVersion: () => string): Reporter {
  return {
    name: 'json',
    onRunEnd(result: RunResult) {
      writeResultsFile(reportDir, withVersions(result, suiteVersion));
    },
  };
}

/** The result with `harnessVersion` and `suiteVersion` set (kept when already there, e.g. from shards). */
export function withVersions(result: RunResult, suiteVersion: () => string): ReportedRunResult {
  const { schemaVersion, harness, ...rest } = result as ReportedRunResult;
  // Listed first so they sit next to `harness` in the file.
  return { schemaVersion, harness, harnessVersion: harness.version, suiteVersion: rest.suiteVersion ?? suiteVersion(), ...rest };
}
