import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTrace, type TraceRecord } from '../session/index.js';
import { OcppServer } from '../transport/index.js';
import { SutLink } from './sut-link.js';

// Issue 14, harness as CSMS: a station that opens TCP and trickles its upgrade, or never sends it,
// is dropped at timeouts.handshakeMs. The link of the station it named (one link for the sockets
// that named none) traces it with a handshake-timeout finding, as the harness as station does.

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

function linkFor(server: OcppServer, stationId: string, recordsAnonymousHandshakes: boolean): MemoryTrace {
  const trace = new MemoryTrace();
  new SutLink({ side: 'as-csms', version: '2.0.1', stationId, trace, callTimeoutMs: 1000, servers: [server], recordsAnonymousHandshakes });
  return trace;
}

const timeoutsIn = (trace: MemoryTrace): TraceRecord[] => trace.records.filter((record) => record.meta.event?.kind === 'handshake-timeout');

describe('a station that does not finish its upgrade (harness as CSMS)', () => {
  it('is traced by the link of the station it named, with what it sent and a finding naming the rule', async () => {
    const server = await listen();
    const named = linkFor(server, 'CS1', false);
    const other = linkFor(server, 'CS2', true);
    const timedOut = once(server, 'handshakeTimeout');
    const request = 'GET /ocpp/CS1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n';
    (await tcpTo(server)).write(request);
    await timedOut;
    const [record, ...more] = timeoutsIn(named);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      direction: 'cp-to-csms', messageType: 'EVENT', chargePointId: 'CS1',
      meta: { event: { timeoutMs: 300, bytesReceived: request.length, handshake: { url: '/ocpp/CS1', stationId: 'CS1', responseStatus: 0, remoteAddress: '127.0.0.1' } } },
    });
    expect(record?.meta.findings).toMatchObject([{ code: 'handshake-timeout', severity: 'warning', rule: 'RFC 6455 §4.1, §4.2.2' }]);
    expect(record?.meta.findings?.[0]?.message).toMatch(/127\.0\.0\.1 \(GET \/ocpp\/CS1\) did not complete within 300 ms \(\d+ bytes received\)/);
    // The other station's link, though it takes the unnamed ones, leaves a named one alone.
    expect(timeoutsIn(other)).toEqual([]);
  });

  it('is traced by the one link that takes the unnamed sockets when it never sent a request line', async () => {
    const server = await listen();
    const takesUnnamed = linkFor(server, 'CS1', true);
    const second = linkFor(server, 'CS2', false);
    const timedOut = once(server, 'handshakeTimeout');
    await tcpTo(server);
    await timedOut;
    expect(timeoutsIn(takesUnnamed)).toMatchObject([{ meta: { event: { bytesReceived: 0, handshake: { url: '', stationId: '' } }, findings: [{ code: 'handshake-timeout' }] } }]);
    expect(timeoutsIn(second)).toEqual([]);
  });
});
