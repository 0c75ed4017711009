import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

// The Central System of these tests puts TAG-1 and TAG-2 in group G, and TAG-3 in group H (1.6 §3.10).
const GROUPS: Record<string, string> = { 'TAG-1': 'G', 'TAG-2': 'G', 'TAG-3': 'H' };
const inGroup = (payload: Record<string, unknown>) => ({ payload: { idTagInfo: { status: 'Accepted', parentIdTag: GROUPS[String(payload['idTag'])] } } });

describe('reference station, OCPP 1.6: another idTag at a running transaction (§3.10)', () => {
  async function charging(faultTexts: string[] = []): Promise<StationRig> {
    const started = await startStationRig('1.6', {
      faultTexts,
      prepare: (csms) => {
        csms.answers['Authorize'] = inGroup;
        csms.answers['StartTransaction'] = (payload) => ({ payload: { transactionId: 31, ...inGroup(payload).payload } });
      },
    });
    await started.csms.waitForCall('StatusNotification', 3);
    await started.station.control.perform('plugIn', { connectorId: 1 });
    await started.station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    await started.csms.waitForCall('StartTransaction');
    return started;
  }

  it('a tag of another group stops nothing; one of the same group stops the transaction with its own idTag', async () => {
    rig = await charging();
    const { csms, station } = rig;
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-3' });
    await csms.waitForCall('Authorize', 2);
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-2' });
    const stop = payloadOf(await csms.waitForCall('StopTransaction'));
    expect(stop).toMatchObject({ transactionId: 31, idTag: 'TAG-2', reason: 'Local' });
    expect(csms.callsOf('StopTransaction')).toHaveLength(1);
  });

  it('behaviour:ignore-parent-id-tag leaves the transaction to the tag that started it', async () => {
    rig = await charging(['behaviour:ignore-parent-id-tag']);
    const { csms, station } = rig;
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-2' });
    await csms.waitForCall('Authorize', 2);
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    expect(payloadOf(await csms.waitForCall('StopTransaction'))).toMatchObject({ transactionId: 31, idTag: 'TAG-1' });
    expect(csms.callsOf('StopTransaction')).toHaveLength(1);
  });
});

describe('reference station, OCPP 1.6: clock-aligned meter values (§3.16.2)', () => {
  it('sends Sample.Clock readings per connector stamped on the interval boundaries of the day', async () => {
    rig = await startStationRig('1.6');
    const { csms } = rig;
    await csms.waitForCall('StatusNotification', 3);
    const answer = await csms.call('ChangeConfiguration', { key: 'ClockAlignedDataInterval', value: '1' });
    expect(answer.kind === 'result' && answer.payload['status']).toBe('Accepted');
    await csms.waitForCall('MeterValues', 4, 4000);
    const readings = csms.callsOf('MeterValues').map(payloadOf);
    for (const reading of readings) {
      const [value] = reading['meterValue'] as Array<{ timestamp: string; sampledValue: Array<Record<string, unknown>> }>;
      expect(Date.parse(value!.timestamp) % 1000).toBe(0);
      expect(value!.sampledValue[0]).toMatchObject({ context: 'Sample.Clock', measurand: 'Energy.Active.Import.Register' });
    }
    expect(new Set(readings.map((reading) => reading['connectorId']))).toEqual(new Set([1, 2]));
    expect(csms.schemaViolations()).toEqual([]);
  });

  it('stops when the interval is set back to 0', async () => {
    rig = await startStationRig('1.6', { faultTexts: ['behaviour:clock-aligned-not-aligned'] });
    const { csms } = rig;
    await csms.waitForCall('StatusNotification', 3);
    await csms.call('ChangeConfiguration', { key: 'ClockAlignedDataInterval', value: '1' });
    const [first] = payloadOf(await csms.waitForCall('MeterValues', 1, 3000))['meterValue'] as Array<{ timestamp: string }>;
    // behaviour:clock-aligned-not-aligned: stamped half an interval off the boundary.
    expect(Date.parse(first!.timestamp) % 1000).toBe(500);
    await csms.call('ChangeConfiguration', { key: 'ClockAlignedDataInterval', value: '0' });
    const sent = csms.callsOf('MeterValues').length;
    await csms.call('GetConfiguration', { key: ['ClockAlignedDataInterval'] });
    await csms.call('Reset', { type: 'Soft' });
    await csms.waitForCall('BootNotification', 2);
    await csms.waitForCall('StatusNotification', 6);
    expect(csms.callsOf('MeterValues').length).toBe(sent);
  });
});
