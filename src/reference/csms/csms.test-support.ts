import type { OcppVersion, Payload } from '../../protocol/index.js';
import { MemoryTrace, Session, waitForRecord, type CallOutcome, type CallReply, type TraceRecord } from '../../session/index.js';
import { connectAsStation, type ConnectionSecurity } from '../../transport/index.js';
import { ReferenceCsms } from './reference-csms.js';
import type { ReferenceCsmsOptions } from './types.js';

/** How long a test waits for an event that should come at once. */
export const WAIT_MS = 5000;

/** A fixed CSMS clock, so answers can be compared exactly. */
export const FIXED_NOW = new Date('2025-03-04T05:06:07.000Z');

// Valid station answers to the CSMS requests the tests send (anything else: status Accepted).
const STATION_REPLIES: Record<string, Payload> = {
  GetVariables: {
    getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '300', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
  },
  SetVariables: { setVariableResult: [{ attributeStatus: 'Accepted', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] },
  GetConfiguration: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] },
  GetLocalListVersion: {},
  UnlockConnector: { status: 'Unlocked' },
  DataTransfer: { status: 'UnknownVendorId' },
};

function stationReply(version: OcppVersion, action: string): CallReply {
  if (action === 'GetLocalListVersion') return { payload: version === '1.6' ? { listVersion: 0 } : { versionNumber: 0 } };
  return { payload: STATION_REPLIES[action] ?? { status: 'Accepted' } };
}

/** A charging station played by the harness's own session (role cs), with its trace. */
export interface TestStation {
  session: Session;
  trace: MemoryTrace;
  call(action: string, payload: Payload): Promise<CallOutcome>;
  /** The next CALL of this action the CSMS sends, once it arrives. */
  nextCsmsCall(action: string): Promise<TraceRecord | undefined>;
  /** Schema-violation findings recorded on the station side. */
  schemaViolations(): string[];
}

/** Security profile 1 with this password. */
export function basicAuth(password: string): ConnectionSecurity {
  return { profile: 1, basicAuth: { password }, trustedRoots: { server: [], client: [] } };
}

/** Connects a station to the CSMS at `url`; it answers the CSMS's requests with valid payloads. */
export async function connectTestStation(url: string, version: OcppVersion, options: { stationId?: string; password?: string; path?: string } = {}): Promise<TestStation> {
  const { connection } = await connectAsStation({
    endpoint: `${url}${options.path ?? '/ocpp'}`, stationId: options.stationId ?? 'CS001', versions: [version],
    ...(options.password !== undefined ? { security: basicAuth(options.password) } : {}),
  });
  const trace = new MemoryTrace();
  const session = new Session({ role: 'cs', version, connection, trace, callTimeoutMs: WAIT_MS });
  session.setCallHandler((call) => stationReply(version, call.action));
  return {
    session, trace,
    call: (action, payload) => session.call(action, payload),
    nextCsmsCall: (action) => waitForRecord(session, (record) => record.messageType === 'CALL' && record.direction === 'csms-to-cp' && record.action === action, WAIT_MS),
    schemaViolations: () => session.findings.filter((finding) => finding.code === 'schema-violation').map((finding) => finding.message),
  };
}

/** A running CSMS and the stations a test connected to it; `close` ends them all. */
export interface TestRig {
  csms: ReferenceCsms;
  url: string;
  connect(options?: { stationId?: string; password?: string; path?: string }): Promise<TestStation>;
  close(): Promise<void>;
}

/** Starts a reference CSMS on a free 127.0.0.1 port with a fixed clock. */
export async function startRig(options: ReferenceCsmsOptions): Promise<TestRig> {
  const csms = new ReferenceCsms({ clock: () => FIXED_NOW, ...options });
  const { url } = await csms.start();
  const stations: TestStation[] = [];
  return {
    csms, url,
    async connect(connectOptions = {}) {
      const station = await connectTestStation(url, options.version, connectOptions);
      stations.push(station);
      return station;
    },
    async close() {
      await Promise.all(stations.filter((station) => station.session.isOpen).map((station) => station.session.close()));
      await csms.stop();
    },
  };
}

/** A valid BootNotification request of the version. */
export function bootRequest(version: OcppVersion): Payload {
  return version === '1.6'
    ? { chargePointVendor: 'HarnessLab', chargePointModel: 'TestPoint' }
    : { reason: 'PowerUp', chargingStation: { vendorName: 'HarnessLab', model: 'TestPoint' } };
}

/** A valid StatusNotification request of the version, for connector 1. */
export function statusRequest(version: OcppVersion, status = 'Available'): Payload {
  return version === '1.6'
    ? { connectorId: 1, errorCode: 'NoError', status }
    : { timestamp: FIXED_NOW.toISOString(), connectorStatus: status, evseId: 1, connectorId: 1 };
}

/** The payload of a CALLRESULT outcome; fails the test with the outcome otherwise. */
export function resultOf(outcome: CallOutcome): Payload {
  if (outcome.kind !== 'result') throw new Error(`expected a CALLRESULT, got ${JSON.stringify(outcome)}`);
  return outcome.payload;
}

/** The error code of a CALLERROR outcome; fails the test with the outcome otherwise. */
export function errorCodeOf(outcome: CallOutcome): string {
  if (outcome.kind !== 'error') throw new Error(`expected a CALLERROR, got ${JSON.stringify(outcome)}`);
  return outcome.errorCode;
}
