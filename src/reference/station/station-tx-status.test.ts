import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../session/index.js';
import { startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('reference station, OCPP 2.0.1: GetTransactionStatus (E14)', () => {
  it('counts a TransactionEvent answered just before the request as delivered (E14.FR.05)', async () => {
    let status: Promise<CallOutcome> | undefined;
    rig = await startStationRig('2.0.1', {
      settings: { 'TxCtrlr.TxStartPoint': 'EVConnected', 'TxCtrlr.TxStopPoint': 'EVConnected' },
      prepare: (csms) => {
        csms.answers['TransactionEvent'] = (payload) => {
          // The request follows the answer at once: both frames can arrive in one network read.
          const transactionId = (payload['transactionInfo'] as { transactionId: string }).transactionId;
          process.nextTick(() => (status = csms.call('GetTransactionStatus', { transactionId })));
          return { payload: {} };
        };
      },
    });
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 2);
    await station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    await csms.waitForCall('TransactionEvent');
    await csms.waitUntil(() => status !== undefined);
    const outcome = await status!;
    expect(outcome.kind === 'result' && outcome.payload).toEqual({ ongoingIndicator: true, messagesInQueue: false });
  });
});
