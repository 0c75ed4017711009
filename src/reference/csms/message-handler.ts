import type { Payload } from '../../protocol/index.js';
import type { CallReply, Session } from '../../session/index.js';
import { clearSolicitations } from './boot-gate.js';
import type { CsmsContext } from './context.js';
import type { StationRecord } from './csms-state.js';

/** What a handler of one station CALL gets. */
export interface HandlerInput {
  context: CsmsContext;
  station: StationRecord;
  session: Session;
  action: string;
  payload: Payload;
}

/** Answers one kind of station CALL. */
export type MessageHandler = (input: HandlerInput) => CallReply;

/** BootNotification, both versions: the configured status, the CSMS time and an interval (B01.FR.02, 1.6 §4.2). */
export function answerBoot({ context, station, session, payload }: HandlerInput): CallReply {
  const { bootStatus, heartbeatIntervalS, bootRetryIntervalS } = context.settings;
  const currentTime = context.now();
  station.bootStatus = bootStatus;
  station.lastBootAt = currentTime;
  station.bootRequest = payload;
  clearSolicitations(station);
  // Accepted: the heartbeat interval (B01.FR.04). Otherwise: the wait before the next boot (B02.FR.08, B03.FR.06).
  const interval = bootStatus !== 'Accepted' ? bootRetryIntervalS : context.behaviours.has('boot-interval-zero') ? 0 : heartbeatIntervalS;
  if (bootStatus === 'Pending' && context.behaviours.has('close-when-pending')) {
    // The reply goes out as soon as this handler returns; close after it.
    setImmediate(() => void session.close(1000, 'closing while Pending (injected behaviour fault)'));
  }
  return { payload: { status: bootStatus, currentTime, interval } };
}

/** Heartbeat, both versions: the CSMS time, so the station can set its clock (G02, 1.6 §4.6). */
export function answerHeartbeat({ context, station }: HandlerInput): CallReply {
  const currentTime = context.now();
  station.lastHeartbeatAt = currentTime;
  return { payload: { currentTime } };
}

/** DataTransfer, both versions: this CSMS implements no vendor extension (P01, 1.6 §4.3). */
export function answerDataTransfer(): CallReply {
  return { payload: { status: 'UnknownVendorId' } };
}

/** A notification the CSMS only acknowledges: it is recorded and answered with an empty payload. */
export function acknowledge({ context, station, action, payload }: HandlerInput): CallReply {
  context.state.addNotification({ stationId: station.stationId, action, payload, at: context.now() });
  return { payload: {} };
}

/** Answers with a fixed payload, after recording the request like a notification. */
export function answerWith(reply: Payload): MessageHandler {
  return (input) => {
    acknowledge(input);
    return { payload: structuredClone(reply) };
  };
}
