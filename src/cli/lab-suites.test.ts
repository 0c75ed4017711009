import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../api.js';
import { WHOLE_SUITE_MS, applicable, exited, expectSameVerdicts, freePort, labConfig, outputOf, start, stationSuite, stopChildren } from './lab-suites.test-support.js';

afterEach(stopChildren);

describe('a whole station suite in one run against one separately started station', () => {
  it('OCPP 1.6, every module, gives the in-process verdicts, every case passing', async () => {
    // Reservations and Local Authorization Lists a case leaves are undone between cases; the
    // two-connector station takes connector-0 reservations and declares its profiles itself.
    const { separate, inProcess } = await stationSuite('1.6');
    // The separate station has one build (a detachable cable, no back-up power, as the lab file
    // declares): the cases needing another are not applicable to it; in process each case gets a
    // reference built for it.
    for (const id of ['TC_005_2_CS', 'TC_017_2_CS', 'TC_018_2_CS', 'TC_032_1_CS']) expect([id, separate[id], inProcess[id]]).toEqual([id, expect.stringMatching(/^not-applicable: needs feature feature:(FixedCable|BackupPower)/), 'pass']);
    const [lab, alone] = applicable(separate, inProcess);
    expect(Object.keys(lab).length).toBeGreaterThanOrEqual(80);
    expect(Object.entries(lab).filter(([, verdict]) => verdict !== 'pass')).toEqual([]);
    expectSameVerdicts(lab, alone);
  }, WHOLE_SUITE_MS);
});

function resultIn(out: string): RunResult {
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
}

describe('a SUT that is gone: error at once, never fail', () => {
  it('a CSMS target that refuses connections: every case is error with the cause, and the run ends quickly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-gone-'));
    const closed = await freePort();
    const started = performance.now();
    const run = start(['run', '--ocpp', '1.6', '--sut', 'csms', '--target', `ws://127.0.0.1:${closed}/ocpp`, '--reporter', 'json', '--out', dir]);
    expect(await exited(run)).toBe(1);
    expect(performance.now() - started).toBeLessThan(30_000);
    // The cases needing a feature this configuration does not declare (Reservation) are not run at all.
    const cases = resultIn(dir).cases.filter((c) => c.verdict !== 'not-applicable');
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const c of cases) {
      expect(c.verdict).toBe('error');
      expect(c).toMatchObject({ reason: expect.stringMatching(/cannot reach the CSMS at ws:\/\/127\.0\.0\.1:\d+\/ocpp.*ECONNREFUSED/) });
    }
  }, 60_000);

  it('a CSMS that dies mid-suite: the cases after it are error, not fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-gone-'));
    const csms = start(['simulate', 'csms', '--ocpp', '1.6', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0']);
    const [, url, control] = await outputOf(csms, /listening at (ws:\/\/\S+) .*\ncontrol API: (http:\/\/\S+)\/actions/);
    const config = join(dir, 'lab.yaml');
    writeFileSync(config, `timing: { reconnectDelayS: 0 }
adapters:
  default: { kind: http, baseUrl: '${control}', requests: { csmsSend: { path: '/actions/csmsSend?wait=true', body: { action: '{{params.action}}', payload: '{{optional params.payload}}' } } } }
`);
    const run = start(['run', '--ocpp', '1.6', '--sut', 'csms', '--module', 'core', '--target', `${url}/ocpp`, '--config', config, '--out', join(dir, 'out')]);
    // The console names each case as it ends: the CSMS goes once the first one is over.
    await outputOf(run, /TC_001_CSMS/);
    csms.kill('SIGKILL');
    await exited(run);
    const [first, ...others] = resultIn(join(dir, 'out')).cases;
    expect(first?.verdict).toBe('pass');
    // A case whose feature the lab does not declare is not run at all: not-applicable, gone SUT or not.
    const rest = others.filter((c) => c.verdict !== 'not-applicable');
    expect(rest.length).toBeGreaterThanOrEqual(3);
    // Refused before the port closes (ECONNREFUSED), or reset in the middle of the upgrade (ECONNRESET).
    for (const c of rest) expect(c).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/(cannot reach the CSMS|the CSMS closed the connection during the opening handshake).*(ECONNREFUSED|ECONNRESET)/) });
  }, 60_000);

  it('a CSMS that dies in the middle of a case: that case is error too, naming the step it stopped at; a case that fails while the CSMS lives stays fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-gone-'));
    const csms = start(['simulate', 'csms', '--ocpp', '1.6', '--listen', '127.0.0.1:0']);
    const [, url] = await outputOf(csms, /listening at (ws:\/\/\S+) /);
    // Boot, then the lab's device action kills the CSMS (as a crash would), then a Heartbeat it cannot answer.
    const boot = `  - connection: open\n  - send: BootNotification\n    payload: { chargePointVendor: V, chargePointModel: M }\n`;
    const caseFile = (id: string, steps: string) => `id: ${id}\ntitle: ${id}\nocpp: '1.6'\nsut: csms\nmodule: core\npurpose: gone test\nrequirements:\n  R.1: r\nsteps:\n${steps}`;
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'ocpp1.6', 'core'), { recursive: true });
    writeFileSync(join(tree, 'ocpp1.6', 'core', 'TC_S_01_CSMS.yaml'), caseFile('TC_S_01_CSMS', `${boot}    match: { status: Rejected }\n    checks: [R.1]\n`));
    writeFileSync(join(tree, 'ocpp1.6', 'core', 'TC_S_02_CSMS.yaml'), caseFile('TC_S_02_CSMS', `${boot}  - action: crashCsms\n  - send: Heartbeat\n    payload: {}\n    checks: [R.1]\n`));
    writeFileSync(join(tree, 'ocpp1.6', 'core', 'TC_S_03_CSMS.yaml'), caseFile('TC_S_03_CSMS', `${boot}    checks: [R.1]\n`));
    const config = join(dir, 'lab.yaml');
    writeFileSync(config, `timing: { reconnectDelayS: 0 }\nadapters:\n  default: { kind: command, commands: { crashCsms: 'kill -9 ${csms.pid}' } }\n`);
    const run = start(['run', '--ocpp', '1.6', '--sut', 'csms', '--testcases', tree, '--target', `${url}/ocpp`, '--config', config, '--out', join(dir, 'out')]);
    await exited(run);
    const verdicts = Object.fromEntries(resultIn(join(dir, 'out')).cases.map((c) => [c.id, [c.verdict, c.verdict === 'pass' ? '' : c.reason]]));
    // The CSMS lives and answers Accepted where the case wants Rejected: that is the SUT's fail.
    expect(verdicts['TC_S_01_CSMS']).toEqual(['fail', expect.stringMatching(/^step 2 \(send BootNotification/)]);
    expect(verdicts['TC_S_02_CSMS']).toEqual(['error', expect.stringMatching(/^the SUT went away during the case: cannot reach the CSMS at ws:\S+: ECONNREFUSED \(since TC_S_02_CSMS\); the case had stopped at step 4 \(send Heartbeat/)]);
    expect(verdicts['TC_S_03_CSMS']).toEqual(['error', expect.stringMatching(/cannot reach the CSMS.*ECONNREFUSED/)]);
  }, 60_000);

  it('a station that dies mid-suite: the cases after it are error at once, naming since when', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-gone-'));
    const [listen, control] = [await freePort(), await freePort()];
    const config = labConfig(dir, control, '1.6');
    const run = start(['run', '--ocpp', '1.6', '--sut', 'cs', '--module', 'core', '--config', config, '--listen', `127.0.0.1:${listen}`, '--out', join(dir, 'out')]);
    const [, url] = await outputOf(run, /connect the station as (ws:\/\/\S+)\/CS001/);
    const station = start(['simulate', 'station', '--ocpp', '1.6', '--target', url!, '--control', `127.0.0.1:${control}`, '--config', config]);
    await outputOf(run, /TC_001_CS/);
    station.kill('SIGKILL');
    const diedAt = performance.now();
    await exited(run);
    // One wait for the station to come back (timeouts.connectMs of the lab file), then no more.
    expect(performance.now() - diedAt).toBeLessThan(20_000 + 10_000);
    const [first, ...others] = resultIn(join(dir, 'out')).cases;
    expect(first?.verdict).toBe('pass');
    // A case whose feature the lab does not declare is not run at all: not-applicable, gone SUT or not.
    const rest = others.filter((c) => c.verdict !== 'not-applicable');
    expect(rest.length).toBeGreaterThanOrEqual(3);
    for (const c of rest) expect([c.id, c.verdict]).toEqual([c.id, 'error']);
    expect(rest.at(-1)).toMatchObject({ reason: expect.stringMatching(/SUT gone: no connection from CS001 within \d+ ms \(since TC_00\d_CS\)/) });
  }, 90_000);
});
