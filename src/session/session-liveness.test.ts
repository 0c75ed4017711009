import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OcppServer, type Connection } from '../transport/index.js';
import { MemoryTrace, Session, waitForRecord } from './index.js';

const workDir = mkdtempSync(join(tmpdir(), 'ocpp-harness-session-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function csmsWithRawStation(autoPong: boolean) {
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'] });
  const accepted = new Promise<Connection>((resolve) => server.once('connection', (connection) => resolve(connection)));
  const station = new WebSocket(`${server.url}/CS1`, ['ocpp2.0.1'], { autoPong });
  await new Promise((resolve) => station.once('open', resolve));
  const session = new Session({ role: 'csms', version: '2.0.1', connection: await accepted, trace: new MemoryTrace(), pingIntervalMs: 20 });
  return { server, station, session };
}

describe('WebSocket ping/pong', () => {
  it('reports a station that does not answer pings', async () => {
    const { server, station, session } = await csmsWithRawStation(false);
    const missing = await waitForRecord(session, (r) => r.meta.event?.kind === 'pong-missing', 2000);
    expect(missing?.meta.findings?.[0]).toMatchObject({ code: 'pong-missing', severity: 'warning' });
    station.close();
    await server.close();
  });

  it('stays quiet while pongs come back', async () => {
    const { server, station, session } = await csmsWithRawStation(true);
    let pings = 0;
    await new Promise<void>((resolve) => station.on('ping', () => ++pings === 4 && resolve()));
    expect(session.findings).toEqual([]);
    station.close();
    await server.close();
  });
});

describe('binary frames', () => {
  it('flags a message sent in a binary WebSocket frame (OCPP-J §4.1.2), and still handles it', async () => {
    const { server, station, session } = await csmsWithRawStation(true);
    session.setCallHandler(() => ({ payload: { currentTime: new Date().toISOString() } }));
    const call = waitForRecord(session, (r) => r.messageType === 'CALL', 2000);
    const answered = new Promise<string>((resolve) => station.once('message', (data: Buffer) => resolve(data.toString())));
    station.send(Buffer.from('[2,"b-1","Heartbeat",{}]'), { binary: true });
    expect((await call)?.meta.findings).toEqual([expect.objectContaining({ code: 'binary-frame', severity: 'violation', rule: 'OCPP-J 2.0.1 §4.1.2' })]);
    expect(await answered).toMatch(/^\[3,"b-1",/);
    station.close();
    await server.close();
  });
});

describe('trace durability on Ctrl-C', () => {
  it('keeps every frame already exchanged, and still ends the process on the signal', async () => {
    const path = join(workDir, 'interrupted.jsonl');
    const sessionModule = new URL('../../dist/src/session/index.js', import.meta.url).href;
    const script = `
      const { openLoopbackPair, JsonlTraceWriter } = await import(${JSON.stringify(sessionModule)});
      // Nothing would reach the file on its own for a minute: only the signal hook can write it.
      const trace = new JsonlTraceWriter(${JSON.stringify(path)}, { flushIntervalMs: 60000 });
      const pair = await openLoopbackPair({ version: '1.6', csmsTrace: trace });
      pair.csms.setCallHandler(() => ({ payload: { currentTime: new Date().toISOString() } }));
      for (let i = 0; i < 20; i++) await pair.cs.call('Heartbeat', {});
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    expect([code, signal]).toEqual([null, 'SIGINT']);
    const kinds = readFileSync(path, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { messageType: string }).messageType);
    expect(kinds.filter((kind) => kind === 'CALL')).toHaveLength(20);
    expect(kinds.filter((kind) => kind === 'CALLRESULT')).toHaveLength(20);
  });
});

describe('trace durability on a crash', () => {
  it('writes the records of the current turn when an exception ends the process', async () => {
    const path = join(workDir, 'crashed.jsonl');
    const sessionModule = new URL('../../dist/src/session/index.js', import.meta.url).href;
    const script = `
      const { JsonlTraceWriter, createRecord } = await import(${JSON.stringify(sessionModule)});
      const writer = new JsonlTraceWriter(${JSON.stringify(path)});
      for (let i = 0; i < 500; i++) writer.write(createRecord({ ocppVersion: '2.0.1', chargePointId: 'CS1' }, 'cp-to-csms', 'CALL', { messageId: String(i), action: 'Heartbeat', payload: {}, raw: '[2,"' + i + '","Heartbeat",{}]' }));
      throw new Error('harness crashed on purpose');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('harness crashed on purpose');
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(500);
  });
});
