import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Finding } from '../protocol/index.js';
import { MemoryTrace } from '../session/index.js';
import { SutLink } from './sut-link.js';

// Issue 14 (TC_E_01_CSMS): the harness as station closes its connection to reconnect; a CSMS that
// does not answer the close and goes on sending on the old connection must not fail the case the
// new connection serves. The link marks what still arrives there and keeps its findings to itself.

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0)) await thing.close();
});

describe('a CSMS that talks on after the harness closed its connection', () => {
  it('has what it sends there traced as from a retired connection, and no finding reaches the case', async () => {
    const csms = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp2.0.1' });
    opened.push({
      close: () => {
        for (const client of csms.clients) client.terminate();
        return new Promise((resolve) => csms.close(resolve));
      },
    });
    await once(csms, 'listening');
    const accepted = new Promise<WebSocket>((resolve) => csms.once('connection', resolve));
    const trace = new MemoryTrace();
    const link = new SutLink({
      side: 'as-station', version: '2.0.1', stationId: 'CS1', trace, callTimeoutMs: 1000,
      endpoint: `ws://127.0.0.1:${(csms.address() as { port: number }).port}`, limits: { maxFrameBytes: 1 << 20, maxBufferedBytes: 1 << 20, closeMs: 300 },
    });
    const caseFindings: Finding[] = [];
    link.on('finding', (finding) => caseFindings.push(finding));
    await link.connect();
    const old = await accepted;
    // The CSMS stops reading: it never sees the close, and answers CALLs that were never sent.
    (old as unknown as { _socket: Socket })._socket.pause();
    const dropped = link.drop(1000, 'the station reconnects');
    for (let i = 0; i < 3; i++) old.send(JSON.stringify([3, `ghost-${i}`, {}]));
    await dropped;
    const ghosts = trace.records.filter((record) => record.messageId?.startsWith('ghost-'));
    expect(ghosts).toHaveLength(3);
    expect(ghosts.every((record) => record.meta.connectionRetired === true && record.meta.findings?.[0]?.code === 'orphan-response')).toBe(true);
    expect(trace.records.find((record) => record.meta.event?.kind === 'close-timeout')?.meta.connectionRetired).toBe(true);
    expect(caseFindings).toEqual([]);
  });
});
