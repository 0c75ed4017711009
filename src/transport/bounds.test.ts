import { once } from 'node:events';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_CONNECTION_LIMITS, HandshakeError, OcppServer, connectAsStation, type CloseInfo, type Connection, type HandshakeTimeout, type PeerFault, type ServerOptions } from './index.js';

// Issue 14: whatever the peer does, a connection costs bounded memory and time. Every test here
// plays the hostile peer over real loopback sockets.

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0)) await thing.close();
});

async function listen(options: Partial<ServerOptions> = {}): Promise<OcppServer> {
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], ...options });
  opened.push(server);
  return server;
}

/** A raw WebSocket station (ws itself, so it can misbehave) and the harness's side of its connection. */
async function rawStation(server: OcppServer): Promise<{ station: WebSocket; connection: Connection }> {
  const accepted = new Promise<Connection>((resolve) => server.once('connection', (connection) => resolve(connection)));
  const station = new WebSocket(`${server.url}/CS1`, ['ocpp2.0.1'], { perMessageDeflate: false });
  opened.push({ close: () => station.terminate() });
  await once(station, 'open');
  return { station, connection: await accepted };
}

/** The next fault; like the session, it listens for messages too, which hands over what arrived before. */
function nextFault(connection: Connection): Promise<PeerFault> {
  connection.on('message', () => undefined);
  return new Promise((resolve) => connection.once('fault', resolve));
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

function tcpTo(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url.replace(/^ws/, 'http'));
  const socket = tcpConnect({ host: hostname, port: Number(port) });
  socket.on('error', () => undefined);
  return once(socket, 'connect').then(() => socket);
}

describe('server shutdown', () => {
  it('ends at once with 200 half-finished upgrades open, and destroys them', async () => {
    const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'] });
    const sockets = await Promise.all(Array.from({ length: 200 }, () => tcpTo(server.url)));
    // Half send a partial upgrade request (a stuck station), half nothing at all (a port scanner).
    for (const socket of sockets.slice(0, 100)) socket.write('GET /ocpp/CS1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
    const allClosed = Promise.all(sockets.map(closed));
    const started = performance.now();
    await server.close();
    await allClosed;
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('handshake deadlines', () => {
  it('destroys an upgrade that trickles in slower than handshakeMs (slowloris), though each byte came in time', async () => {
    const server = await listen({ handshakeMs: 300 });
    const timedOut = once(server, 'handshakeTimeout');
    const socket = await tcpTo(server.url);
    const request = 'GET /ocpp/CS1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Padding: ' + 'x'.repeat(200);
    let sent = 0;
    const trickle = setInterval(() => socket.write(request[sent++ % request.length]!), 20);
    const started = performance.now();
    await closed(socket);
    clearInterval(trickle);
    const [timeout] = await timedOut;
    expect(timeout).toMatchObject({ timeoutMs: 300, remoteAddress: '127.0.0.1' });
    expect(sent).toBeGreaterThan(5);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('says what the stalled upgrade had sent: its path and identity, the complete header lines, the bytes', async () => {
    const server = await listen({ handshakeMs: 300 });
    const timedOut = once(server, 'handshakeTimeout');
    const socket = await tcpTo(server.url);
    const sent = 'GET /ocpp/CS%2F7 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic Q1MxOnNlY3JldA==\r\nSec-WebSocket-Protocol: ocpp2.0.1, ocpp1.6\r\nUpgr';
    socket.write(sent);
    const [timeout] = (await timedOut) as [HandshakeTimeout];
    expect(timeout.bytesReceived).toBe(sent.length);
    expect(timeout.handshake).toMatchObject({ url: '/ocpp/CS%2F7', stationId: 'CS/7', offeredSubprotocols: ['ocpp2.0.1', 'ocpp1.6'], responseStatus: 0, remoteAddress: '127.0.0.1' });
    // The unfinished "Upgr" line is not a header yet; the password is not kept.
    expect(Object.keys(timeout.handshake.requestHeaders)).toEqual(['host', 'authorization', 'sec-websocket-protocol']);
    expect(JSON.stringify(timeout.handshake)).not.toContain('Q1MxOnNlY3JldA==');
  });

  it('knows no identity of a socket that sent nothing, or not its whole request line', async () => {
    const server = await listen({ handshakeMs: 300 });
    const timeouts: HandshakeTimeout[] = [];
    const both = new Promise<void>((resolve) => server.on('handshakeTimeout', (timeout) => timeouts.push(timeout) === 2 && resolve()));
    await tcpTo(server.url);
    (await tcpTo(server.url)).write('GET /ocpp/CS1 HT');
    await both;
    expect(timeouts.map((timeout) => [timeout.handshake.url, timeout.handshake.stationId, timeout.bytesReceived]).sort()).toEqual([['', '', 0], ['', '', 16]]);
  });

  it('lets a complete upgrade through: the deadline ends with the upgrade request', async () => {
    const server = await listen({ handshakeMs: 200 });
    const { station, connection } = await rawStation(server);
    // A silent socket opened after the station's is destroyed at its deadline: by then the station's has passed too.
    const later = once(server, 'handshakeTimeout');
    await tcpTo(server.url);
    await later;
    const message = new Promise<string>((resolve) => connection.once('message', resolve));
    station.send('still here');
    expect(await message).toBe('still here');
    expect(connection.isOpen).toBe(true);
  });

  it('as station, gives up a CSMS that trickles its 101 answer, at the deadline of the whole handshake', async () => {
    let trickle: NodeJS.Timeout | undefined;
    const csms: Server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const answer = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Padding: ' + 'y'.repeat(500);
        let i = 0;
        trickle = setInterval(() => socket.write(answer[i++ % answer.length]!), 20);
      });
    });
    opened.push({ close: () => { clearInterval(trickle); csms.close(); } });
    await new Promise<void>((resolve) => csms.listen(0, '127.0.0.1', resolve));
    const port = (csms.address() as { port: number }).port;
    const started = performance.now();
    const error = await connectAsStation({ endpoint: `ws://127.0.0.1:${port}`, stationId: 'CS1', versions: ['2.0.1'], handshakeTimeoutMs: 400 }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).stage).toBe('timeout');
    expect((error as HandshakeError).message).toMatch(/handshake-timeout.*400 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('message bounds', () => {
  it('closes with 1009 on a message over maxFrameBytes, says so and why, and keeps none of it', async () => {
    const server = await listen({ limits: { maxFrameBytes: 1024, maxBufferedBytes: 1 << 20, closeMs: 1000 } });
    const { station, connection } = await rawStation(server);
    const fault = nextFault(connection);
    const stationSaw = once(station, 'close');
    station.send('x'.repeat(5000));
    expect(await fault).toMatchObject({ kind: 'frame-too-large', limitBytes: 1024, announcedBytes: 5000 });
    expect(await connection.whenClosed()).toEqual({ code: 1009, reason: '', initiatedBy: 'local', cause: 'frame-too-large' });
    expect((await stationSaw)[0]).toBe(1009);
  });

  it('closes with 1007 on a text frame that is not UTF-8 (RFC 6455 §8.1) and hands over its bytes', async () => {
    const server = await listen();
    const { station, connection } = await rawStation(server);
    const fault = nextFault(connection);
    const stationSaw = once(station, 'close');
    const bytes = Buffer.from([0x5b, 0x32, 0x2c, 0xc3, 0x28, 0x5d]);
    station.send(bytes, { binary: false });
    const seen = await fault;
    expect(seen.kind).toBe('frame-invalid-utf8');
    expect((seen as { bytes: Buffer }).bytes.equals(bytes)).toBe(true);
    expect(await connection.whenClosed()).toEqual({ code: 1007, reason: 'invalid UTF-8 in a text frame', initiatedBy: 'local', cause: 'frame-invalid-utf8' });
    expect((await stationSaw)[0]).toBe(1007);
  });

  it('still takes UTF-8 split across TCP writes and fragments', async () => {
    const server = await listen();
    const { station, connection } = await rawStation(server);
    const message = new Promise<string>((resolve) => connection.once('message', resolve));
    const euro = Buffer.from('€', 'utf8');
    station.send(euro.subarray(0, 1), { binary: false, fin: false });
    station.send(euro.subarray(1), { fin: true });
    expect(await message).toBe('€');
  });
});

describe('a peer that does not read', () => {
  it('is dropped once more than maxBufferedBytes of ours wait unread', async () => {
    const server = await listen({ limits: { maxFrameBytes: 1 << 20, maxBufferedBytes: 256 * 1024, closeMs: 1000 } });
    const { station, connection } = await rawStation(server);
    (station as unknown as { _socket: Socket })._socket.pause();
    const fault = nextFault(connection);
    const chunk = 'z'.repeat(16 * 1024);
    let sent = 0;
    // The kernel takes a few MB before anything stays in our buffer; the cap must stop the sender.
    while (connection.send(chunk)) sent++;
    expect(sent).toBeLessThan(2_000);
    expect(await fault).toMatchObject({ kind: 'peer-not-reading', limitBytes: 256 * 1024 });
    const info: CloseInfo = await connection.whenClosed();
    expect(info).toMatchObject({ initiatedBy: 'local', cause: 'peer-not-reading' });
  });

  it('has its closing handshake cut short after closeMs, not ws\'s 30 s', async () => {
    const server = await listen({ limits: { maxFrameBytes: 1 << 20, maxBufferedBytes: 1 << 20, closeMs: 300 } });
    const { station, connection } = await rawStation(server);
    (station as unknown as { _socket: Socket })._socket.pause();
    const fault = nextFault(connection);
    const started = performance.now();
    connection.close(1000, 'bye');
    expect(await fault).toMatchObject({ kind: 'close-timeout' });
    expect(await connection.whenClosed()).toEqual({ code: 1000, reason: 'bye', initiatedBy: 'local' });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('closes normally, with no fault, when the peer answers the close', async () => {
    const server = await listen({ limits: { maxFrameBytes: 1 << 20, maxBufferedBytes: 1 << 20, closeMs: 300 } });
    const { connection } = await rawStation(server);
    const faults: PeerFault[] = [];
    connection.on('fault', (fault) => faults.push(fault));
    connection.close(1000, 'bye');
    expect(await connection.whenClosed()).toEqual({ code: 1000, reason: 'bye', initiatedBy: 'local' });
    expect(faults).toEqual([]);
  });
});

describe('a ping flood', () => {
  it('gets a pong for every ping while the peer reads (RFC 6455 §5.5.2), where ws alone drops it after 60 pending pongs', async () => {
    const server = await listen();
    const { station, connection } = await rawStation(server);
    const pings = 2_000;
    let pongs = 0;
    const allAnswered = new Promise<void>((resolve) => station.on('pong', () => ++pongs === pings && resolve()));
    for (let n = 0; n < pings; n++) station.ping(Buffer.from(`p${n}`));
    await allAnswered;
    expect(pongs).toBe(pings);
    expect(connection.isOpen).toBe(true);
  });

  it('drops a flooding peer that never reads its pongs, naming it peer-not-reading', async () => {
    const server = await listen({ limits: { ...DEFAULT_CONNECTION_LIMITS, maxBufferedBytes: 64 * 1024 } });
    const { station, connection } = await rawStation(server);
    const fault = nextFault(connection);
    (station as unknown as { _socket: Socket })._socket.pause();
    const ping = Buffer.alloc(125, 1);
    for (let n = 0; n < 100_000; n++) station.ping(ping);
    expect((await fault).kind).toBe('peer-not-reading');
  });
});
