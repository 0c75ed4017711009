import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { TraceRecord } from '../session/index.js';
import { connect, createServer } from 'node:net';
import { caseFile, csmsCaseFile, outDirOf, runAgainstCsms, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { reasonOf } from './results.test-support.js';
import type { RunResult } from './results.js';
import type { StartReference } from './run-suite.js';

// Issue 14 over a whole run, harness as CSMS: a station misbehaving below OCPP (bytes that are not
// UTF-8, traffic on a connection the harness replaced) gets the verdict the rule gives, and a
// station that behaves on its own connection is not blamed for what another one carries.

const FAST = { timeouts: { messageMs: 1000, connectMs: 2000, longOperationMs: 2000, closeMs: 300 } };

/**
 * A station on raw `ws` sockets: it boots on each connection it opens and answers every CALL with
 * an empty CALLRESULT; `actions` are what the case's device actions make it do.
 */
function rawStation(actions: Record<string, (open: (url: string) => Promise<WebSocket>, current: WebSocket) => Promise<void>>): StartReference {
  return async ({ stationId, csmsUrl }) => {
    const sockets: WebSocket[] = [];
    const open = async (url: string) => {
      const socket = new WebSocket(`${url}/${stationId}`, ['ocpp2.0.1'], { perMessageDeflate: false });
      socket.on('error', () => undefined);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as unknown[];
        if (frame[0] === 2) socket.send(JSON.stringify([3, frame[1], {}]));
      });
      await once(socket, 'open');
      const bootId = `boot-${sockets.length}`;
      const booted = new Promise<void>((resolve) => socket.on('message', (data) => (JSON.parse(String(data)) as unknown[])[1] === bootId && resolve()));
      socket.send(JSON.stringify([2, bootId, 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Raw', model: 'R' } }]));
      sockets.push(socket);
      // Like a real station, it sends nothing else before its boot is answered (OCPP-J §4.1.1).
      await booted;
      return socket;
    };
    await open(csmsUrl!);
    return {
      control: {
        perform: async (name) => {
          await actions[name]!(open, sockets.at(-1)!);
          return { status: 'done' };
        },
      },
      stop: async () => {
        for (const socket of sockets) socket.terminate();
      },
    };
  };
}

function traceOf(result: RunResult, ...files: string[]): TraceRecord[] {
  return files.flatMap((file) => readFileSync(join(outDirOf(result), file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TraceRecord));
}

const heartbeat = (id: string) => JSON.stringify([2, id, 'Heartbeat', {}]);

describe('a text frame that is not UTF-8', () => {
  const root = () => writeTree({ 'ocpp2.0.1/core/OH_UTF8_CS.yaml': caseFile('OH_UTF8_CS', `
  - action: sendInvalidUtf8
  - expect: Heartbeat
    checks: [R.1]
`) });
  const bytes = Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xff, 0xfe, 0x22, 0x5d]);

  it('fails the case naming the violation, traces the bytes in base64 and the 1007 close as the harness\'s', async () => {
    const startReference = rawStation({
      sendInvalidUtf8: async (_open, socket) => {
        socket.send(bytes, { binary: false });
      },
    });
    const result = await runAgainstScript(root(), {}, { config: FAST, startReference });
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(reasonOf(result.cases[0])).toMatch(/protocol violation by the SUT during step 2 .*not valid UTF-8.*\[frame-invalid-utf8, RFC 6455 §8\.1/);
    // The case stops at the violation; the close may come after it ended, in the trace outside cases.
    const records = traceOf(result, 'traces/OH_UTF8_CS.jsonl', `traces/_outside-cases-${result.cases[0]!.stationId!}.jsonl`);
    const invalid = records.find((record) => record.messageType === 'INVALID');
    expect(invalid).toMatchObject({ direction: 'cp-to-csms', raw: bytes.toString('base64'), meta: { rawEncoding: 'base64', findings: [{ code: 'frame-invalid-utf8', severity: 'violation' }] } });
    const close = records.find((record) => record.meta.event?.kind === 'ws-close');
    expect(close).toMatchObject({ direction: 'csms-to-cp', meta: { event: { close: { code: 1007, initiatedBy: 'local', cause: 'frame-invalid-utf8' } } } });
  });
});

describe('frames on a connection the harness replaced', () => {
  const root = () => writeTree({ 'ocpp2.0.1/core/OH_REPLACED_CS.yaml': caseFile('OH_REPLACED_CS', `
  - action: reconnectAndChatter
  - expect: Heartbeat
    checks: [R.1]
`) });

  it('are traced with their connection, fail no case, and their findings are the run\'s', async () => {
    const startReference = rawStation({
      // The station opens a second connection; on the first, which the harness replaces and
      // closes, it stops reading (no close answer) and goes on sending answers to nothing.
      reconnectAndChatter: async (open, old) => {
        (old as unknown as { _socket: Socket })._socket.pause();
        const fresh = await open(new URL(old.url).origin);
        for (let i = 0; i < 5; i++) old.send(JSON.stringify([3, `ghost-${i}`, {}]));
        fresh.send(heartbeat('hb-1'));
      },
    });
    const result = await runAgainstScript(root(), {}, { config: FAST, startReference });
    const stationId = result.cases[0]!.stationId!;
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.findings).toEqual([]);
    const runLevel = result.findings?.filter((finding) => finding.code === 'orphan-response');
    expect(runLevel).toHaveLength(5);
    expect(runLevel?.[0]).toMatchObject({ stationId, trace: 'traces/OH_REPLACED_CS.jsonl' });
    const records = traceOf(result, 'traces/OH_REPLACED_CS.jsonl');
    const ghosts = records.filter((record) => record.messageId?.startsWith('ghost-'));
    expect(ghosts).toHaveLength(5);
    const opens = records.filter((record) => record.meta.event?.kind === 'ws-open').map((record) => record.meta.connectionId);
    // The ghosts came on the first connection, the one the case's opening replaced.
    expect(new Set(ghosts.map((record) => record.meta.connectionId)).size).toBe(1);
    expect(opens).not.toContain(ghosts[0]!.meta.connectionId);
    expect(ghosts.every((record) => record.meta.connectionRetired === true)).toBe(true);
  });
});

describe('a CSMS that trickles its 101 answer (harness as station)', () => {
  const root = () => writeTree({ 'ocpp2.0.1/core/OH_TRICKLE_CSMS.yaml': csmsCaseFile('OH_TRICKLE_CSMS', `
  - connection: open
    checks: [R.1]
`) });

  it('is an error at the connection step\'s timeout, never a pass, with a handshake-timeout event', async () => {
    let trickle: NodeJS.Timeout | undefined;
    // One byte every 20 ms: each comes long before any per-byte timer would fire.
    const csms = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const answer = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nX-Padding: ${'p'.repeat(1000)}`;
        let i = 0;
        trickle = setInterval(() => socket.write(answer[i++ % answer.length]!), 20);
      });
    });
    await new Promise<void>((resolve) => csms.listen(0, '127.0.0.1', resolve));
    const port = (csms.address() as { port: number }).port;
    try {
      const started = performance.now();
      const result = await runAgainstCsms(root(), {}, { target: `ws://127.0.0.1:${port}`, config: { timeouts: { messageMs: 500, connectMs: 600, longOperationMs: 600 } } });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(result.cases[0]?.verdict).toBe('error');
      expect(reasonOf(result.cases[0])).toMatch(/handshake-timeout: the opening handshake did not complete within 600 ms/);
      const event = traceOf(result, 'traces/OH_TRICKLE_CSMS.jsonl').find((record) => record.meta.event?.kind === 'handshake-timeout');
      expect(event).toMatchObject({ direction: 'csms-to-cp', meta: { event: { timeoutMs: 600 }, findings: [{ code: 'handshake-timeout', severity: 'warning' }] } });
    } finally {
      clearInterval(trickle);
      csms.close();
    }
  });
});

describe('a station that never finishes its upgrade (harness as CSMS)', () => {
  const root = () => writeTree({ 'ocpp2.0.1/core/OH_STALL_CS.yaml': caseFile('OH_STALL_CS', `
  - action: stallUpgrades
  - assert:
      count: { event: handshake-timeout, min: 2, max: 2 }
    checks: [R.1]
`) });

  it('is dropped at handshakeMs and traced with what it sent, a warning naming the rule; the run ends promptly', async () => {
    const stalled: Socket[] = [];
    const startReference = rawStation({
      // One socket sends half an upgrade under the station's identity, one sends nothing (a port scanner).
      stallUpgrades: async (_open, current) => {
        const { hostname, port, pathname } = new URL(current.url);
        const tcp = () => {
          const socket = connect({ host: hostname, port: Number(port) });
          socket.on('error', () => undefined);
          stalled.push(socket);
          return once(socket, 'connect').then(() => socket);
        };
        (await tcp()).write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\n`);
        await tcp();
      },
    });
    const started = performance.now();
    try {
      const result = await runAgainstScript(root(), {}, { config: { timeouts: { ...FAST.timeouts, messageMs: 3000, handshakeMs: 300 } }, startReference });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(reasonOf(result.cases[0])).toBeUndefined();
      expect(result.cases[0]?.verdict).toBe('pass');
      const stationId = result.cases[0]!.stationId!;
      expect(result.cases[0]?.findings?.map((finding) => [finding.code, finding.severity, finding.rule])).toEqual([
        ['handshake-timeout', 'warning', 'RFC 6455 §4.1, §4.2.2'], ['handshake-timeout', 'warning', 'RFC 6455 §4.1, §4.2.2'],
      ]);
      const events = traceOf(result, 'traces/OH_STALL_CS.jsonl').filter((record) => record.meta.event?.kind === 'handshake-timeout').map((record) => record.meta.event);
      expect(events).toEqual(expect.arrayContaining([
        expect.objectContaining({ timeoutMs: 300, bytesReceived: 0, handshake: expect.objectContaining({ url: '', stationId: '' }) }),
        expect.objectContaining({ timeoutMs: 300, bytesReceived: expect.any(Number), handshake: expect.objectContaining({ url: `/${stationId}`, stationId }) }),
      ]));
    } finally {
      for (const socket of stalled) socket.destroy();
    }
  });
});
