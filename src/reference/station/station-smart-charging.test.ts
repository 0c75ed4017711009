import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../session/index.js';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function answerOf(outcome: CallOutcome): Record<string, any> {
  if (outcome.kind !== 'result') throw new Error(`expected a CALLRESULT, got ${JSON.stringify(outcome)}`);
  return outcome.payload as Record<string, any>;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

function profile(id: number, purpose: string, stackLevel: number, limits: Array<[number, number]>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, stackLevel, chargingProfilePurpose: purpose, chargingProfileKind: 'Absolute',
    chargingSchedule: [{ id, startSchedule: new Date(Date.now() - 1000).toISOString(), chargingRateUnit: 'A', chargingSchedulePeriod: limits.map(([startPeriod, limit]) => ({ startPeriod, limit })) }],
    ...extra,
  };
}

async function setProfile(evseId: number, chargingProfile: Record<string, unknown>): Promise<string> {
  return answerOf(await rig!.csms.call('SetChargingProfile', { evseId, chargingProfile }))['status'];
}

async function composite(evseId: number, duration = 300): Promise<Record<string, any>> {
  return answerOf(await rig!.csms.call('GetCompositeSchedule', { evseId, duration, chargingRateUnit: 'A' }));
}

async function startTransaction(evseId: number): Promise<string> {
  const { csms, station } = rig!;
  await station.control.perform('plugIn', { evseId, connectorId: evseId });
  await station.control.perform('presentIdToken', { evseId, idToken: 'TOKEN-1', type: 'ISO14443' });
  return payloadOf(await csms.waitForCall('TransactionEvent'))['transactionInfo'].transactionId;
}

describe('reference station, OCPP 2.0.1: smart charging (K01, K08-K10)', () => {
  it('stacks TxDefaultProfiles and reports the oracle composite; ClearChargingProfile removes by id, then Unknown (K01.FR.17, K08, K10.FR.01/03)', async () => {
    rig = await startStationRig('2.0.1');
    await rig.csms.waitForCall('StatusNotification', 2);
    expect(await setProfile(0, profile(1, 'TxDefaultProfile', 0, [[0, 16]]))).toBe('Accepted');
    expect(await setProfile(1, profile(2, 'TxDefaultProfile', 1, [[0, 10], [100, 12]], { validTo: inAnHour() }))).toBe('Accepted');
    const answer = await composite(1);
    expect(answer['status']).toBe('Accepted');
    const periods = answer['schedule'].chargingSchedulePeriod;
    expect(periods.map((period: any) => period.limit)).toEqual([10, 12]);
    // The schedule began a second before the request: its second period starts some 99 s into the composite.
    expect(periods[1].startPeriod).toBeGreaterThanOrEqual(97);
    expect(periods[1].startPeriod).toBeLessThanOrEqual(99);
    expect(answerOf(await rig.csms.call('ClearChargingProfile', { chargingProfileId: 2 }))['status']).toBe('Accepted');
    expect((await composite(1))['schedule'].chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 16, numberPhases: 3 }]);
    expect(answerOf(await rig.csms.call('ClearChargingProfile', { chargingProfileId: 2 }))['status']).toBe('Unknown');
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('under behaviour:sc-wrong-stacking the lower stack level leads', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:sc-wrong-stacking'] });
    await setProfile(1, profile(1, 'TxDefaultProfile', 0, [[0, 16]]));
    await setProfile(1, profile(2, 'TxDefaultProfile', 1, [[0, 10]]));
    expect((await composite(1))['schedule'].chargingSchedulePeriod[0].limit).toBe(16);
  });

  it('rejects what K01 forbids: TxProfile without transaction, unknown EVSE, ChargingStationMaxProfile off EVSE 0, competing TxDefault stack levels', async () => {
    rig = await startStationRig('2.0.1');
    expect(await setProfile(1, profile(1, 'TxProfile', 0, [[0, 8]]))).toBe('Rejected');
    expect(await setProfile(9, profile(2, 'TxDefaultProfile', 0, [[0, 8]]))).toBe('Rejected');
    expect(await setProfile(1, profile(3, 'ChargingStationMaxProfile', 0, [[0, 8]]))).toBe('Rejected');
    expect(await setProfile(0, profile(4, 'TxDefaultProfile', 0, [[0, 8]]))).toBe('Accepted');
    expect(await setProfile(1, profile(5, 'TxDefaultProfile', 0, [[0, 8]]))).toBe('Rejected');
    expect(answerOf(await rig.csms.call('GetCompositeSchedule', { evseId: 7, duration: 60 }))['status']).toBe('Rejected');
  });

  it('under behaviour:sc-accept-tx-profile-without-transaction accepts the TxProfile', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:sc-accept-tx-profile-without-transaction'] });
    expect(await setProfile(1, profile(1, 'TxProfile', 0, [[0, 8]]))).toBe('Accepted');
  });

  it('applies a TxProfile to its transaction and deletes it when the transaction ends (K01.FR.04, K02.FR.04/05); reports profiles (K09)', async () => {
    rig = await startStationRig('2.0.1');
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 2);
    await setProfile(0, profile(1, 'TxDefaultProfile', 0, [[0, 16]]));
    const transactionId = await startTransaction(1);
    expect(await setProfile(1, profile(2, 'TxProfile', 0, [[0, 6]], { transactionId: 'another' }))).toBe('Rejected');
    expect(await setProfile(1, profile(2, 'TxProfile', 0, [[0, 6]], { transactionId }))).toBe('Accepted');
    expect((await composite(1))['schedule'].chargingSchedulePeriod[0].limit).toBe(6);
    expect(answerOf(await csms.call('GetChargingProfiles', { requestId: 5, chargingProfile: { chargingProfilePurpose: 'TxProfile' } }))['status']).toBe('Accepted');
    const report = payloadOf(await csms.waitForCall('ReportChargingProfiles'));
    expect(report).toMatchObject({ requestId: 5, evseId: 1, chargingLimitSource: 'CSO', chargingProfile: [{ id: 2, transactionId }] });
    expect(report['tbc']).toBeUndefined();
    await station.control.perform('presentIdToken', { idToken: 'TOKEN-1', type: 'ISO14443' });
    await csms.waitForCall('TransactionEvent', 2);
    expect(answerOf(await csms.call('GetChargingProfiles', { requestId: 6, chargingProfile: { chargingProfilePurpose: 'TxProfile' } }))['status']).toBe('NoProfiles');
    expect((await composite(1))['schedule'].chargingSchedulePeriod[0].limit).toBe(16);
    expect(csms.schemaViolations()).toEqual([]);
  });

  it('under behaviour:sc-tx-profile-kept the TxProfile outlives its transaction', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:sc-tx-profile-kept'] });
    await rig.csms.waitForCall('StatusNotification', 2);
    const transactionId = await startTransaction(1);
    await setProfile(1, profile(2, 'TxProfile', 0, [[0, 6]], { transactionId }));
    await rig.station.control.perform('presentIdToken', { idToken: 'TOKEN-1', type: 'ISO14443' });
    await rig.csms.waitForCall('TransactionEvent', 2);
    expect(answerOf(await rig.csms.call('ClearChargingProfile', { chargingProfileId: 2 }))['status']).toBe('Accepted');
  });

  it('under behaviour:sc-ignore-valid-to applies an expired profile', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:sc-ignore-valid-to'] });
    await setProfile(1, profile(1, 'TxDefaultProfile', 0, [[0, 16]]));
    await setProfile(1, profile(2, 'TxDefaultProfile', 1, [[0, 10]], { validTo: new Date(Date.now() - 500).toISOString() }));
    expect((await composite(1))['schedule'].chargingSchedulePeriod[0].limit).toBe(10);
  });
});
