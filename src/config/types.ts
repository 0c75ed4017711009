import type { OcppVersion } from '../protocol/index.js';

/** One connector of an EVSE; under OCPP 1.6 its `id` is the station-wide 1.6 connectorId. */
export interface ConnectorConfig {
  id: number;
  /** Free text such as `cType2` or `cCCS2`, shown in reports and usable by test cases. */
  type?: string;
}

/**
 * One EVSE with its connectors. OCPP 1.6 has no EVSEs: its connectorIds form one flat list, so a
 * 1.6 SUT is declared with each connector's 1.6 connectorId in `connectors[].id`.
 */
export interface EvseConfig {
  id: number;
  connectors: ConnectorConfig[];
}

/** An OCPP 2.x IdTokenType; under OCPP 1.6 `idToken` is sent as the idTag and `type` is unused. */
export interface IdTokenConfig {
  idToken: string;
  type: string;
}

/** The idTokens test cases present to the SUT, by the role each plays in the test case. */
export interface IdTokensConfig {
  /** Accepted by the CSMS. */
  valid: IdTokenConfig;
  /** A second accepted token, different from `valid` (stop by another user, local list tests). */
  valid2: IdTokenConfig;
  /** Unknown to the CSMS (status Invalid). */
  invalid: IdTokenConfig;
  blocked: IdTokenConfig;
  expired: IdTokenConfig;
  /** May stop any transaction: a token of the group `masterPassGroupId` (OCPP 2.0.1 C16). */
  masterPass: IdTokenConfig;
  /** The MasterPassGroupId: the groupIdToken of the `masterPass` token (OCPP 2.0.1 AuthCtrlr.MasterPassGroupId). */
  masterPassGroupId: IdTokenConfig;
  /** A token other than `valid` that belongs to the group `groupIdToken`. */
  group: IdTokenConfig;
  /** The group identifier shared by `valid` and `group`. */
  groupIdToken: IdTokenConfig;
}

/** Which OCPP security profile the connection uses and its Basic-auth password. */
export interface SecurityConfig {
  profile: 0 | 1 | 2 | 3;
  /** Profiles 1 and 2 only: the Basic-auth password, 16 to 40 characters. */
  basicAuthPassword?: string;
}

/** The network connection profiles the migration cases give the station (B09, B10). */
export interface NetworkConfig {
  /** Part 6 <Configured configurationSlot> and <Configured configurationSlot2>: the two slots the cases use. */
  configurationSlot: number;
  configurationSlot2: number;
  /** connectionData.ocppInterface, e.g. Wired0. */
  ocppInterface: string;
  /** connectionData.messageTimeout, seconds. */
  messageTimeoutS: number;
}

/** How long the harness waits for the SUT. */
export interface TimeoutsConfig {
  /** How long a step waits for the SUT's message or answer. */
  messageMs: number;
  /** Replaces `messageMs` for slow operations: reboots, firmware updates. */
  longOperationMs: number;
  /** Deviation accepted on time comparisons (certification labs accept 4 s). */
  timeToleranceMs: number;
  /** How long to wait for a station to (re)connect. */
  connectMs: number;
}

/** Interval values test cases configure on the SUT. */
export interface TimingConfig {
  heartbeatIntervalS: number;
  /** 0 turns sampled meter values off. */
  meterValueSampleIntervalS: number;
  /** 0 turns clock-aligned meter values off. */
  clockAlignedDataIntervalS: number;
  /** Part 6 <Configured offlineThreshold>: OfflineThreshold set by the offline-status cases (TC_B_51, TC_B_52), seconds, at least 3. */
  offlineThresholdS: number;
  /** RetryBackOffWaitMinimum set by the reconnection cases (TC_B_57), seconds. */
  retryBackOffWaitMinimumS: number;
}

/** How `ocpp-harness simulate` runs the reference implementation on its own. */
export interface SimulateConfig {
  /** How long a reboot or Reset keeps the reference station away before it reconnects, in milliseconds. */
  rebootDelayMs: number;
}

/** An HTTP request an `http` adapter sends; strings may hold Handlebars templates. */
export interface HttpRequestConfig {
  method?: string;
  /** Appended to the adapter's `baseUrl` (a full http(s) URL is used as it is); templates see params, config and captured values. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How the harness makes the SUT do something physical or manual (plug in, present a card, ...). */
export type AdapterConfig =
  | { kind: 'prompt' }
  | { kind: 'command'; commands: Record<string, string>; defaultCommand?: string; cwd?: string }
  | { kind: 'http'; baseUrl: string; requests: Record<string, HttpRequestConfig>; defaultRequest?: HttpRequestConfig; headers?: Record<string, string> }
  | { kind: 'builtin' };

/** The adapter used for every manual action, and per-action exceptions. */
export interface AdaptersConfig {
  default: AdapterConfig;
  actions: Record<string, AdapterConfig>;
}

/** The fully resolved run configuration: every field present once defaults are applied. */
export interface HarnessConfig {
  stationId: string;
  /** Absent when the file does not say; the `--ocpp` flag wins over it anyway. */
  ocpp?: OcppVersion;
  evses: EvseConfig[];
  idTokens: IdTokensConfig;
  security: SecurityConfig;
  network: NetworkConfig;
  timeouts: TimeoutsConfig;
  timing: TimingConfig;
  simulate: SimulateConfig;
  /** Declared PICS entries and features of the SUT, e.g. `C-09.1`, `TxStartPoint:EVConnected`. */
  features: string[];
  adapters: AdaptersConfig;
  /**
   * Replies to legal background traffic while a step waits for something else, by OCPP action:
   * payload templates kept as data. Holds the entries of every version; see `backgroundRepliesFor`.
   */
  background: Record<string, unknown>;
}

/** Values set from outside the file (CLI flags, environment); sections merge field by field. */
export interface ConfigOverrides {
  stationId?: string;
  ocpp?: OcppVersion;
  evses?: EvseConfig[];
  features?: string[];
  security?: Partial<SecurityConfig>;
  network?: Partial<NetworkConfig>;
  timeouts?: Partial<TimeoutsConfig>;
  timing?: Partial<TimingConfig>;
  simulate?: Partial<SimulateConfig>;
}

/** Where a resolved value came from. */
export type ConfigSource = 'default' | 'file';

/** The shape of a valid config file: the configuration with every field optional. */
export interface ConfigFileValue extends ConfigOverrides {
  idTokens?: Partial<IdTokensConfig>;
  adapters?: Partial<AdaptersConfig>;
  /** A `null` value removes that action's default reply. */
  background?: Record<string, unknown>;
}
