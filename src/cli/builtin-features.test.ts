import { describe, expect, it } from 'vitest';
import { loadRunConfig, planTests } from '../api.js';

// A --builtin run declares what the built-in references support (REFERENCE_FEATURES), so the
// shipped 1.6 Reservation cases run against them; a lab's run declares only its configuration's.
describe('features of a run against the built-in reference', { timeout: 30_000 }, () => {
  const plan = (reference: boolean) => planTests({ ocpp: '1.6', sut: 'cs', modules: ['reservation'], patterns: ['TC_049_CS', 'TC_046_1_CS'], config: loadRunConfig(undefined, {}).config, reference }).plan;

  it('with --builtin the Reservation cases apply, connector-0 reservations included', () => {
    expect(plan(true).cases.map((planned) => [planned.testCase.id, planned.notApplicable])).toEqual([['TC_046_1_CS', undefined], ['TC_049_CS', undefined]]);
  });

  it('against a configured SUT that declares nothing, they are not applicable and say which feature is missing', () => {
    const reasons = Object.fromEntries(plan(false).cases.map((planned) => [planned.testCase.id, planned.notApplicable]));
    expect(reasons).toEqual({
      TC_046_1_CS: 'needs feature Reservation, not declared in the configuration',
      TC_049_CS: 'needs features Reservation, ReserveConnectorZeroSupported, not declared in the configuration',
    });
  });
});
