import { join } from 'node:path';
import type { RunResult } from '../runner/index.js';
import { writeAtomically } from './html-reporter.js';
import { renderJUnit } from './junit.js';
import type { Reporter } from './reporter.js';

/** The `junit` reporter: writes `junit.xml` into `reportDir` at the end of the run. */
export function createJUnitReporter(reportDir: string): Reporter {
  return {
    name: 'junit',
    onRunEnd(result: RunResult) {
      writeAtomically(join(reportDir, 'junit.xml'), renderJUnit(result));
    },
  };
}
