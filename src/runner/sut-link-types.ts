import type { Finding, OcppVersion } from '../protocol/index.js';
import type { CallReply, IncomingCall, Session, TraceRecord, TraceSink } from '../session/index.js';
import type { InvalidCertificateVariant } from '../pki/index.js';
import type { HarnessSide } from './harness-side.js';
import type { ConnectionLimits, ConnectionSecurity, KeyedCertificatePem, OcppServer, PresentationOutcome, RefusalBook, SecurityProfile } from '../transport/index.js';

// What the link to the SUT (sut-link.ts) takes and tells: its options, its events, the calls it
// holds for the case, and what one connection attempt of the harness-as-station may change.

/** Whose answer a CALL got: the test case's (or its silence), the configured background reply, or the default reply. */
export type AnsweredWith = 'case' | 'silence' | 'background' | 'default';

/** A CALL from the SUT waiting for the harness's decision on how to answer it. */
export interface PendingCall {
  call: IncomingCall;
  receivedAtMs: number;
  /** True once an answer was sent (or deliberately withheld). */
  answered: boolean;
  /** How the case runner answered it, once it did. */
  answeredWith?: AnsweredWith;
  respond(reply: CallReply): void;
}

/** Options of a link to one SUT identity. */
export interface SutLinkOptions {
  /** What the harness plays against the SUT. */
  side: HarnessSide;
  version: OcppVersion;
  stationId: string;
  trace: TraceSink;
  callTimeoutMs: number;
  /**
   * Harness as CSMS: the servers the station may connect to (plain and TLS endpoints, the new-root
   * endpoint), and the refusal book they share.
   */
  servers?: readonly OcppServer[];
  refusals?: RefusalBook;
  /** Harness as station: the CSMS endpoint (without the station id) and how the connection is secured (see connectionSecurity). */
  endpoint?: string;
  security?: ConnectionSecurity;
  /** Harness as station: the CSMS endpoint for the security profile above the configured one (A05, `target.upgradeUrl`). */
  upgradeEndpoint?: string;
  /** Harness as station: how a connection at another security profile is secured (A05: the upgraded station). */
  securityAt?: (profile: SecurityProfile) => ConnectionSecurity;
  /**
   * The invalid certificates a case presents (see InvalidCertificateVariant): harness as CSMS, a
   * server certificate for the hosts it serves; harness as station, a station certificate for its identity.
   */
  invalidCertificate?: (variant: InvalidCertificateVariant) => KeyedCertificatePem;
  /** The bounds of the connections the harness opens as station (issue 14; the servers have their own). */
  limits?: ConnectionLimits;
  /** Harness as station: the deadline of a whole opening handshake when the caller gives none. */
  connectMs?: number;
  /**
   * Harness as CSMS: besides its own station's, the stalled handshakes this link records, by the
   * station id their request named ('' for none). One link of a run takes those no link owns: a
   * port scanner, a station stuck before its request line, an identity the run does not have.
   */
  recordsStrayHandshake?: (stationId: string) => boolean;
}

/** A connection attempt of the station the harness turned away. */
export interface RefusedAttempt {
  /** The CSMS endpoint path the station used (its URL path without the identity). */
  path: string;
  /** How long after the connection was lost, or the previous attempt refused, it came. */
  afterDownMs: number | undefined;
}

/** Events of a link. */
export interface SutLinkEvents {
  call: [pending: PendingCall];
  session: [session: Session];
  refused: [attempt: RefusedAttempt];
  /** How a station met what the servers presented in its TLS handshake (see present). */
  presented: [outcome: PresentationOutcome];
  /** An EVENT about the SUT was recorded (see recordSutEvent). */
  sutEvent: [];
  /** A protocol finding was recorded on a frame of any of the link's sessions (after its record). */
  finding: [finding: Finding, record: TraceRecord];
}

/**
 * Harness as station: what one connection attempt does differently from the configured station
 * (the negative cases of A00 and OCPP-J: another subprotocol, password or username, another
 * client certificate, TLS older than 1.2).
 */
export interface ConnectOverrides {
  /** Another CSMS endpoint than the configured one (A05: the upgraded profile's). */
  endpoint?: string;
  /** Another security profile than the configured one, secured as `securityAt` says (A05). */
  profile?: SecurityProfile;
  subprotocols?: string[];
  password?: string;
  /** The Basic-auth username instead of the station identity (A00.FR.204). */
  username?: string;
  /** The client certificate to present instead of the configured one (profile 3, A00.FR.405/407). */
  clientCertificate?: KeyedCertificatePem;
  /** What is wrong with that certificate, for the verdict (e.g. "expired"). */
  clientCertificateFlaw?: string;
  /** `only`: offer TLS 1.0 and 1.1 and nothing newer (A00.FR.315/418). */
  legacyTls?: 'only';
}

