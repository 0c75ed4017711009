import type { Payload } from '../../protocol/index.js';
import type { CallOutcome } from '../../session/index.js';
import type { ActionOutcome } from '../control.js';
import { noteSolicitation } from './boot-gate.js';
import { isV2, type CsmsContext } from './context.js';
import type { StationRecord } from './csms-state.js';
import { DEFAULT_REQUESTS_16 } from './default-requests-16.js';
import { DEFAULT_REQUESTS_201 } from './default-requests-201.js';
import { closeIfDeclined } from './declined-requests.js';
import { adoptPasswordIfAccepted } from './password-update.js';
import { expectUpgradeIfAccepted } from './security-upgrade.js';
import { learnCertificates, operatorInputProblem } from './operator-input.js';

/** The parameters of `csmsSend`. */
export interface CsmsSendParams {
  /** Default: the only or last connected station. */
  stationId?: string;
  action: string;
  /** Default: a sensible payload for the common actions (see default-requests-16.ts and default-requests-201.ts). */
  payload?: Payload;
  /** Wait for the station's answer and report it (default: return once the request is sent). */
  awaitResponse?: boolean;
  /** Send even when the specification forbids it in the station's registration state. */
  force?: boolean;
}

// B02.FR.05 (2.0.1) and 1.6 §4.2: a CSMS that wants to start or stop remotely must accept the station first.
const NOT_WHILE_PENDING = new Set(['RequestStartTransaction', 'RequestStopTransaction', 'RemoteStartTransaction', 'RemoteStopTransaction']);

/** Sends a CSMS-initiated request to a station; resolves once it has been sent (or answered, when asked). */
export async function csmsSend(context: CsmsContext, params: CsmsSendParams): Promise<ActionOutcome> {
  const station = context.state.target(params.stationId);
  const session = station?.session;
  if (!station || !session?.isOpen || !station.outgoing) {
    return { status: 'failed', reason: params.stationId ? `station ${params.stationId} is not connected to the CSMS` : 'no station is connected to the CSMS' };
  }
  const refusal = params.force ? undefined : forbiddenNow(context, station, params.action);
  if (refusal) return { status: 'failed', reason: refusal };
  // A copy: the CALL is recognised by the identity of its payload, and the caller may reuse its object.
  const payload = params.payload ? structuredClone(params.payload) : defaultPayload(context, station, params.action);
  if (!payload) return { status: 'failed', reason: `the reference CSMS has no default payload for ${params.action}; give one` };
  // Like a CSMS that checks what its operator (or API client) gives it, before anything is sent.
  const invalid = operatorInputProblem(params.action, payload, station.certificates);
  if (invalid) return { status: 'failed', reason: `the reference CSMS refuses the ${params.action} data: ${invalid}` };
  if (params.action === 'SetChargingProfile' && context.behaviours.has('sc-new-profile-id')) giveNewProfileId(context, payload);
  rememberRequest(station, params.action, payload);
  const watch = station.outgoing.whenCallLeaves(payload);
  const outcome = context.exchanges.track(`the answer to ${params.action}`, session.call(params.action, payload));
  void outcome.then((answer) => learnCertificates(station.certificates, params.action, payload, answer));
  void outcome.then((answer) => closeIfDeclined(context, session, answer));
  void outcome.then((answer) => adoptPasswordIfAccepted(context, station.stationId, params.action, payload, answer));
  void outcome.then((answer) => expectUpgradeIfAccepted(station, params.action, payload, answer));
  const first = await Promise.race([watch.left.then((verdict) => ({ verdict })), outcome]);
  if (!('verdict' in first)) {
    watch.cancel();
    return describeOutcome(params.action, first);
  }
  if (params.awaitResponse) return describeOutcome(params.action, await outcome);
  const how = 'send' in first.verdict ? 'sent' : 'dropped by an injected fault instead of sending';
  return { status: 'done', detail: `${how} ${params.action} to ${station.stationId}` };
}

function forbiddenNow(context: CsmsContext, station: StationRecord, action: string): string | undefined {
  if (station.bootStatus === 'Rejected' && !context.behaviours.has('send-while-rejected')) {
    // B03.FR.03; 1.6 §4.2: the CSMS initiates nothing towards a station it rejected.
    return `station ${station.stationId} is Rejected: the CSMS initiates no messages (B03.FR.03; 1.6 §4.2); pass force: true to send anyway`;
  }
  if (station.bootStatus === 'Pending' && NOT_WHILE_PENDING.has(action) && !context.behaviours.has('remote-start-while-pending')) {
    return `station ${station.stationId} is Pending: the CSMS accepts it before starting or stopping transactions remotely (B02.FR.05; 1.6 §4.2); pass force: true to send anyway`;
  }
  return undefined;
}

function defaultPayload(context: CsmsContext, station: StationRecord, action: string): Payload | undefined {
  const table = isV2(context.version) ? DEFAULT_REQUESTS_201 : DEFAULT_REQUESTS_16;
  const builder = Object.hasOwn(table, action) ? table[action] : undefined;
  return builder?.(context, station);
}

function rememberRequest(station: StationRecord, action: string, payload: Payload): void {
  noteSolicitation(station, action, payload);
  if (action === 'ReserveNow') {
    const id = payload['id'] ?? payload['reservationId'];
    if (typeof id === 'number') station.lastReservationId = id;
  }
}

/** Acts out `behaviour:sc-new-profile-id`: the profile gets an id of its own instead of the one it was to replace. */
function giveNewProfileId(context: CsmsContext, payload: Payload): void {
  const profile = payload['chargingProfile'] ?? payload['csChargingProfiles'];
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) return;
  const fields = profile as Record<string, unknown>;
  fields['id' in fields ? 'id' : 'chargingProfileId'] = 1000 + context.nextNumber();
}

function describeOutcome(action: string, outcome: CallOutcome): ActionOutcome {
  switch (outcome.kind) {
    case 'result': return { status: 'done', detail: `${action} answered: ${JSON.stringify(outcome.payload)}`, answer: { action, payload: outcome.payload } };
    case 'error': return {
      status: 'done', detail: `${action} answered with CALLERROR ${outcome.errorCode}: ${outcome.errorDescription}`,
      answer: { action, errorCode: outcome.errorCode, errorDescription: outcome.errorDescription },
    };
    case 'timeout': return { status: 'failed', reason: `no answer to ${action} within ${outcome.timeoutMs} ms` };
    default: return { status: 'failed', reason: `the connection closed before ${action} was answered` };
  }
}
