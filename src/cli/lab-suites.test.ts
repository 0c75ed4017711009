import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../api.js';

// Issue 11, "one run, one SUT": a lab runs a whole suite in one go against one station that lives
// on between cases. Here that station is `ocpp-harness simulate station`, a separate process with
// its state kept from case to case, driven through its control API by synchronous http adapters
// (?wait=true: the API answers only after the OCPP exchange it caused). Its verdicts must be those
// of the in-process run, where every case gets a fresh reference.

const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
const WHOLE_SUITE_MS = 600_000;
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGINT');
});

function start(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [main, ...args], { cwd: root });
  children.push(child);
  return child;
}

function outputOf(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpMatchArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(pattern);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${pattern}: ${text}`)));
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function verdictsIn(out: string): Record<string, string> {
  const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
  // A verdict other than pass keeps the start of its reason, so a difference explains itself in CI's log.
  return Object.fromEntries(result.cases.map((c) => [c.id, c.verdict === 'pass' || !('reason' in c) ? c.verdict : `${c.verdict}: ${String(c.reason).slice(0, 200)}`]));
}

/**
 * The lab file with the control API at `port` instead of the default 9100. OCPP 1.6 numbers
 * connectors station-wide, so its second EVSE's connector is connector 2.
 */
function labConfig(dir: string, port: number, ocpp: '1.6' | '2.0.1' = '2.0.1'): string {
  const fixture = readFileSync(join(root, 'fixtures', 'config', 'simulated-station.yaml'), 'utf8');
  expect(fixture).toContain('http://127.0.0.1:9100');
  expect(fixture).toContain('- { id: 2, connectors: [{ id: 1 }] }');
  let lab = fixture.replaceAll('http://127.0.0.1:9100', `http://127.0.0.1:${port}`);
  if (ocpp === '1.6') lab = lab.replace('- { id: 2, connectors: [{ id: 1 }] }', '- { id: 2, connectors: [{ id: 2 }] }');
  const file = join(dir, 'lab.yaml');
  writeFileSync(file, lab);
  return file;
}

async function stationSuite(ocpp: '1.6' | '2.0.1', module?: string): Promise<{ separate: Record<string, string>; inProcess: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'oh-lab-'));
  const [listen, control] = [await freePort(), await freePort()];
  const config = labConfig(dir, control, ocpp);
  const selection = ['--ocpp', ocpp, '--sut', 'cs', ...(module ? ['--module', module] : []), '--config', config, '--reporter', 'console,json'];
  // The station trusts the roots of the PKI the run keeps (signed firmware, certificates), like a lab's device.
  const pki = join(dir, 'pki');
  const run = start(['run', ...selection, '--listen', `127.0.0.1:${listen}`, '--pki', pki, '--out', join(dir, 'separate')]);
  const [, url] = await outputOf(run, /connect the station as (ws:\/\/\S+)\/CS001/);
  start(['simulate', 'station', '--ocpp', ocpp, '--target', url!, '--control', `127.0.0.1:${control}`, '--config', config, '--pki', pki]);
  // The in-process run, a fresh reference per case, goes on alongside: both mostly wait.
  const inProcess = start(['run', ...selection, '--builtin', '--out', join(dir, 'builtin')]);
  inProcess.stdout.resume();
  inProcess.stderr.resume();
  await Promise.all([exited(run), exited(inProcess)]);
  return { separate: verdictsIn(join(dir, 'separate')), inProcess: verdictsIn(join(dir, 'builtin')) };
}

/** The verdicts of the cases the separate station could run (a case needing TLS is not applicable to it). */
function applicable(separate: Record<string, string>, inProcess: Record<string, string>): [Record<string, string>, Record<string, string>] {
  const ids = Object.keys(separate).filter((id) => !separate[id]!.startsWith('not-applicable'));
  return [Object.fromEntries(ids.map((id) => [id, separate[id]!])), Object.fromEntries(ids.map((id) => [id, inProcess[id]!]))];
}

/** Each case's verdict in the one run equals its verdict alone; a difference is listed with both reasons. */
function expectSameVerdicts(lab: Record<string, string>, alone: Record<string, string>): void {
  const differing = Object.keys({ ...lab, ...alone }).filter((id) => lab[id] !== alone[id]);
  expect(differing.map((id) => `${id}: in the one run ${lab[id]}; alone ${alone[id]}`)).toEqual([]);
}

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

  it('OCPP 2.0.1 Core gives the in-process verdicts', async () => {
    const { separate, inProcess } = await stationSuite('2.0.1');
    const [lab, alone] = applicable(separate, inProcess);
    expect(Object.keys(lab).length).toBeGreaterThanOrEqual(90);
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
    for (const c of rest) expect(c).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/cannot reach the CSMS.*(ECONNREFUSED|ECONNRESET)/) });
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
