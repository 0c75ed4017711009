import { describe, expect, it } from 'vitest';
import type { OcppVersion } from '../protocol/index.js';
import type { TestCase } from '../testcase/index.js';
import { loadTestcases } from './testcases.js';

// Issue 18: selection by the station's declared Smart Charging limits. A station case that installs a
// profile above stack level 0, or a schedule of more than one period, needs the station to take it:
// 1.6 declares the limits in ChargeProfileMaxStackLevel and ChargingScheduleMaxPeriods (§9.4), 2.0.1
// in SmartChargingCtrlr.ProfileStackLevel and PeriodsPerSchedule (the prerequisites of TC_K_40_CS
// and TC_K_41_CS). A station with lower limits must find the case not applicable rather than failed,
// so each such case names the limit as a feature id the harness asks the station about. This holds
// the tree to it: the ids follow from what the cases send.

const root = new URL('../../testcases/', import.meta.url).pathname;

/** The feature id that names each limit, per version. */
const LIMIT_IDS: Record<'1.6' | '2.0.1', { stackLevel: string; periods: string }> = {
  '1.6': { stackLevel: 'key:ChargeProfileMaxStackLevel', periods: 'key:ChargingScheduleMaxPeriods' },
  '2.0.1': { stackLevel: 'var:SmartChargingCtrlr.ProfileStackLevel', periods: 'var:SmartChargingCtrlr.PeriodsPerSchedule' },
};

/** The CALLs that install a charging profile on a station (1.6 §5.16, §5.11; 2.0.1 K01, F01). */
const INSTALLING = new Set(['SetChargingProfile', 'RemoteStartTransaction', 'RequestStartTransaction']);

/** The highest stack level and the longest schedule the steps (and the states they use) install. */
function installedLimits(steps: unknown, stateSteps: (name: string) => unknown): { stackLevel: number; periods: number } {
  const found = { stackLevel: 0, periods: 1 };
  const seenStates = new Set<string>();
  const walkPayload = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record['stackLevel'] === 'number') found.stackLevel = Math.max(found.stackLevel, record['stackLevel']);
    if (Array.isArray(record['chargingSchedulePeriod'])) found.periods = Math.max(found.periods, record['chargingSchedulePeriod'].length);
    Object.values(record).forEach(walkPayload);
  };
  const walkSteps = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const step = value as Record<string, unknown>;
    if (step['kind'] === 'send' && INSTALLING.has(String(step['action']))) walkPayload(step['payload']);
    if (step['kind'] === 'use' && typeof step['state'] === 'string' && !seenStates.has(step['state'])) {
      seenStates.add(step['state']);
      walkSteps(stateSteps(step['state']));
    }
    Object.values(step).forEach(walkSteps);
  };
  walkSteps(steps);
  return found;
}

/** The limits a case installs that its features do not name (with a high enough value). */
function undeclaredLimits(testCase: TestCase, stateSteps: (name: string) => unknown): string[] {
  const ids = LIMIT_IDS[testCase.ocpp === '1.6' ? '1.6' : '2.0.1'];
  const installed = installedLimits([testCase.before, testCase.steps, testCase.post], stateSteps);
  const declares = (id: string, atLeast: number): boolean => testCase.features.some((feature) => {
    const [, name, value] = /^(.+)>=(\d+)$/.exec(feature) ?? [];
    return name === id && Number(value) >= atLeast;
  });
  const missing: string[] = [];
  if (installed.stackLevel > 0 && !declares(ids.stackLevel, installed.stackLevel)) missing.push(`${ids.stackLevel}>=${installed.stackLevel}`);
  if (installed.periods > 1 && !declares(ids.periods, installed.periods)) missing.push(`${ids.periods}>=${installed.periods}`);
  return missing;
}

function stateStepsOf(catalog: ReturnType<typeof loadTestcases>, ocpp: OcppVersion) {
  return (name: string) => catalog.states.find((state) => state.ocpp === ocpp && state.sut === 'cs' && state.state === name)?.steps;
}

describe('station cases name the Smart Charging limits they need', () => {
  it('in the whole test-case tree', () => {
    const catalog = loadTestcases(root);
    const stationCases = catalog.cases.filter((testCase) => testCase.sut === 'cs');
    const gaps = stationCases.flatMap((testCase) => {
      const missing = undeclaredLimits(testCase, stateStepsOf(catalog, testCase.ocpp));
      return missing.length > 0 ? [`${testCase.id} (${testCase.ocpp}): ${missing.join(', ')}`] : [];
    });
    expect(gaps).toEqual([]);
    // The audit saw profiles to judge: cases above stack level 0 and with several periods, in both versions.
    const judged = stationCases.filter((testCase) => testCase.features.some((feature) => /MaxStackLevel>=|ProfileStackLevel>=/.test(feature)));
    expect(new Set(judged.map((testCase) => testCase.ocpp))).toEqual(new Set(['1.6', '2.0.1']));
  }, 60_000);

  it('the audit sees a case that installs more than it declares (it can fail)', () => {
    const testCase = {
      ocpp: '2.0.1', features: ['var:SmartChargingCtrlr.PeriodsPerSchedule>=2'], before: { configuration: [], states: [{ kind: 'use', state: 'Installed' }] },
      steps: [{ kind: 'send', action: 'SetChargingProfile', payload: { chargingProfile: { stackLevel: 0, chargingSchedule: [{ chargingSchedulePeriod: [{}, {}, {}] }] } } }], post: [],
    } as unknown as TestCase;
    const states = (name: string) => (name === 'Installed' ? [{ kind: 'send', action: 'SetChargingProfile', payload: { chargingProfile: { stackLevel: 2 } } }] : undefined);
    expect(undeclaredLimits(testCase, states)).toEqual(['var:SmartChargingCtrlr.ProfileStackLevel>=2', 'var:SmartChargingCtrlr.PeriodsPerSchedule>=3']);
  });
});
