import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { defaultTestcaseRoot } from '../testcase/index.js';
import { configForReference, referenceStarter } from './reference-starter.js';
import { planRun } from './select.js';
import { runSuite } from './run-suite.js';
import { loadTestcases } from './testcases.js';

const TWO_EVSES = [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }];

/**
 * Runs shipped cases against the reference station with two EVSEs. The reference sends one CALL
 * at a time (OCPP-J), so EVSE 2's report after a boot follows EVSE 1's once that one is answered.
 */
async function runWithTwoEvses(ids: string[], faults: string[]): Promise<Array<[string, string, string | undefined]>> {
  const config = configForReference(resolveConfig({ evses: TWO_EVSES, timeouts: { messageMs: 1500, longOperationMs: 3000, connectMs: 3000 } }));
  const catalog = loadTestcases(defaultTestcaseRoot());
  const plan = planRun(catalog.cases, { ocpp: '2.0.1', sut: 'cs', modules: [], patterns: ids, features: [], evses: 2, securityProfile: 0 });
  const result = await runSuite({
    ocpp: '2.0.1', sut: 'cs', plan, catalog, config, configHash: 'test', harness: { name: 'ocpp-harness', version: 'test' },
    outDir: mkdtempSync(join(tmpdir(), 'oh-every-connector-')), listen: { host: '127.0.0.1', port: 0 }, workers: 1, world: {},
    startReference: referenceStarter(faults), signal: new AbortController().signal,
  });
  return result.cases.map((c) => [c.id, c.verdict, c.verdict === 'pass' ? undefined : c.reason]);
}

describe('"every connector reports" after a reset, on a station with two EVSEs (B01.FR.05)', () => {
  it('passes when the second EVSE reports after the first, and late reports too', async () => {
    expect(await runWithTwoEvses(['TC_B_22_CS', 'TC_B_23_CS'], [])).toEqual([['TC_B_22_CS', 'pass', undefined], ['TC_B_23_CS', 'pass', undefined]]);
    // Each report a while after the previous one was answered: still within the window.
    expect(await runWithTwoEvses(['TC_B_23_CS'], ['delay:StatusNotification=300'])).toEqual([['TC_B_23_CS', 'pass', undefined]]);
  }, 60_000);

  it('fails when only the first connector reports, naming the missing one', async () => {
    const [[id, verdict, reason]] = await runWithTwoEvses(['TC_B_23_CS'], ['behaviour:first-connector-status-only']) as [[string, string, string]];
    expect([id, verdict]).toEqual(['TC_B_23_CS', 'fail']);
    expect(reason).toMatch(/"evseId":2/);
  }, 60_000);
});
