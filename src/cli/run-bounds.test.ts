import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTrace, Session, connectAsStation, writeScratchTree, type RunResult } from '../api.js';
import { watchStdout } from './child-output.test-support.js';

// Issue 14, as a user runs it: a port scanner or a stuck station must not keep `run --sut cs` from
// ending, nor from writing its results.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;

const CASE = `id: TC_Q_01_CS\ntitle: q\nocpp: 2.0.1\nsut: cs\nmodule: core\npurpose: p\nrequirements:\n  R.1: r\nsteps:\n  - send: ClearCache\n    payload: {}\n    match: { status: Accepted }\n    checks: [R.1]\n`;

describe('run --sut cs with half-finished upgrades open', { timeout: 30_000 }, () => {
  it('ends within 5 s of its last case, with 200 of them open, and writes its results', async () => {
    const tree = writeScratchTree({ 'ocpp2.0.1/core/TC_Q_01_CS.yaml': CASE });
    const out = mkdtempSync(join(tmpdir(), 'oh-out-'));
    // The handshake deadline is far away: only the shutdown may end these sockets.
    const config = join(out, 'config.yaml');
    writeFileSync(config, 'timeouts:\n  handshakeMs: 600000\n');
    const child = spawn(process.execPath, [main, 'run', '--testcases', tree, '--config', config, '--listen', '127.0.0.1:0', '--out', out], { cwd: root });
    const { seen } = watchStdout(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const [, url] = await seen(/connect the station as (ws:\/\/\S+)\/CS001/);
    const { hostname, port } = new URL(url!.replace(/^ws/, 'http'));
    const sockets = await Promise.all(Array.from({ length: 200 }, (_, i) => new Promise<Socket>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        // Half a stuck station's partial upgrade request, half a port scanner's silence.
        if (i % 2 === 0) socket.write('GET /CS002 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n');
        resolve(socket);
      });
      socket.on('error', () => undefined);
    })));
    const { connection } = await connectAsStation({ endpoint: url!, stationId: 'CS001', versions: ['2.0.1'] });
    const station = new Session({ role: 'cs', version: '2.0.1', connection, trace: new MemoryTrace() });
    station.setCallHandler(() => ({ payload: { status: 'Accepted' } }));
    await station.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Test', model: 'T' } });
    await seen(/^PASS +TC_Q_01_CS/m);
    const lastCaseAt = performance.now();
    expect(await exited).toBe(0);
    expect(performance.now() - lastCaseAt).toBeLessThan(5_000);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
    expect(results.cases.map((c) => [c.id, c.verdict])).toEqual([['TC_Q_01_CS', 'pass']]);
    for (const socket of sockets) socket.destroy();
  });
});
