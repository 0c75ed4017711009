import type { OcppVersion } from '../protocol/index.js';
import { OcppServer, connectAsStation, type Connection } from '../transport/index.js';
import { Session } from './session.js';
import type { SessionOptions } from './session-options.js';
import { MemoryTrace, type TraceSink } from './trace-record.js';

/** Options of a loopback pair; every field has a default. */
export interface LoopbackPairOptions {
  version?: OcppVersion;
  stationId?: string;
  /** Traces of the two sides (default: in memory). */
  csmsTrace?: TraceSink;
  csTrace?: TraceSink;
  callTimeoutMs?: number;
  validate?: boolean;
  invalidCalls?: SessionOptions['invalidCalls'];
}

/** A CSMS session and a charging-station session talking over a real 127.0.0.1 WebSocket. */
export interface LoopbackPair {
  server: OcppServer;
  csms: Session;
  cs: Session;
  /** Closes both sides and the server. */
  close(): Promise<void>;
}

/** Opens a harness CSMS and a harness station on loopback and connects them. */
export async function openLoopbackPair(options: LoopbackPairOptions = {}): Promise<LoopbackPair> {
  const version = options.version ?? '2.0.1';
  const stationId = options.stationId ?? 'CS001';
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: [version] });
  const accepted = new Promise<Connection>((resolve) => server.once('connection', (connection) => resolve(connection)));
  const { connection } = await connectAsStation({ endpoint: `${server.url}/ocpp`, stationId, versions: [version] });
  const common = { version, ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}), ...(options.validate === false ? { validate: false } : {}), ...(options.invalidCalls ? { invalidCalls: options.invalidCalls } : {}) };
  const cs = new Session({ ...common, role: 'cs', connection, trace: options.csTrace ?? new MemoryTrace() });
  const csms = new Session({ ...common, role: 'csms', connection: await accepted, trace: options.csmsTrace ?? new MemoryTrace() });
  return {
    server, csms, cs,
    async close() {
      await cs.close();
      await server.close();
    },
  };
}
