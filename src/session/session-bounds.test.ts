import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OcppServer, type Connection, type ConnectionLimits } from '../transport/index.js';
import { MemoryTrace, Session, waitForRecord, type TraceRecord } from './index.js';

// Issue 14: what the transport does about a peer that breaks its bounds is a finding on the peer,
// traced before the close, with the close saying who closed and why.

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0)) await thing.close();
});

async function csmsWithRawStation(limits?: ConnectionLimits): Promise<{ station: WebSocket; session: Session; trace: MemoryTrace }> {
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], ...(limits ? { limits } : {}) });
  opened.push(server);
  const accepted = new Promise<Connection>((resolve) => server.once('connection', (connection) => resolve(connection)));
  const station = new WebSocket(`${server.url}/CS1`, ['ocpp2.0.1'], { perMessageDeflate: false });
  station.on('error', () => undefined);
  await once(station, 'open');
  const trace = new MemoryTrace();
  const session = new Session({ role: 'csms', version: '2.0.1', connection: await accepted, trace });
  return { station, session, trace };
}

const closeRecord = (session: Session) => waitForRecord(session, (record) => record.meta.event?.kind === 'ws-close', 3000);
/** Stops reading for good: ws resumes a paused socket once its parser drains, so resume is disabled too. */
const pauseReading = (station: WebSocket) => {
  const socket = (station as unknown as { _socket: Socket })._socket;
  socket.pause();
  socket.resume = () => socket;
};

describe('session bounds', () => {
  it('records a text frame that is not UTF-8 as INVALID, its bytes in base64, then the harness\'s 1007 close', async () => {
    const { station, session, trace } = await csmsWithRawStation();
    const closing = closeRecord(session);
    const bytes = Buffer.from('[2,"1","Heartbeat",{"x":"\xff"}]', 'latin1');
    station.send(bytes, { binary: false });
    const close = await closing;
    const frame = trace.records.find((record) => record.messageType === 'INVALID');
    expect(frame).toMatchObject({ direction: 'cp-to-csms', raw: bytes.toString('base64'), meta: { rawEncoding: 'base64' } });
    expect(frame?.meta.findings).toEqual([expect.objectContaining({ code: 'frame-invalid-utf8', severity: 'violation', rule: 'RFC 6455 §8.1, OCPP-J 2.0.1 §4.1.2' })]);
    expect(close).toMatchObject({ direction: 'csms-to-cp', meta: { event: { close: { code: 1007, initiatedBy: 'local', cause: 'frame-invalid-utf8' } } } });
    expect(trace.records.indexOf(frame!)).toBeLessThan(trace.records.indexOf(close!));
  });

  it('records a message over maxFrameBytes as INVALID with its announced length and none of its text, then the 1009 close', async () => {
    const { station, session, trace } = await csmsWithRawStation({ maxFrameBytes: 2048, maxBufferedBytes: 1 << 20, closeMs: 1000 });
    const closing = closeRecord(session);
    const text = `[2,"1","DataTransfer",{"vendorId":"v","data":"${'d'.repeat(10_000)}"}]`;
    station.send(text);
    const close = await closing;
    const frame = trace.records.find((record) => record.messageType === 'INVALID');
    expect(frame?.raw).toBeUndefined();
    expect(frame?.meta).toMatchObject({ truncated: true, keptBytes: 0, rawLength: text.length });
    expect(frame?.meta.findings).toEqual([expect.objectContaining({ code: 'frame-too-large', severity: 'violation', message: expect.stringContaining(`${text.length} bytes, over limits.maxFrameBytes (2048)`) })]);
    expect(close?.meta.event).toMatchObject({ kind: 'ws-close', close: { code: 1009, initiatedBy: 'local', cause: 'frame-too-large' } });
  });

  it('records a close the peer does not complete in time as a close-timeout warning, and the close as the harness\'s', async () => {
    const { station, session, trace } = await csmsWithRawStation({ maxFrameBytes: 1 << 20, maxBufferedBytes: 1 << 20, closeMs: 200 });
    pauseReading(station);
    const closing = closeRecord(session);
    void session.close(1000, 'case over');
    const close = await closing;
    const timeout = trace.records.find((record) => record.meta.event?.kind === 'close-timeout');
    expect(timeout).toMatchObject({ direction: 'cp-to-csms', meta: { findings: [{ code: 'close-timeout', severity: 'warning' }] } });
    expect(close?.meta.event).toMatchObject({ close: { code: 1000, reason: 'case over', initiatedBy: 'local' } });
  });
});

/**
 * The harness's side runs in a child process (the built session and transport), so its memory is
 * measured alone: peak RSS as the process itself reports it. It answers every DataTransfer with 8 KB.
 * Its trace sink counts and keeps nothing, as a trace file does: how many answers fit in the
 * kernel's socket buffers before the cap is reached depends on the host (TCP autotuning), and a
 * trace held in memory would measure that, not the connection's own buffering. What a case keeps
 * in memory is bounded separately (CaseRecords, the run-bounds flood test).
 */
const HARNESS = (limitsJson: string) => `
  const { OcppServer } = await import(${JSON.stringify(new URL('../../dist/src/transport/index.js', import.meta.url).href)});
  const { Session } = await import(${JSON.stringify(new URL('../../dist/src/session/index.js', import.meta.url).href)});
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], limits: ${limitsJson} });
  server.on('connection', (connection) => {
    let calls = 0;
    let faults = 0;
    let answersAfterDrop = 0;
    const trace = { write: (record) => {
      if (record.messageType === 'CALL') calls++;
      if (record.messageType === 'CALLRESULT' && faults > 0) answersAfterDrop++;
      faults += (record.meta.findings ?? []).filter((finding) => finding.code === 'peer-not-reading').length;
    } };
    const session = new Session({ role: 'csms', version: '2.0.1', connection, trace });
    session.setCallHandler(() => ({ payload: { status: 'Accepted', data: 'a'.repeat(8192) } }));
    session.on('close', (close) => {
      process.stdout.write(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024, calls, faults, answersAfterDrop, close }) + '\\n');
      process.exit(0);
    });
  });
  process.stdout.write(server.url + '\\n');`;

describe('a peer that sends 50,000 CALLs and never reads', () => {
  it('is dropped once its unread answers pass maxBufferedBytes, and the harness stays under 200 MB RSS', { timeout: 60_000 }, async () => {
    const limits = JSON.stringify({ maxFrameBytes: 4 * 1024 * 1024, maxBufferedBytes: 8 * 1024 * 1024, closeMs: 3000 });
    const harness = spawn(process.execPath, ['--input-type=module', '-e', HARNESS(limits)], { stdio: ['ignore', 'pipe', 'inherit'] });
    opened.push({ close: () => harness.kill() });
    const lines: string[] = [];
    const nextLine = () => new Promise<string>((resolve) => {
      const take = () => (lines.length > 0 ? resolve(lines.shift()!) : harness.stdout.once('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        take();
      }));
      take();
    });
    const url = await nextLine();
    const peer = new WebSocket(`${url}/CS1`, ['ocpp2.0.1'], { perMessageDeflate: false });
    peer.on('error', () => undefined);
    opened.push({ close: () => peer.terminate() });
    await once(peer, 'open');
    pauseReading(peer);
    for (let i = 0; i < 50_000; i++) peer.send(`[2,"m${i}","DataTransfer",{"vendorId":"v"}]`);
    const report = JSON.parse(await nextLine()) as { peakRssMb: number; calls: number; faults: number; answersAfterDrop: number; close: { initiatedBy: string; cause?: string } };
    console.info(`never-reading peer: harness peak RSS ${report.peakRssMb.toFixed(0)} MB, ${report.calls} CALLs read before the drop`);
    expect(report.faults).toBe(1);
    // The CALLs read before the drop are still answered by the handler, but nothing goes on the wire or in the trace.
    expect(report.answersAfterDrop).toBe(0);
    expect(report.close).toMatchObject({ initiatedBy: 'local', cause: 'peer-not-reading' });
    // Dropped well before the 50,000th answer: without the cap each unread 8 KB answer stays in memory.
    expect(report.calls).toBeLessThan(50_000);
    expect(report.peakRssMb).toBeLessThan(200);
  });
});
