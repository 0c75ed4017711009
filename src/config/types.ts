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

/**
 * Which OCPP security profile the connection uses, its Basic-auth password and the lab's TLS
 * material: PEM files, relative paths resolved against the config file's folder.
 */
export interface SecurityConfig {
  profile: 0 | 1 | 2 | 3;
  /** Profiles 1 and 2 only: the Basic-auth password, 16 to 64 characters (40 for OCPP 1.6). */
  basicAuthPassword?: string;
  /** As station, profiles 2 and 3: the root(s) the CSMS's server certificate must chain to, instead of Node's default store (A00.FR.308/411). */
  csmsRootFile?: string;
  /** As station, profile 3: the client certificate presented (A00.FR.402); its commonName is the station identity (A00.FR.405). */
  clientCertificateFile?: string;
  /** As station, profile 3: the private key of `clientCertificateFile`. */
  clientKeyFile?: string;
  /** As station: the O of the CSRs the harness sends (`csr.<name>`), the operator (SecurityCtrlr.OrganizationName, A00.FR.509); default DEFAULT_OPERATOR. */
  organizationName?: string;
  /** As CSMS, profile 3: the root(s) a station's client certificate must chain to (A00.FR.403); default the test PKI's csmsRoot. */
  stationRootFile?: string;
  /**
   * As station, profiles 1 and 2: the CSMS under test's endpoint for the profile above, where the
   * upgraded station connects (A05, TC_A_19_CSMS, TC_083_CSMS; `target.upgradeUrl`); default the --target URL.
   */
  upgradeTargetUrl?: string;
}

/** The fields of SecurityConfig that name files. */
export const SECURITY_FILE_FIELDS = ['csmsRootFile', 'clientCertificateFile', 'clientKeyFile', 'stationRootFile'] as const;

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
  /** How long a closing handshake may take before the harness drops the socket (`close-timeout`). */
  closeMs: number;
  /** Harness as CSMS: how long a station's whole WebSocket opening handshake may take (`handshake-timeout`). */
  handshakeMs: number;
}

/** Bounds on what one connection may cost the harness, whatever the peer does. */
export interface LimitsConfig {
  /** The largest WebSocket message accepted; a larger one is `frame-too-large` and closes the connection with 1009. */
  maxFrameBytes: number;
  /** Outgoing bytes the peer may leave unread before the harness drops the connection (`peer-not-reading`). */
  maxBufferedBytes: number;
}

/** Interval values test cases configure on the SUT, and the pace of the harness as a station. */
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
  /**
   * Harness as station: how long after its connection went down (a reboot the case plays, the
   * connection of the previous case) it opens the next one, seconds. A real station takes seconds.
   */
  reconnectDelayS: number;
}

/** How `ocpp-harness simulate` runs the reference implementation on its own. */
export interface SimulateConfig {
  /** How long a reboot or Reset keeps the reference station away before it reconnects, in milliseconds. */
  rebootDelayMs: number;
}

/** The run's HTTP file server (firmware images, log uploads); it listens on the host of `--listen`. */
export interface FileServerConfig {
  /** Its port: 0 (the default) takes any free one; a lab behind a firewall opens a fixed one. */
  port: number;
}

/**
 * A test on an HTTP response: every part given must hold. `status` lists the accepted codes;
 * `body` reads the JSON body at a dotted `path` ('' is the whole body) and compares it with `equals`
 * (a 204 No Content has no body: its status alone is tested).
 */
export interface HttpResponseTest {
  status?: number[];
  body?: { path: string; equals: unknown };
}

/** What an API's answer means beyond "some 2xx": when the action is done, and when the API cannot do it. */
export interface HttpOutcomeTests {
  /** The action is done; default: any 2xx status. */
  success?: HttpResponseTest;
  /** The API cannot do this action (the case becomes inconclusive); HTTP 501 always counts. */
  unsupported?: HttpResponseTest;
}

/** An HTTP request an `http` adapter sends; strings may hold Handlebars templates. Its own `success`/`unsupported` replace the adapter's. */
export interface HttpRequestConfig extends HttpOutcomeTests {
  method?: string;
  /** Appended to the adapter's `baseUrl` (a full http(s) URL is used as it is); templates see params, config and captured values. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How the harness makes the SUT do something physical or manual (plug in, present a card, ...). */
export type AdapterConfig =
  | { kind: 'prompt' }
  | { kind: 'command'; commands: Record<string, string>; defaultCommand?: string; cwd?: string; unsupported?: { exitCodes: number[] } }
  | ({ kind: 'http'; baseUrl: string; requests: Record<string, HttpRequestConfig>; defaultRequest?: HttpRequestConfig; headers?: Record<string, string> } & HttpOutcomeTests)
  | { kind: 'builtin' };

/** The adapter used for every manual action, and per-action exceptions. */
export interface AdaptersConfig {
  default: AdapterConfig;
  actions: Record<string, AdapterConfig>;
}

/**
 * How one SUT is kept idle from case to case (OCPP 2.0.1 Part 6 general pre-conditions): `restore`
 * undoes what each case did over OCPP and device actions, `reset` also resets the station after
 * each case, `none` leaves it as the case left it.
 */
export type BetweenCasesMode = 'restore' | 'reset' | 'none';

/** A device action a lab runs around every case, e.g. a power cycle. */
export interface DeviceActionConfig {
  action: string;
  params?: Record<string, unknown>;
}

/** What happens between two cases against the same SUT. */
export interface BetweenCasesConfig {
  mode: BetweenCasesMode;
  /** Device actions before each case, before its idle state is verified. */
  beforeEach: DeviceActionConfig[];
  /** Device actions after each case, after its clean-up. */
  afterEach: DeviceActionConfig[];
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
  limits: LimitsConfig;
  timing: TimingConfig;
  simulate: SimulateConfig;
  fileServer: FileServerConfig;
  /**
   * Feature ids the SUT declares, e.g. `C-09.1`, `TxStartPoint:EVConnected`, 1.6 `Reservation`,
   * `key:<ConfigKey>`; a 1.6 station under test adds its own (docs/testcase-format.md, Features).
   */
  features: string[];
  adapters: AdaptersConfig;
  betweenCases: BetweenCasesConfig;
  /** A lab's lookup tables for templates, e.g. `route: { Reset: reset }` read as `{{lookup config.tables.route params.action}}`. */
  tables: Record<string, Record<string, unknown>>;
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
  limits?: Partial<LimitsConfig>;
  timing?: Partial<TimingConfig>;
  simulate?: Partial<SimulateConfig>;
  fileServer?: Partial<FileServerConfig>;
}

/** Where a resolved value came from. */
export type ConfigSource = 'default' | 'file';

/** The shape of a valid config file: the configuration with every field optional. */
export interface ConfigFileValue extends ConfigOverrides {
  idTokens?: Partial<IdTokensConfig>;
  adapters?: Partial<AdaptersConfig>;
  betweenCases?: Partial<BetweenCasesConfig>;
  tables?: Record<string, Record<string, unknown>>;
  /** A `null` value removes that action's default reply. */
  background?: Record<string, unknown>;
}
