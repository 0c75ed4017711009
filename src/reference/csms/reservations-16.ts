import type { CallReply } from '../../session/index.js';
import type { HandlerInput, MessageHandler } from './message-handler.js';

/**
 * 1.6 §4.8, §5.13: a StartTransaction.req with a reservationId ends that reservation. The reference
 * CSMS answers it like any other start; the reservation is over, so the station's last reservation
 * is no longer one to cancel. behaviour:reservation-start-rejected refuses such a start instead.
 */
export function endingReservations(answerStart: MessageHandler): MessageHandler {
  return (input: HandlerInput): CallReply => {
    const reservationId = input.payload['reservationId'];
    if (typeof reservationId !== 'number') return answerStart(input);
    if (input.context.behaviours.has('reservation-start-rejected')) {
      return { payload: { idTagInfo: { status: 'Invalid' }, transactionId: input.context.nextNumber() } };
    }
    if (input.station.lastReservationId === reservationId) delete input.station.lastReservationId;
    return answerStart(input);
  };
}
