import type { OcppVersion, Payload } from '../../protocol/index.js';
import type { CallOutcome, CallReply, IncomingCall } from '../../session/index.js';
import type { KeyedCertificatePem } from '../../transport/index.js';
import type { ActionOutcome } from '../control.js';
import type { StationBehaviourFault } from './behaviour-faults.js';
import type { ResolvedStationOptions } from './options.js';
import type { StationState } from './station-state.js';
import type { Timers } from './timers.js';
import type { EndpointPlan } from './csms-connection.js';
import type { TransactionQueue, TxMessage } from './tx-queue.js';
import type { StationTrait } from './traits.js';

/** Where the station stands with the CSMS's acceptance (B01-B03, OCPP 1.6 §4.2). */
export type Registration = 'Unknown' | 'Pending' | 'Rejected' | 'Accepted';

/** Why the station (re)booted; 2.0.1 BootReasonEnumType values the station uses. */
export type BootReason = 'PowerUp' | 'RemoteReset' | 'ScheduledReset' | 'Triggered' | 'FirmwareUpdate';

/** The shared core a version driver works with. */
export interface StationContext {
  readonly version: OcppVersion;
  readonly options: ResolvedStationOptions;
  readonly state: StationState;
  readonly timers: Timers;
  readonly txQueue: TransactionQueue;
  readonly now: () => Date;
  registration(): Registration;
  isOnline(): boolean;
  hasFault(name: StationBehaviourFault): boolean;
  /** The station is built with this trait (see traits.ts). */
  hasTrait(trait: StationTrait): boolean;
  /**
   * Sends a message that is not transaction-related. Nothing goes out before the boot is
   * accepted (B01.FR.08, B02.FR.02) unless the CSMS asked for it (`requested`: TriggerMessage,
   * GetBaseReport, GetReport); offline it is not sent at all.
   */
  send(action: string, payload: Payload, options?: { requested?: boolean }): Promise<CallOutcome>;
  /** Queues a transaction-related message (E04.FR.01, OCPP 1.6 §3.7). */
  enqueueTx(message: TxMessage): void;
  /** Reboots: closes the connection, reconnects, boots with the reason. */
  reboot(reason: BootReason): void;
  /** Closes the connection and connects again without a reboot (a new Basic-auth password, A01). */
  reconnect(): void;
  /** Sends a BootNotification now (TriggerMessage). */
  bootNow(reason: BootReason): void;
  /** Restarts the heartbeat timer after HeartbeatInterval changed. */
  restartHeartbeat(): void;
  problem(error: unknown): void;
}

/** What a driver reports of its connectors and transactions (see ReferenceStation.status). */
export interface StationStatus {
  connectors: Array<{ evseId: number; connectorId: number; status: string; plugged: boolean }>;
  transactions: Array<{ evseId: number; connectorId?: number; transactionId?: string | number; idToken?: string }>;
}

/** A device action handler of a driver. */
export type DriverAction = (params: Record<string, unknown>) => ActionOutcome | Promise<ActionOutcome>;

/** What differs between OCPP 1.6 and 2.0.1: the messages and their rules. */
export interface VersionDriver {
  bootRequest(reason: BootReason): Payload;
  /** After an accepted boot: status of every connector (B01.FR.05), 2.0.1 security event. */
  onBootAccepted(reason: BootReason): void;
  /** After a reconnect without reboot: report what changed while offline (B04). */
  onReconnected(offlineMs: number): void;
  /** Answers a CSMS CALL (the core has already applied the registration rules). */
  handleCall(call: IncomingCall): CallReply | Promise<CallReply>;
  heartbeatIntervalS(): number;
  /** Keeps the configured heartbeat interval in step with the boot response (B01.FR.04). */
  setHeartbeatIntervalS(intervalS: number): void;
  /** MessageAttempts(TransactionEvent) / TransactionMessageAttempts. */
  txMessageAttempts(): number;
  /** MessageAttemptInterval(TransactionEvent) / TransactionMessageRetryInterval, in seconds. */
  txRetryIntervalS(): number;
  /** How long the station waits for the answer to one of its CALLs, in seconds (2.0.1 OCPPCommCtrlr.MessageTimeout). */
  messageTimeoutS(): number;
  /** The CSMS endpoints to connect to after a (re)boot (2.0.1 B10: NetworkConfigurationPriority), and the attempts each gets. */
  endpointPlan(): EndpointPlan;
  /**
   * The station connected with this candidate's slot (2.0.1 OCPPCommCtrlr.ActiveNetworkProfile),
   * over TLS having accepted this server certificate. True when that changed the endpoints to try
   * (A05.FR.06: connected at a higher security profile, the lower profiles are gone).
   */
  connectedTo(slot: number, serverCertificatePem: string | undefined): boolean | void;
  /** The reconnection back-off in seconds (2.0.1 OCPPCommCtrlr.RetryBackOff*; 1.6 has none: zeros). */
  reconnectBackOff(): { waitMinimumS: number; randomRangeS: number; repeatTimes: number };
  /** The station certificate a renewal installed (A02.FR.08), presented from then on at profile 3; absent: the configured one. */
  renewedClientCertificate?(): KeyedCertificatePem | undefined;
  /** A Basic-auth password the CSMS set (SecurityCtrlr.BasicAuthPassword), if any. */
  basicAuthPassword(): string | undefined;
  /** Before a power cut: what happens to running transactions. */
  onPowerLoss(): void;
  /** The idle-relevant state for the `status` of the control API: each connector's status and the running transactions. */
  status(): StationStatus;
  /** The device actions of STANDARD_ACTIONS the driver implements. */
  readonly actions: Record<string, DriverAction>;
}
