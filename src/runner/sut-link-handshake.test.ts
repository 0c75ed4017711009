import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTrace, type TraceRecord } from '../session/index.js';
import { OcppServer } from '../transport/index.js';
import { SutLink } from './sut-link.js';

// Issue 14, harness as CSMS: a station that opens TCP and trickles its upgrade, or never sends it,
// is dropped at timeouts.handshakeMs. The link of the station it named (one link for the sockets
// that named no station of the run) traces it with a handshake-timeout finding, as the harness as
// station does.

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0)) await thing.close();
});

async function listen(): Promise<OcppServer> {
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], handshakeMs: 300 });
  opened.push(server);
  return server;
}

async function tcpTo(server: OcppServer): Promise<Socket> {
  const { port } = new URL(server.url);
  const socket = connect({ host: '127.0.0.1', port: Number(port) });
  socket.on('error', () => undefined);
  opened.push({ close: () => socket.destroy() });
  await once(socket, 'connect');
  return socket;
}

/** The links of a run's two lanes, CS1 and CS2; CS1's takes the stalled handshakes neither owns. */
function lanes(server: OcppServer): { first: MemoryTrace; second: MemoryTrace } {
  const link = (stationId: string, strays: boolean) => {
    const trace = new MemoryTrace();
    const recordsStrayHandshake = strays ? (named: string) => named !== 'CS1' && named !== 'CS2' : undefined;
    new SutLink({ side: 'as-csms', version: '2.0.1', stationId, trace, callTimeoutMs: 1000, servers: [server], ...(recordsStrayHandshake ? { recordsStrayHandshake } : {}) });
    return trace;
  };
  return { first: link('CS1', true), second: link('CS2', false) };
}

const timeoutsIn = (trace: MemoryTrace): TraceRecord[] => trace.records.filter((record) => record.meta.event?.kind === 'handshake-timeout');

describe('a station that does not finish its upgrade (harness as CSMS)', () => {
  it('is traced by the link of the station it named, with what it sent and a finding naming the rule', async () => {
    const server = await listen();
    const { first: other, second: named } = lanes(server);
    const timedOut = once(server, 'handshakeTimeout');
    const request = 'GET /ocpp/CS2 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n';
    (await tcpTo(server)).write(request);
    await timedOut;
    const [record, ...more] = timeoutsIn(named);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      direction: 'cp-to-csms', messageType: 'EVENT', chargePointId: 'CS2',
      meta: { event: { timeoutMs: 300, bytesReceived: request.length, handshake: { url: '/ocpp/CS2', stationId: 'CS2', responseStatus: 0, remoteAddress: '127.0.0.1' } } },
    });
    expect(record?.meta.findings).toMatchObject([{ code: 'handshake-timeout', severity: 'warning', rule: 'RFC 6455 §4.1, §4.2.2' }]);
    expect(record?.meta.findings?.[0]?.message).toMatch(/127\.0\.0\.1 \(GET \/ocpp\/CS2\) did not complete within 300 ms \(\d+ bytes received\)/);
    // The other lane's link, though it takes the strays, leaves a station of the run to its own.
    expect(timeoutsIn(other)).toEqual([]);
  });

  it('is traced by the one link that takes the strays when it named no station, or one the run does not have', async () => {
    const server = await listen();
    const { first, second } = lanes(server);
    const both = new Promise<void>((resolve) => {
      let count = 0;
      server.on('handshakeTimeout', () => ++count === 2 && resolve());
    });
    await tcpTo(server);
    (await tcpTo(server)).write('GET /ocpp/CS7 HTTP/1.1\r\n');
    await both;
    const seen = timeoutsIn(first).map((record) => record.meta.event?.kind === 'handshake-timeout' && [record.meta.event.handshake.stationId, record.meta.event.bytesReceived]);
    expect(seen.sort()).toEqual([['', 0], ['CS7', 24]]);
    expect(timeoutsIn(first).every((record) => record.chargePointId === 'CS1' && record.meta.findings?.[0]?.code === 'handshake-timeout')).toBe(true);
    expect(timeoutsIn(second)).toEqual([]);
  });
});
