import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
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
  return Object.fromEntries(result.cases.map((c) => [c.id, c.verdict]));
}

/** The lab file with the control API at `port` instead of the default 9100. */
function labConfig(dir: string, port: number): string {
  const fixture = readFileSync(join(root, 'fixtures', 'config', 'simulated-station.yaml'), 'utf8');
  expect(fixture).toContain('http://127.0.0.1:9100');
  const file = join(dir, 'lab.yaml');
  writeFileSync(file, fixture.replaceAll('http://127.0.0.1:9100', `http://127.0.0.1:${port}`));
  return file;
}

async function stationSuite(ocpp: '1.6' | '2.0.1'): Promise<{ separate: Record<string, string>; inProcess: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'oh-lab-'));
  const [listen, control] = [await freePort(), await freePort()];
  const config = labConfig(dir, control);
  const selection = ['--ocpp', ocpp, '--sut', 'cs', '--module', 'core', '--config', config, '--reporter', 'json'];
  const run = start(['run', ...selection, '--listen', `127.0.0.1:${listen}`, '--out', join(dir, 'separate')]);
  const [, url] = await outputOf(run, /connect the station as (ws:\/\/\S+)\/CS001/);
  start(['simulate', 'station', '--ocpp', ocpp, '--target', url!, '--control', `127.0.0.1:${control}`, '--config', config]);
  await exited(run);
  spawnSync(process.execPath, [main, 'run', ...selection, '--builtin', '--out', join(dir, 'builtin')], { cwd: root });
  return { separate: verdictsIn(join(dir, 'separate')), inProcess: verdictsIn(join(dir, 'builtin')) };
}

/** The verdicts of the cases the separate station could run (a case needing TLS is not applicable to it). */
function applicable(separate: Record<string, string>, inProcess: Record<string, string>): [Record<string, string>, Record<string, string>] {
  const ids = Object.keys(separate).filter((id) => separate[id] !== 'not-applicable');
  return [Object.fromEntries(ids.map((id) => [id, separate[id]!])), Object.fromEntries(ids.map((id) => [id, inProcess[id]!]))];
}

describe('a whole station suite in one run against one separately started station', () => {
  it('OCPP 1.6 Core gives the in-process verdicts', async () => {
    const { separate, inProcess } = await stationSuite('1.6');
    expect(Object.keys(separate).length).toBeGreaterThanOrEqual(4);
    const [lab, alone] = applicable(separate, inProcess);
    expect(lab).toEqual(alone);
  }, WHOLE_SUITE_MS);

  it('OCPP 2.0.1 Core gives the in-process verdicts', async () => {
    const { separate, inProcess } = await stationSuite('2.0.1');
    const [lab, alone] = applicable(separate, inProcess);
    expect(Object.keys(lab).length).toBeGreaterThanOrEqual(90);
    expect(Object.entries(lab).filter(([, verdict]) => verdict !== 'pass')).toEqual([]);
    expect(lab).toEqual(alone);
  }, WHOLE_SUITE_MS);
});
