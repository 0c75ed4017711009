// The reference: ocpp-rpc's own RPCServer and RPCClient, strict (schema-validating) mode on both.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { HEARTBEAT_ACTION, HEARTBEAT_RESPONSE, type Driver, type OpenDriver } from './driver.js';

// ocpp-rpc is CommonJS and its typings require every client option; we type what we use.
interface RpcServerClient {
  handle(method: string, handler: (call: { params: unknown }) => unknown): void;
}
interface RpcServer {
  on(event: 'client', listener: (client: RpcServerClient) => void): void;
  listen(port: number, host: string): Promise<Server>;
  close(options?: { code?: number; force?: boolean }): Promise<void>;
}
interface RpcClient {
  connect(): Promise<unknown>;
  call(method: string, params: object): Promise<unknown>;
  close(options?: { code?: number }): Promise<unknown>;
}
interface OcppRpcModule {
  RPCServer: new (options: { protocols: string[]; strictMode: boolean }) => RpcServer;
  RPCClient: new (options: { endpoint: string; identity: string; protocols: string[]; strictMode: boolean; reconnect: boolean }) => RpcClient;
}

const PROTOCOLS = ['ocpp1.6'];

async function openOcppRpc(): Promise<OpenDriver> {
  // Loaded on first use, so a profile of another driver does not include ocpp-rpc's start-up.
  const { RPCServer, RPCClient } = createRequire(import.meta.url)('ocpp-rpc') as OcppRpcModule;
  const server = new RPCServer({ protocols: PROTOCOLS, strictMode: true });
  server.on('client', (client) => client.handle(HEARTBEAT_ACTION, () => ({ ...HEARTBEAT_RESPONSE })));
  const http = await server.listen(0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;
  const client = new RPCClient({ endpoint: `ws://127.0.0.1:${port}/ocpp`, identity: 'CS001', protocols: PROTOCOLS, strictMode: true, reconnect: false });
  try {
    await client.connect();
  } catch (error) {
    await server.close({ force: true });
    throw error;
  }
  return {
    async roundTrip() {
      const reply = (await client.call(HEARTBEAT_ACTION, {})) as { currentTime?: unknown };
      if (reply.currentTime !== HEARTBEAT_RESPONSE.currentTime) throw new Error(`ocpp-rpc: unexpected Heartbeat reply ${JSON.stringify(reply)}`);
    },
    async close() {
      await client.close({ code: 1000 });
      await server.close({ code: 1000 });
      return {};
    },
  };
}

export const ocppRpcDriver: Driver = {
  name: 'ocppRpc',
  description: 'ocpp-rpc RPCServer + RPCClient, protocols [ocpp1.6], strictMode on both',
  open: openOcppRpc,
};
