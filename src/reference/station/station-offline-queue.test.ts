import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig, type TestCsms } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const events = (csms: TestCsms, from = 0) => csms.callsOf('TransactionEvent').slice(from).map(payloadOf);

async function startCharging(r: StationRig): Promise<void> {
  await r.station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' });
  await r.station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
  await r.csms.waitForCall('TransactionEvent');
}

describe('reference station, OCPP 2.0.1: transaction messages while offline (E04, E11)', () => {
  it('queues the periodic events while offline and delivers them in order with offline true, never an answered one again (E04.FR.01-03)', async () => {
    rig = await startStationRig('2.0.1', { settings: { 'SampledDataCtrlr.TxUpdatedInterval': '1' } });
    const { csms, station } = rig;
    await startCharging(rig);
    await sleep(200);
    await station.control.perform('goOffline', {});
    const sentBefore = csms.callsOf('TransactionEvent').length;
    await sleep(3500);
    await station.control.perform('goOnline', {});
    await csms.waitForCall('TransactionEvent', sentBefore + 3);
    const after = events(csms, sentBefore);
    expect(after.slice(0, 3).map((event) => [event['eventType'], event['triggerReason'], event['offline']]))
      .toEqual(Array(3).fill(['Updated', 'MeterValuePeriodic', true]));
    const seqNos = events(csms).map((event) => event['seqNo'] as number);
    expect(seqNos).toEqual([...seqNos].sort((a, b) => a - b));
    expect(new Set(seqNos).size).toBe(seqNos.length);
  });

  it('sends a message whose answer never arrived again after the reconnect, now with offline true (E11.FR.07)', async () => {
    rig = await startStationRig('2.0.1', { prepare: (csms) => (csms.answers['TransactionEvent'] = () => ({ noReply: true })) });
    const { csms, station } = rig;
    await startCharging(rig);
    expect(events(csms)[0]).toMatchObject({ eventType: 'Started', seqNo: 0 });
    expect(events(csms)[0]!['offline']).toBeUndefined();
    csms.answers['TransactionEvent'] = () => ({ payload: {} });
    await station.control.perform('goOffline', {});
    await sleep(200);
    await station.control.perform('goOnline', {});
    await csms.waitForCall('TransactionEvent', 2);
    expect(events(csms)[1]).toMatchObject({ eventType: 'Started', seqNo: 0, offline: true });
    expect(await station.whenTransactionMessagesDelivered(2000)).toBe(true);
  });
});

describe('reference station, OCPP 2.0.1: message timeout (E13)', () => {
  it('counts a CALL unanswered for MessageTimeout as failed and retries it after MessageAttemptInterval (E13.FR.02/03)', async () => {
    rig = await startStationRig('2.0.1', {
      settings: { 'OCPPCommCtrlr.MessageTimeout.Default': '1', 'OCPPCommCtrlr.MessageAttemptInterval.TransactionEvent': '1' },
      prepare: (csms) => (csms.answers['TransactionEvent'] = () => ({ noReply: true })),
    });
    const { csms } = rig;
    await startCharging(rig);
    const second = await csms.waitForCall('TransactionEvent', 2, 4000);
    const gapMs = Date.parse(second.timestamp) - Date.parse(csms.callsOf('TransactionEvent')[0]!.timestamp);
    expect(gapMs).toBeGreaterThanOrEqual(1900);
    expect(gapMs).toBeLessThan(3000);
    expect(payloadOf(second)).toMatchObject({ eventType: 'Started', seqNo: 0 });
    csms.answers['TransactionEvent'] = () => ({ payload: {} });
  });
});
