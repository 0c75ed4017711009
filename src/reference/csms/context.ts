import type { OcppVersion } from '../../protocol/index.js';
import { RefusalBook } from '../../transport/index.js';
import { ExchangeTracker } from '../exchanges.js';
import { FaultSyntaxError, behaviours } from '../faults.js';
import { CSMS_BEHAVIOUR_FAULTS, CsmsBehaviours } from './behaviour-faults.js';
import { CsmsState } from './csms-state.js';
import { IdTokenBook } from './id-tokens.js';
import type { BootStatus, CertificateAuthority, ReferenceCsmsOptions } from './types.js';

const DEFAULT_HEARTBEAT_INTERVAL_S = 300;
const DEFAULT_BOOT_RETRY_INTERVAL_S = 30;

/** The settings a control action may change while the CSMS runs. */
export interface CsmsSettings {
  bootStatus: BootStatus;
  heartbeatIntervalS: number;
  bootRetryIntervalS: number;
}

/** What every message handler and control action of the reference CSMS works with. */
export interface CsmsContext {
  version: OcppVersion;
  state: CsmsState;
  tokens: IdTokenBook;
  behaviours: CsmsBehaviours;
  settings: CsmsSettings;
  /** The OCPP exchange each control action causes (the CALLs it sends), for callers that wait for it. */
  exchanges: ExchangeTracker;
  /** The CSMS clock as an ISO 8601 date-time. */
  now(): string;
  /** The CSMS clock. */
  clock(): Date;
  /** A fresh positive integer: request ids, remote-start ids, 1.6 transaction ids. */
  nextNumber(): number;
  /** Signs the stations' CSRs (SignCertificate); absent: they are Rejected. */
  certificateAuthority?: CertificateAuthority;
  /** What admits a station to the CSMS's server besides its security: the password it was given (A01). */
  admission: RefusalBook;
}

/** True for the versions the 2.0.1 message set serves (2.1 is answered as 2.0.1 where compatible). */
export function isV2(version: OcppVersion): boolean {
  return version !== '1.6';
}

/** The context of a new CSMS; throws FaultSyntaxError for a behaviour fault this CSMS does not know. */
export function createCsmsContext(options: ReferenceCsmsOptions): CsmsContext {
  const behaviourSet = new CsmsBehaviours(behaviours(options.faults ?? []));
  const unknown = behaviourSet.unknown()[0];
  if (unknown !== undefined) {
    throw new FaultSyntaxError(`behaviour:${unknown}`, `the reference CSMS knows no such behaviour; it knows: ${Object.keys(CSMS_BEHAVIOUR_FAULTS).join(', ')}`);
  }
  const clock = options.clock ?? (() => new Date());
  let lastNumber = 0;
  return {
    version: options.version,
    state: new CsmsState(),
    tokens: new IdTokenBook(options.idTokens ?? {}, behaviourSet.has('accept-unknown-token'), options.masterPass),
    behaviours: behaviourSet,
    settings: {
      bootStatus: options.bootStatus ?? 'Accepted',
      heartbeatIntervalS: options.heartbeatIntervalS ?? DEFAULT_HEARTBEAT_INTERVAL_S,
      bootRetryIntervalS: options.bootRetryIntervalS ?? DEFAULT_BOOT_RETRY_INTERVAL_S,
    },
    exchanges: new ExchangeTracker(),
    clock,
    now: () => clock().toISOString(),
    nextNumber: () => ++lastNumber,
    admission: new RefusalBook(),
    ...(options.certificateAuthority ? { certificateAuthority: options.certificateAuthority } : {}),
  };
}
