// The physical limit: plain `ws` sockets, JSON.parse on receipt, no checks and no tracing.
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { HEARTBEAT_ACTION, HEARTBEAT_RESPONSE, type Driver, type OpenDriver } from './driver.js';

const RESPONSE_JSON = JSON.stringify(HEARTBEAT_RESPONSE);

function answerCalls(socket: WebSocket): void {
  socket.on('message', (data: RawData) => {
    const [, messageId] = JSON.parse(data.toString()) as [number, string];
    socket.send(`[3,${JSON.stringify(messageId)},${RESPONSE_JSON}]`);
  });
}

async function openBareWs(): Promise<OpenDriver> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  server.on('connection', answerCalls);
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}/ocpp/CS001`, ['ocpp1.6'], { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => client.once('open', resolve).once('error', reject));

  let nextId = 1;
  let expectedId = '';
  let settle: ((error?: Error) => void) | undefined;
  client.on('message', (data: RawData) => {
    const [type, messageId] = JSON.parse(data.toString()) as [number, string];
    settle?.(type === 3 && messageId === expectedId ? undefined : new Error(`bareWs: unexpected reply ${data.toString()}`));
  });

  return {
    roundTrip() {
      expectedId = String(nextId++);
      return new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
        client.send(`[2,"${expectedId}","${HEARTBEAT_ACTION}",{}]`);
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.close(1000);
      await closed;
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      return {};
    },
  };
}

export const bareWsDriver: Driver = {
  name: 'bareWs',
  description: 'plain ws WebSocketServer + WebSocket, JSON.parse on both sides, no validation, no tracing',
  open: openBareWs,
};
