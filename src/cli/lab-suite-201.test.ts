import { afterEach, describe, expect, it } from 'vitest';
import { WHOLE_SUITE_MS, applicable, expectSameVerdicts, stationSuite, stopChildren } from './lab-suites.test-support.js';

afterEach(stopChildren);

describe('a whole station suite in one run against one separately started station', () => {
  it('OCPP 2.0.1 Core gives the in-process verdicts', async () => {
    const { separate, inProcess } = await stationSuite('2.0.1');
    const [lab, alone] = applicable(separate, inProcess);
    expect(Object.keys(lab).length).toBeGreaterThanOrEqual(90);
    expect(Object.entries(lab).filter(([, verdict]) => verdict !== 'pass')).toEqual([]);
    expectSameVerdicts(lab, alone);
  }, WHOLE_SUITE_MS);
});
