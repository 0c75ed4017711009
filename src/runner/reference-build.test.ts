import { describe, expect, it } from 'vitest';
import { referenceFeatures } from '../reference/index.js';
import { defaultTestcaseRoot } from '../testcase/index.js';
import { runShippedCases, verdicts } from './lab-run.test-support.js';
import { reasonOf } from './results.test-support.js';
import { planRun } from './select.js';
import { loadTestcases } from './testcases.js';

// Issue 16: a case asks for a trait of the built-in reference (a fixed cable, back-up power) by
// the feature id a lab declares for its own station. A reference started for the case is built
// with it; one that serves the whole run keeps its default build; a real SUT is judged by its
// configuration's features alone.

const CABLES = ['TC_017_1_CS', 'TC_017_2_CS'];
const POWER = ['TC_032_1_CS', 'TC_032_2_CS'];

describe('a case that needs a trait of the built-in reference station', () => {
  it('gets a reference built for it when each case has its own: a detachable and a fixed cable, with and without back-up power, in one run', async () => {
    const result = await runShippedCases([...CABLES, ...POWER], { ocpp: '1.6', betweenCases: 'fresh' });
    expect(verdicts(result)).toEqual({ TC_017_1_CS: 'pass', TC_017_2_CS: 'pass', TC_032_1_CS: 'pass', TC_032_2_CS: 'pass' });
  }, 60_000);

  it('is not applicable to a reference that serves every case of the run, which keeps its default build, and the reason says so', async () => {
    const result = await runShippedCases([...CABLES, ...POWER], { ocpp: '1.6', betweenCases: 'restore' });
    expect(verdicts(result)).toEqual({ TC_017_1_CS: 'pass', TC_017_2_CS: 'not-applicable', TC_032_1_CS: 'not-applicable', TC_032_2_CS: 'pass' });
    expect(reasonOf(result.cases.find((c) => c.id === 'TC_017_2_CS'))).toMatch(/^needs feature:FixedCable: the built-in reference that serves every case of this run is built without it/);
    expect(reasonOf(result.cases.find((c) => c.id === 'TC_032_1_CS'))).toMatch(/^needs feature:BackupPower: /);
  }, 60_000);

  it('against a real station applies only when the configuration declares the feature, as before', () => {
    const catalog = loadTestcases(defaultTestcaseRoot());
    const plan = (features: string[]) => planRun(catalog.cases, { ocpp: '1.6', sut: 'cs', modules: [], patterns: ['TC_017_2_CS', 'TC_032_1_CS'], features, evses: 1 }).cases.map(({ testCase, notApplicable }) => [testCase.id, notApplicable]);
    expect(plan(['feature:DetachableCable'])).toEqual([
      ['TC_017_2_CS', 'needs feature feature:FixedCable, not declared in the configuration'],
      ['TC_032_1_CS', 'needs feature feature:BackupPower, not declared in the configuration'],
    ]);
    expect(plan(['feature:FixedCable', 'feature:BackupPower'])).toEqual([['TC_017_2_CS', undefined], ['TC_032_1_CS', undefined]]);
    // --builtin declares what a reference can be built as.
    expect(referenceFeatures('1.6', 'cs')).toEqual(expect.arrayContaining(['feature:DetachableCable', 'feature:FixedCable', 'feature:BackupPower']));
  });
});
