import { OCPP_VERSIONS, type OcppVersion } from '../protocol/index.js';
import type { HarnessConfig } from './types.js';

// Messages a station may send at any time; the harness answers them so that a step waiting for
// something else does not fail the SUT for normal chatter. TransactionEvent is left out on purpose:
// in 2.x it is what most steps wait for, so it must never be answered silently.
const BACKGROUND_2X = {
  Heartbeat: { currentTime: '{{now}}' },
  StatusNotification: {},
  MeterValues: {},
  NotifyEvent: {},
  SecurityEventNotification: {},
  LogStatusNotification: {},
  FirmwareStatusNotification: {},
  NotifyReport: {},
  NotifyMonitoringReport: {},
};

const BACKGROUND_OF: Record<OcppVersion, Record<string, unknown>> = {
  '1.6': {
    Heartbeat: { currentTime: '{{now}}' },
    StatusNotification: {},
    MeterValues: {},
    DiagnosticsStatusNotification: {},
    FirmwareStatusNotification: {},
    SecurityEventNotification: {},
    LogStatusNotification: {},
  },
  '2.0.1': BACKGROUND_2X,
  '2.1': BACKGROUND_2X,
};

/**
 * The default background replies of a version, or of all versions together when none is given
 * (their replies never disagree, and a station only sends the actions of its own version).
 */
export function defaultBackgroundReplies(version?: OcppVersion): Record<string, unknown> {
  const versions = version ? [version] : OCPP_VERSIONS;
  return structuredClone(Object.assign({}, ...versions.map((v) => BACKGROUND_OF[v])) as Record<string, unknown>);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// All tokens stay within 20 characters, the OCPP 1.6 idTag limit, so the defaults suit every version.
/** The configuration used where the file says nothing; frozen, resolved configs get copies. */
export const DEFAULT_CONFIG: HarnessConfig = deepFreeze({
  stationId: 'CS001',
  evses: [{ id: 1, connectors: [{ id: 1 }] }],
  idTokens: {
    valid: { idToken: 'VALID-TOKEN-01', type: 'ISO14443' },
    valid2: { idToken: 'VALID-TOKEN-02', type: 'ISO14443' },
    invalid: { idToken: 'INVALID-TOKEN-01', type: 'ISO14443' },
    blocked: { idToken: 'BLOCKED-TOKEN-01', type: 'ISO14443' },
    expired: { idToken: 'EXPIRED-TOKEN-01', type: 'ISO14443' },
    masterPass: { idToken: 'MASTERPASS-01', type: 'ISO14443' },
    masterPassGroupId: { idToken: 'MASTERPASS-GROUP', type: 'Central' },
    group: { idToken: 'GROUP-TOKEN-01', type: 'ISO14443' },
    groupIdToken: { idToken: 'GROUP-ID-01', type: 'Central' },
  },
  security: { profile: 0 },
  network: { configurationSlot: 1, configurationSlot2: 2, ocppInterface: 'Wired0', messageTimeoutS: 30 },
  timeouts: { messageMs: 30_000, longOperationMs: 120_000, timeToleranceMs: 4_000, connectMs: 60_000, closeMs: 3_000, handshakeMs: 10_000 },
  limits: { maxFrameBytes: 4 * 1024 * 1024, maxBufferedBytes: 8 * 1024 * 1024 },
  timing: { heartbeatIntervalS: 300, meterValueSampleIntervalS: 0, clockAlignedDataIntervalS: 0, offlineThresholdS: 3, retryBackOffWaitMinimumS: 1, reconnectDelayS: 3 },
  // A real station is not back at once after a reboot (issue 11: lab mode of the references).
  simulate: { rebootDelayMs: 2_000 },
  fileServer: { port: 0 },
  features: [],
  adapters: { default: { kind: 'prompt' }, actions: {} },
  betweenCases: { mode: 'restore', beforeEach: [], afterEach: [] },
  tables: {},
  background: defaultBackgroundReplies(),
});
