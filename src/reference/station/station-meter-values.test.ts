import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const contexts = (payload: Record<string, any>): string[] =>
  (payload['meterValue'] as Array<{ sampledValue: Array<{ context: string }> }>).flatMap((value) => value.sampledValue.map((sample) => sample.context));

describe('reference station, OCPP 2.0.1: meter values (J01, J02)', () => {
  it('sends clock-aligned MeterValues for the main meter and every idle EVSE on the interval boundaries (J01.FR.14)', async () => {
    rig = await startStationRig('2.0.1', { settings: { 'AlignedDataCtrlr.Interval': '1' } });
    const { csms } = rig;
    await csms.waitForCall('MeterValues', 6);
    const calls = csms.callsOf('MeterValues').slice(0, 6).map(payloadOf);
    expect(calls.map((call) => call['evseId'])).toEqual([0, 1, 2, 0, 1, 2]);
    for (const call of calls) {
      expect(call['meterValue'][0].sampledValue[0]).toMatchObject({ context: 'Sample.Clock', measurand: 'Energy.Active.Import.Register' });
      expect(Date.parse(call['meterValue'][0].timestamp) % 1000).toBe(0);
    }
    expect(Date.parse(calls[3]!['meterValue'][0].timestamp) - Date.parse(calls[0]!['meterValue'][0].timestamp)).toBe(1000);
  });

  it('reports the clock-aligned reading of an EVSE with a transaction in a TransactionEvent MeterValueClock (J01.FR.22)', async () => {
    rig = await startStationRig('2.0.1', { settings: { 'AlignedDataCtrlr.Interval': '1' } });
    const { csms, station } = rig;
    await station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    await station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' });
    await csms.waitUntil(() => csms.callsOf('TransactionEvent').some((record) => payloadOf(record)['triggerReason'] === 'MeterValueClock'));
    const event = csms.callsOf('TransactionEvent').map(payloadOf).find((payload) => payload['triggerReason'] === 'MeterValueClock')!;
    expect(event).toMatchObject({ eventType: 'Updated', meterValue: [{ sampledValue: [{ context: 'Sample.Clock' }] }] });
  });

  it('puts the readings of every TxEndedInterval before the Transaction.End reading into the Ended event (E06.FR.11)', async () => {
    rig = await startStationRig('2.0.1', { settings: { 'SampledDataCtrlr.TxEndedInterval': '1', 'AlignedDataCtrlr.TxEndedInterval': '1' } });
    const { csms, station } = rig;
    await station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    await station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' });
    await csms.waitForCall('TransactionEvent');
    await new Promise((resolve) => setTimeout(resolve, 2200));
    await station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' });
    await csms.waitUntil(() => csms.callsOf('TransactionEvent').some((record) => payloadOf(record)['eventType'] === 'Ended'));
    const ended = csms.callsOf('TransactionEvent').map(payloadOf).find((payload) => payload['eventType'] === 'Ended')!;
    const seen = contexts(ended);
    expect(seen.filter((context) => context === 'Sample.Periodic').length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((context) => context === 'Sample.Clock').length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBe('Transaction.End');
  });
});
