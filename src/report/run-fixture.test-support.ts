import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../runner/index.js';
import type { Payload } from '../protocol/index.js';
import type { Session } from '../session/index.js';

// Real runs for the report tests, with the runner's scripted-station helper.
import * as harness from '../runner/engine-harness.test-support.js';

/** Writes a test-case tree: odd cases expect Accepted (pass against an accepting station), even ones Rejected (fail), one needs an undeclared feature. */
export function writeSampleTree(count = 5): string {
  const files: Record<string, string> = {};
  for (let n = 1; n <= count; n++) {
    const id = `OH_REP_${String(n).padStart(2, '0')}_CS`;
    files[`ocpp2.0.1/core/${id}.yaml`] = harness.caseFile(id, `
  - send: ClearCache
    payload: {}
    match: { status: ${n % 2 === 1 ? 'Accepted' : 'Rejected'} }
    checks: [R.1]
`);
  }
  files['ocpp2.0.1/core/OH_REP_99_CS.yaml'] = harness.caseFile('OH_REP_99_CS', `
  - send: ClearCache
    payload: {}
    checks: [R.1]
`, 'features: [NoSuchFeature]\n');
  return harness.writeTree(files);
}

// A station boots as soon as it connects; the runner waits for that before the first case.
async function boot(station: Session): Promise<void> {
  await station.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'ExampleVendor', model: 'DC-50' } });
}

/**
 * Runs a tree against a station that accepts everything and returns the result with its output
 * folder.
 */
export function runSample(root: string, shard?: { index: number; total: number }): Promise<{ result: RunResult; outDir: string }> {
  return withOutDir(() => harness.runAgainstScript(root, { onCall: () => ({ payload: { status: 'Accepted' } }), onConnect: boot }, shard ? { shard } : {}));
}

/**
 * A real CSMS run with two passes: OH_REL_01_CSMS only checks the Reset type the adapter handed
 * over (relayed), OH_REL_02_CSMS also checks a remoteStartId the CSMS chose itself (not relayed).
 */
export function runRelaySample(): Promise<{ result: RunResult; outDir: string }> {
  const boot = `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
`;
  const root = harness.writeTree({
    'ocpp2.0.1/core/OH_REL_01_CSMS.yaml': harness.csmsCaseFile('OH_REL_01_CSMS', `${boot}
  - action: csmsSend
    params: { action: Reset, payload: { type: OnIdle } }
  - expect: Reset
    match: { type: OnIdle }
    reply: { status: Accepted }
    checks: [R.1]
`),
    'ocpp2.0.1/core/OH_REL_02_CSMS.yaml': harness.csmsCaseFile('OH_REL_02_CSMS', `${boot}
  - action: csmsSend
    params: { action: RequestStartTransaction, payload: { idToken: { idToken: TAG1, type: ISO14443 } } }
  - expect: RequestStartTransaction
    match: { idToken: { idToken: TAG1 }, remoteStartId: { $exists: true } }
    reply: { status: Accepted }
    checks: [R.1]
`),
  });
  return withOutDir(() => harness.runAgainstCsms(root, {
    onCall: () => ({ payload: { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } }),
    onAction: (_name, params, csms) => {
      const { action, payload } = params as { action: string; payload: Payload };
      void csms?.call(action, action === 'RequestStartTransaction' ? { ...payload, remoteStartId: 5 } : payload);
      return { status: 'done' };
    },
  }));
}

/**
 * Runs `run` and finds the output folder it made: the engine helpers make it under os.tmpdir(),
 * which follows TMPDIR, so TMPDIR points at a fresh folder of ours for the duration of the run.
 */
async function withOutDir(run: () => Promise<RunResult>): Promise<{ result: RunResult; outDir: string }> {
  const parent = mkdtempSync(join(tmpdir(), 'ocpp-harness-report-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = parent;
  try {
    const result = await run();
    const [folder] = readdirSync(parent).filter((name) => name.startsWith('ocpp-harness-out-'));
    if (!folder) throw new Error(`the run wrote no output folder under ${parent}`);
    return { result, outDir: join(parent, folder) };
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}
