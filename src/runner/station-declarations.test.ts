import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, applyOverrides } from '../config/index.js';
import { referenceFeatures } from '../reference/index.js';
import { writeScratchTree, type Sut } from '../testcase/index.js';
import { pki } from './lab-run.test-support.js';
import { configForReference, referenceStarter } from './reference-starter.js';
import type { RunResult } from './results.js';
import { runSuite } from './run-suite.js';
import { planRun } from './select.js';
import { loadTestcases } from './testcases.js';

// Issue 16, selection for 1.6: what a station declares of itself (SupportedFeatureProfiles, its
// configuration keys and their read-only flags) is asked on the wire, and decides the cases whose
// features the configuration leaves open.

const TIMEOUTS = { messageMs: 1500, longOperationMs: 3000, connectMs: 3000 };
const RUN_MS = 30_000;

/** A 1.6 case of one CALL that any answering SUT passes. */
function case16(id: string, sut: Sut, features: string[]): string {
  const step = sut === 'cs'
    ? '  - send: ClearCache\n    checks: [R.1]\n'
    : '  - connection: open\n  - send: BootNotification\n    payload: { chargePointVendor: V, chargePointModel: M }\n    checks: [R.1]\n';
  return `id: ${id}\ntitle: ${id}\nocpp: '1.6'\nsut: ${sut}\nmodule: core\npurpose: selection test\nrequirements:\n  R.1: r\nfeatures: ${JSON.stringify(features)}\nsteps:\n${step}`;
}

const TREE = writeScratchTree({
  'ocpp1.6/core/TC_S_01_CS.yaml': case16('TC_S_01_CS', 'cs', []),
  'ocpp1.6/core/TC_S_02_CS.yaml': case16('TC_S_02_CS', 'cs', ['Reservation']),
  'ocpp1.6/core/TC_S_03_CS.yaml': case16('TC_S_03_CS', 'cs', ['writable:GetConfigurationMaxKeys']),
  'ocpp1.6/core/TC_S_04_CS.yaml': case16('TC_S_04_CS', 'cs', ['writable:HeartbeatInterval', 'key:NumberOfConnectors', 'RemoteTrigger']),
  'ocpp1.6/core/TC_S_05_CS.yaml': case16('TC_S_05_CS', 'cs', ['key:NoSuchKeyAnywhere']),
  'ocpp1.6/core/TC_S_06_CS.yaml': case16('TC_S_06_CS', 'cs', ['FixedCable']),
  'ocpp1.6/core/TC_S_01_CSMS.yaml': case16('TC_S_01_CSMS', 'csms', ['Reservation']),
  // Issue 18: 2.0.1 cases that need device-model values (the reference declares ProfileStackLevel 8).
  'ocpp2.0.1/core/TC_S_11_CS.yaml': case201('TC_S_11_CS', ['var:SmartChargingCtrlr.ProfileStackLevel>=8', 'var:SmartChargingCtrlr.RateUnit~W']),
  'ocpp2.0.1/core/TC_S_12_CS.yaml': case201('TC_S_12_CS', ['var:SmartChargingCtrlr.ProfileStackLevel>=9', 'var:SmartChargingCtrlr.PeriodsPerSchedule>=3']),
  'ocpp2.0.1/core/TC_S_13_CS.yaml': case201('TC_S_13_CS', ['var:NoSuchCtrlr.Anything']),
  'ocpp2.0.1/core/TC_S_14_CS.yaml': case201('TC_S_14_CS', []),
});

/** A 2.0.1 case of one CALL that any answering station passes. */
function case201(id: string, features: string[]): string {
  return `id: ${id}\ntitle: ${id}\nocpp: '2.0.1'\nsut: cs\nmodule: core\npurpose: selection test\nrequirements:\n  R.1: r\nfeatures: ${JSON.stringify(features)}\nsteps:\n  - send: ClearCache\n    checks: [R.1]\n`;
}

/** Runs the tree's cases of a role against the built-in reference, as `run --builtin` plans them. */
async function runTree(options: { ocpp?: '1.6' | '2.0.1'; sut?: Sut; faults?: string[]; features?: string[]; betweenCases?: 'fresh' | 'restore'; } = {}): Promise<{ result: RunResult; outDir: string }> {
  const sut = options.sut ?? 'cs';
  const ocpp = options.ocpp ?? '1.6';
  const catalog = loadTestcases(TREE);
  const config = configForReference(applyOverrides(DEFAULT_CONFIG, { timeouts: TIMEOUTS, features: options.features ?? [] }, 'test'));
  const plan = planRun(catalog.cases, { ocpp, sut, modules: [], patterns: [], features: config.features });
  const outDir = mkdtempSync(join(tmpdir(), 'ocpp-harness-declared-'));
  const result = await runSuite({
    ocpp, sut, plan, catalog, config, configHash: 'test', harness: { name: 'ocpp-harness', version: 'test' },
    outDir, listen: { host: '127.0.0.1', port: 0 }, workers: 1, world: {}, pki: pki(),
    startReference: referenceStarter(options.faults ?? []), signal: new AbortController().signal, betweenCases: options.betweenCases ?? 'fresh',
  });
  return { result, outDir };
}

/** id → verdict, or verdict: reason for a case that did not pass. */
function outcomes(result: RunResult): Record<string, string> {
  return Object.fromEntries(result.cases.map((c) => [c.id, c.verdict === 'pass' ? 'pass' : `${c.verdict}: ${c.reason}`]));
}

/** The CALLs of this action (GetConfiguration unless named) the harness sent outside any case, read from the lane's trace file. */
function questionsOutsideCases(outDir: string, action = 'GetConfiguration'): unknown[] {
  const text = readFileSync(join(outDir, 'traces', `_outside-cases-${DEFAULT_CONFIG.stationId}.jsonl`), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { direction: string; messageType: string; action?: string; raw: string })
    .filter((record) => record.direction === 'csms-to-cp' && record.messageType === 'CALL' && record.action === action)
    .map((record) => JSON.parse(record.raw) as unknown);
}

describe('selection from what a 1.6 station declares', () => {
  // The test PKI's keys take seconds to issue on a busy host: before the runs, not in the first one.
  beforeAll(() => void pki(), 60_000);

  it('plans the station-declared needs of a cs case as questions, the others from the configuration', () => {
    const catalog = loadTestcases(TREE);
    const plan = planRun(catalog.cases, { ocpp: '1.6', sut: 'cs', modules: [], patterns: ['TC_S_02_CS', 'TC_S_03_CS', 'TC_S_04_CS', 'TC_S_05_CS', 'TC_S_06_CS'], features: ['key:NumberOfConnectors'] });
    expect(plan.cases.map(({ testCase, asks, notApplicable }) => [testCase.id, asks ?? notApplicable])).toEqual([
      ['TC_S_02_CS', ['Reservation']],
      ['TC_S_03_CS', ['writable:GetConfigurationMaxKeys']],
      // The configuration's key:NumberOfConnectors needs no asking.
      ['TC_S_04_CS', ['writable:HeartbeatInterval', 'RemoteTrigger']],
      ['TC_S_05_CS', ['key:NoSuchKeyAnywhere']],
      // An id that is no profile and no key only the configuration declares.
      ['TC_S_06_CS', 'needs feature FixedCable, not declared in the configuration'],
    ]);
  });

  it('a station that declares Core alone: a Reservation case is not applicable, naming its SupportedFeatureProfiles, while a Core case runs', async () => {
    const { result, outDir } = await runTree({ faults: ['behaviour:declares-core-only'], features: ['FixedCable'] });
    expect(outcomes(result)).toEqual({
      TC_S_01_CS: 'pass',
      TC_S_02_CS: 'not-applicable: needs Reservation: the station\'s SupportedFeatureProfiles is "Core"',
      TC_S_03_CS: 'not-applicable: needs writable:GetConfigurationMaxKeys: read-only on the station',
      TC_S_04_CS: 'not-applicable: needs RemoteTrigger: the station\'s SupportedFeatureProfiles is "Core"',
      TC_S_05_CS: 'not-applicable: needs key:NoSuchKeyAnywhere: the station\'s GetConfiguration does not list NoSuchKeyAnywhere',
      TC_S_06_CS: 'pass',
    });
    // One question for the run (a GetConfiguration without keys, §5.8), though each case had a reference of its own.
    expect(questionsOutsideCases(outDir)).toEqual([[2, expect.any(String), 'GetConfiguration', {}]]);
    expect(result.cases.find((c) => c.id === 'TC_S_02_CS')?.stationId).toBe(DEFAULT_CONFIG.stationId);
  }, RUN_MS);

  it('the reference station declares the profiles it implements; key: and writable: follow its GetConfiguration answer, one reference for the run too', async () => {
    const { result } = await runTree({ betweenCases: 'restore', features: ['FixedCable'] });
    expect(outcomes(result)).toEqual({
      TC_S_01_CS: 'pass',
      TC_S_02_CS: 'pass',
      TC_S_03_CS: 'not-applicable: needs writable:GetConfigurationMaxKeys: read-only on the station',
      TC_S_04_CS: 'pass',
      TC_S_05_CS: 'not-applicable: needs key:NoSuchKeyAnywhere: the station\'s GetConfiguration does not list NoSuchKeyAnywhere',
      TC_S_06_CS: 'pass',
    });
  }, RUN_MS);

  it('the configuration\'s features add to what the station declares', async () => {
    const { result, outDir } = await runTree({ faults: ['behaviour:declares-core-only'], features: ['Reservation', 'writable:GetConfigurationMaxKeys', 'FixedCable'] });
    expect(outcomes(result)).toMatchObject({ TC_S_02_CS: 'pass', TC_S_03_CS: 'pass', TC_S_04_CS: expect.stringContaining('needs RemoteTrigger: the station\'s SupportedFeatureProfiles is "Core"') });
    expect(questionsOutsideCases(outDir)).toHaveLength(1);
  }, RUN_MS);

  it('a station that does not answer GetConfiguration: the configuration\'s list decides, and the reason says the station could not be asked', async () => {
    const { result } = await runTree({ faults: ['noreply:GetConfiguration'], features: ['Reservation', 'FixedCable'] });
    const unasked = '(the station could not be asked: GetConfiguration unanswered within 1500 ms)';
    expect(outcomes(result)).toMatchObject({
      TC_S_02_CS: 'pass',
      TC_S_03_CS: `not-applicable: needs feature writable:GetConfigurationMaxKeys, not declared in the configuration ${unasked}`,
      TC_S_04_CS: `not-applicable: needs features writable:HeartbeatInterval, key:NumberOfConnectors, RemoteTrigger, not declared in the configuration ${unasked}`,
    });
  }, RUN_MS);

  it('asks nothing when the configuration declares every need', async () => {
    const { result, outDir } = await runTree({ features: ['Reservation', 'writable:GetConfigurationMaxKeys', 'writable:HeartbeatInterval', 'key:NumberOfConnectors', 'RemoteTrigger', 'key:NoSuchKeyAnywhere', 'FixedCable'] });
    expect(Object.values(outcomes(result))).toEqual(Array(6).fill('pass'));
    expect(questionsOutsideCases(outDir)).toEqual([]);
  }, RUN_MS);

  it('a CSMS under test declares nothing itself: its cases go by the configuration (or, built in, by what the reference CSMS implements)', async () => {
    const catalog = loadTestcases(TREE);
    const plan = planRun(catalog.cases, { ocpp: '1.6', sut: 'csms', modules: [], patterns: [], features: [] });
    expect(plan.cases.map(({ testCase, asks, notApplicable }) => [testCase.id, asks, notApplicable])).toEqual([
      ['TC_S_01_CSMS', undefined, 'needs feature Reservation, not declared in the configuration'],
    ]);
    const builtin = planRun(catalog.cases, { ocpp: '1.6', sut: 'csms', modules: [], patterns: [], features: referenceFeatures('1.6', 'csms') });
    expect(builtin.cases.map(({ notApplicable }) => notApplicable)).toEqual([undefined]);
    const { result } = await runTree({ sut: 'csms', features: ['Reservation'] });
    expect(outcomes(result)).toEqual({ TC_S_01_CSMS: 'pass' });
  }, RUN_MS);
});

describe('selection from what a 2.0.1 station declares in its device model (issue 18)', () => {
  beforeAll(() => void pki(), 60_000);

  it('asks one GetVariables for the run and finds a case not applicable where a value falls short, naming the value', async () => {
    const { result, outDir } = await runTree({ ocpp: '2.0.1' });
    expect(outcomes(result)).toEqual({
      TC_S_11_CS: 'pass',
      TC_S_12_CS: 'not-applicable: needs var:SmartChargingCtrlr.ProfileStackLevel>=9: the station\'s SmartChargingCtrlr.ProfileStackLevel is "8", the case needs at least 9',
      TC_S_13_CS: 'not-applicable: needs var:NoSuchCtrlr.Anything: the station\'s GetVariables answers UnknownComponent for NoSuchCtrlr.Anything',
      TC_S_14_CS: 'pass',
    });
    expect(questionsOutsideCases(outDir, 'GetVariables')).toEqual([[2, expect.any(String), 'GetVariables', {
      getVariableData: [
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'ProfileStackLevel' } },
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' } },
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'PeriodsPerSchedule' } },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'Anything' } },
      ],
    }]]);
  }, RUN_MS);

  it('the configuration\'s features add to what the station declares, and only the rest is asked', async () => {
    const { result, outDir } = await runTree({ ocpp: '2.0.1', features: ['var:SmartChargingCtrlr.ProfileStackLevel>=9', 'var:NoSuchCtrlr.Anything'] });
    expect(Object.values(outcomes(result))).toEqual(Array(4).fill('pass'));
    expect(questionsOutsideCases(outDir, 'GetVariables')).toEqual([[2, expect.any(String), 'GetVariables', {
      getVariableData: [
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'ProfileStackLevel' } },
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' } },
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'PeriodsPerSchedule' } },
      ],
    }]]);
  }, RUN_MS);

  it('a station that does not answer GetVariables: the configuration decides, and the reason says the station could not be asked', async () => {
    const { result } = await runTree({ ocpp: '2.0.1', faults: ['noreply:GetVariables'] });
    expect(outcomes(result)).toMatchObject({
      TC_S_13_CS: 'not-applicable: needs feature var:NoSuchCtrlr.Anything, not declared in the configuration (the station could not be asked: GetVariables unanswered within 1500 ms)',
      TC_S_14_CS: 'pass',
    });
  }, RUN_MS);
});
