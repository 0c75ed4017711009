import type { OcppVersion } from '../../protocol/index.js';
import type { TraceSink } from '../../session/index.js';
import type { ConnectionSecurity } from '../../transport/index.js';
import type { KeyedCertificate } from '../../pki/index.js';
import type { Fault } from '../faults.js';

/** The registration statuses a CSMS can answer a BootNotification with (1.6 §4.2, B01-B03). */
export type BootStatus = 'Accepted' | 'Pending' | 'Rejected';

/** The boot statuses, for checking control parameters. */
export const BOOT_STATUSES: readonly BootStatus[] = ['Accepted', 'Pending', 'Rejected'];

/**
 * An authorization status the CSMS can hold for an id token: the OCPP 2.0.1
 * AuthorizationStatusEnumType. OCPP 1.6 knows only Accepted, Blocked, Expired, Invalid and
 * ConcurrentTx; the others are answered as Invalid there.
 */
export type IdTokenStatus =
  | 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'Unknown'
  | 'ConcurrentTx' | 'NoCredit' | 'NotAllowedTypeEVSE' | 'NotAtThisLocation' | 'NotAtThisTime';

/** Every id-token status, for checking control parameters. */
export const ID_TOKEN_STATUSES: readonly IdTokenStatus[] = [
  'Accepted', 'Blocked', 'Expired', 'Invalid', 'Unknown', 'ConcurrentTx', 'NoCredit', 'NotAllowedTypeEVSE', 'NotAtThisLocation', 'NotAtThisTime',
];

/** C16: the MasterPassGroupId the CSMS's stations are configured with, and the tokens of that group. */
export interface MasterPassSetup {
  groupIdToken: { idToken: string; type: string };
  idTokens: string[];
}

/** How the reference CSMS is set up; every field but `version` has a default. */
export interface ReferenceCsmsOptions {
  version: OcppVersion;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** How stations must connect: the Basic-auth password, wss with the server certificate from profile 2 (default: plain ws, no password). */
  security?: ConnectionSecurity;
  /**
   * A05: the security of a second endpoint, one profile above `security`, where the stations the
   * CSMS upgrades connect (a CSMS with an endpoint per profile); absent: no second endpoint.
   */
  upgradeSecurity?: ConnectionSecurity;
  /** The answer to BootNotification (default Accepted). */
  bootStatus?: BootStatus;
  /** The heartbeat interval in an Accepted BootNotification response (default 300). */
  heartbeatIntervalS?: number;
  /** The retry interval in a Pending or Rejected BootNotification response (default 30). */
  bootRetryIntervalS?: number;
  /** Token → authorization status; tokens not listed are Invalid (1.6) or Unknown (2.0.1). */
  idTokens?: Record<string, IdTokenStatus>;
  /** C16: the MasterPassGroupId of the CSMS's stations and its tokens (Accepted unless `idTokens` says otherwise). */
  masterPass?: MasterPassSetup;
  /** Message faults go to every session's interceptor; behaviour faults the CSMS acts out itself. */
  faults?: readonly Fault[];
  /** Where every session's records go (default: discarded). */
  trace?: TraceSink;
  /** The CSMS's clock (default: the system clock). */
  clock?: () => Date;
  /** Signs the stations' CSRs (SignCertificate → CertificateSigned, A02/A03); absent: SignCertificate is Rejected. */
  certificateAuthority?: CertificateAuthority;
}

/** One connector's last reported status. */
export interface ConnectorSnapshot {
  /** 0 in 1.6 when the status is the whole charge point's. */
  evseId: number;
  connectorId: number;
  status: string;
  errorCode?: string;
  at: string;
}

/** What the CSMS knows of one station. */
export interface StationSnapshot {
  stationId: string;
  connected: boolean;
  /** The status of the last BootNotification answered; absent before the first. */
  bootStatus?: BootStatus;
  lastBootAt?: string;
  /** The BootNotification request as received (vendor, model, reason). */
  bootRequest?: unknown;
  lastHeartbeatAt?: string;
  connectors: ConnectorSnapshot[];
}

/** One transaction as the CSMS has seen it. */
export interface TransactionSnapshot {
  stationId: string;
  /** The station's id (2.0.1) or the id the CSMS assigned (1.6), as text. */
  transactionId: string;
  idToken?: string;
  evseId?: number;
  connectorId?: number;
  startedAt: string;
  endedAt?: string;
  active: boolean;
  stoppedReason?: string;
  meterStartWh?: number;
  meterStopWh?: number;
  /** 2.0.1: the last seqNo received. */
  lastSeqNo?: number;
  /** What did not add up: seqNo gaps, events of unknown transactions, a second Started. */
  problems: string[];
}

/** One batch of meter values received (MeterValues, or inside a transaction message). */
export interface MeterValueSnapshot {
  stationId: string;
  action: string;
  transactionId?: string;
  /** 2.0.1: the EVSE the values are for (0: the whole station). */
  evseId?: number;
  /** 1.6: the connector the values are for (0: the whole charge point). */
  connectorId?: number;
  meterValue: unknown;
  at: string;
}

/** A notification the CSMS received and only had to acknowledge (StatusNotification, NotifyEvent, ...). */
export interface NotificationSnapshot {
  stationId: string;
  action: string;
  payload: unknown;
  at: string;
}

/** A connection attempt the CSMS turned away. */
export interface RefusedConnection {
  stationId: string;
  reason: string;
}

/** Everything the reference CSMS knows, as a copy. */
export interface CsmsSnapshot {
  stations: StationSnapshot[];
  transactions: TransactionSnapshot[];
  meterValues: MeterValueSnapshot[];
  notifications: NotificationSnapshot[];
  refusedConnections: RefusedConnection[];
}

/**
 * The certificate authority behind a CSMS that signs its stations' CSRs (A02.FR.04 lets the CSMS
 * forward them to one; the reference CSMS is its own). Without one, SignCertificate is Rejected:
 * the CSMS cannot process it (A02.FR.12).
 */
export interface CertificateAuthority {
  /** Issues the station certificates: the CSMS root its stations' connections chain to. */
  issuer(): KeyedCertificate;
  /** The operator, the O a station certificate must carry (A00.FR.404, A00.FR.509); unchecked when absent. */
  organization?: string;
}
