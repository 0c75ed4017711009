import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunResult } from '../api.js';

// Issue 11, "one run, one SUT": a lab runs a whole suite in one go against one station that lives
// on between cases. Here that station is `ocpp-harness simulate station`, a separate process with
// its state kept from case to case, driven through its control API by synchronous http adapters
// (?wait=true: the API answers only after the OCPP exchange it caused). Its verdicts must be those
// of the in-process run, where every case gets a fresh reference. The suites are in two test files
// so that they run side by side: each takes minutes.

const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
export const WHOLE_SUITE_MS = 600_000;
const children: ChildProcessWithoutNullStreams[] = [];

/** Stops every process the test started (each test file calls it after each test). */
export function stopChildren(): void {
  for (const child of children.splice(0)) child.kill('SIGINT');
}

export function start(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [main, ...args], { cwd: root });
  children.push(child);
  return child;
}

export function outputOf(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpMatchArray> {
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

export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export function freePort(): Promise<number> {
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
export function labConfig(dir: string, port: number, ocpp: '1.6' | '2.0.1' = '2.0.1'): string {
  const fixture = readFileSync(join(root, 'fixtures', 'config', 'simulated-station.yaml'), 'utf8');
  expect(fixture).toContain('http://127.0.0.1:9100');
  expect(fixture).toContain('- { id: 2, connectors: [{ id: 1 }] }');
  let lab = fixture.replaceAll('http://127.0.0.1:9100', `http://127.0.0.1:${port}`);
  if (ocpp === '1.6') lab = lab.replace('- { id: 2, connectors: [{ id: 1 }] }', '- { id: 2, connectors: [{ id: 2 }] }');
  const file = join(dir, 'lab.yaml');
  writeFileSync(file, lab);
  return file;
}

export async function stationSuite(ocpp: '1.6' | '2.0.1', module?: string): Promise<{ separate: Record<string, string>; inProcess: Record<string, string> }> {
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
export function applicable(separate: Record<string, string>, inProcess: Record<string, string>): [Record<string, string>, Record<string, string>] {
  const ids = Object.keys(separate).filter((id) => !separate[id]!.startsWith('not-applicable'));
  return [Object.fromEntries(ids.map((id) => [id, separate[id]!])), Object.fromEntries(ids.map((id) => [id, inProcess[id]!]))];
}

/** Each case's verdict in the one run equals its verdict alone; a difference is listed with both reasons. */
export function expectSameVerdicts(lab: Record<string, string>, alone: Record<string, string>): void {
  const differing = Object.keys({ ...lab, ...alone }).filter((id) => lab[id] !== alone[id]);
  expect(differing.map((id) => `${id}: in the one run ${lab[id]}; alone ${alone[id]}`)).toEqual([]);
}
