import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readTraceLines } from '../inspect/index.js';
import type { RunResult } from './results.js';

// Issue 14: a station that floods the harness's CSMS with 50,000 small CALLs, without waiting for
// the answers but reading them, must leave the harness in bounded memory and give bounded reports.
// The harness runs as a user runs it (the built CLI, in its own process) and reports its peak RSS.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
const FLOOD = 50_000;
/** Peak RSS of the harness process for the flood, measured at 245 MB (517 MB before the bounds). */
const MAX_RSS_MB = 300;

const CASE = `id: TC_FLOOD_CS
title: A step waits while the station floods
purpose: The station sends Heartbeats without waiting for answers, then the StatusNotification the step expects.
requirements: ["1.6 §4.6"]
steps:
  - expect: StatusNotification
    timeoutMs: 240000
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function connect(url: string, deadline: number): Promise<WebSocket> {
  for (;;) {
    const socket = await new Promise<WebSocket | undefined>((resolve) => {
      const ws = new WebSocket(url, 'ocpp1.6');
      ws.once('open', () => resolve(ws));
      ws.once('error', () => resolve(undefined));
    });
    if (socket) return socket;
    if (Date.now() > deadline) throw new Error(`the harness did not listen at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a station that floods the harness', () => {
  it('50,000 CALLs: every one answered and traced, findings grouped, reports and peak RSS bounded', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-flood-'));
    const cases = join(dir, 'cases');
    writeScratch(cases);
    const hook = join(dir, 'rss.mjs');
    writeFileSync(hook, "process.on('exit', () => process.stderr.write(`MAXRSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");
    const out = join(dir, 'out');
    const port = await freePort();
    const harness = spawn(process.execPath, ['--import', hook, main, 'run', '--sut', 'cs', '--ocpp', '1.6', '--testcases', cases, '--listen', `127.0.0.1:${port}`, '--out', out, '--station-id', 'FLOOD1', 'TC_FLOOD_CS'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    harness.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    harness.stdout.resume();
    const exited = new Promise<number | null>((resolve) => harness.once('exit', resolve));

    const station = await connect(`ws://127.0.0.1:${port}/FLOOD1`, Date.now() + 60_000);
    let answers = 0;
    let allAnswered: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allAnswered = resolve));
    station.on('message', () => {
      if (++answers === FLOOD + 1) allAnswered();
    });
    station.send(JSON.stringify([2, 'boot', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }]));
    // Accepted, the station is at the general pre-condition and the case starts: the flood is the case's.
    await new Promise((resolve) => station.once('message', resolve));
    for (let i = 0; i < FLOOD; i++) {
      station.send(JSON.stringify([2, `hb${i}`, 'Heartbeat', {}]));
      // Let the socket drain now and then: the station reads its answers as they come.
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    station.send(JSON.stringify([2, 'sn', 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }]));
    expect(await exited).toBe(0);

    const maxRssMb = Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1]) / 1024;
    const resultsBytes = statSync(join(out, 'results.json')).size;
    const htmlBytes = statSync(join(out, 'index.html')).size;
    console.log(`flood of ${FLOOD}: harness peak RSS ${maxRssMb.toFixed(0)} MB, results.json ${resultsBytes} bytes, index.html ${htmlBytes} bytes, junit.xml ${statSync(join(out, 'junit.xml')).size} bytes`);
    expect(maxRssMb).toBeLessThan(MAX_RSS_MB);
    expect(resultsBytes).toBeLessThan(20_000);
    expect(htmlBytes).toBeLessThan(3_000_000);

    const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
    const [flooded] = result.cases;
    expect(flooded!.verdict).toBe('pass');
    // 1.6 §4.1.1 says SHOULD NOT: a warning each, 5 in full and one grouped with the total.
    const concurrent = flooded!.findings.filter((finding) => finding.code === 'concurrent-call');
    expect(concurrent).toHaveLength(6);
    expect(concurrent[5]!.count).toBeGreaterThan(FLOOD - 100);
    expect(Date.parse(concurrent[5]!.lastAt!)).toBeGreaterThan(Date.parse(concurrent[5]!.firstAt!));
    expect(flooded!.recordsNotKept).toBeGreaterThan(0);
    // The trace on disk has every frame: each Heartbeat and its answer.
    const lines = readTraceLines(readFileSync(join(out, flooded!.trace!), 'utf8'));
    const heartbeats = lines.filter((line) => 'record' in line && line.record.action === 'Heartbeat');
    expect(heartbeats.length).toBeGreaterThanOrEqual(2 * FLOOD - 100);
    expect(heartbeats.every((line) => 'record' in line && line.record.payload !== undefined)).toBe(true);
    // The report embeds the first and last records and says how many it left to the file.
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(/records not embedded in this report/);
  });
});

function writeScratch(cases: string): void {
  const folder = join(cases, 'ocpp1.6', 'robustness');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(cases, 'ocpp1.6', '_defaults.yaml'), "ocpp: '1.6'\n");
  writeFileSync(join(cases, 'ocpp1.6', '_requirements.yaml'), '"1.6 §4.6": The charge point sends heartbeats.\n');
  writeFileSync(join(folder, 'TC_FLOOD_CS.yaml'), CASE);
}
