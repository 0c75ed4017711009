// Vitest's settings for `npm test` (.ci/test.mjs). Without timings from an earlier run, vitest
// starts the largest test files first; the two one-run lab suites are small files that take three
// minutes each, and started last they made CI's longest path (681 s of vitest for 996 s of tests
// on two workers). They go first.
import { BaseSequencer } from 'vitest/node';

const LONGEST = ['src/cli/lab-suite-201.test.ts', 'src/cli/lab-suites.test.ts'];

class LongestFirst extends BaseSequencer {
  async sort(files) {
    const sorted = await super.sort(files);
    const rank = (spec) => {
      const index = LONGEST.findIndex((path) => spec.moduleId.endsWith(path));
      return index < 0 ? LONGEST.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

export default { test: { sequence: { sequencer: LongestFirst } } };
