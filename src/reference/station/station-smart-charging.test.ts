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

  it('declares its SmartChargingCtrlr limits and holds profiles to them; built with one rate unit it rejects W (K01.FR.26, K08.FR.07)', async () => {
    rig = await startStationRig('2.0.1', { traits: ['one-rate-unit'] });
    const read = async (name: string) => answerOf(await rig!.csms.call('GetVariables', { getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name } }] }))['getVariableResult'][0].attributeValue;
    expect(await read('RateUnit')).toBe('A');
    expect(await read('ProfileStackLevel')).toBe('8');
    const inWatts = profile(1, 'TxDefaultProfile', 0, [[0, 4140]]);
    (inWatts['chargingSchedule'] as Array<Record<string, unknown>>)[0]!['chargingRateUnit'] = 'W';
    expect(await setProfile(1, inWatts)).toBe('Rejected');
    expect(await setProfile(1, profile(2, 'TxDefaultProfile', 9, [[0, 8]]))).toBe('Rejected');
    expect(await setProfile(1, profile(3, 'TxDefaultProfile', 0, [[0, 8]]))).toBe('Accepted');
    expect(answerOf(await rig.csms.call('GetVariables', { getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'Entries', instance: 'ChargingProfiles' } }] }))['getVariableResult'][0].attributeValue).toBe('1');
    expect(answerOf(await rig.csms.call('GetCompositeSchedule', { evseId: 0, duration: 60, chargingRateUnit: 'W' }))['status']).toBe('Rejected');
    expect(answerOf(await rig.csms.call('GetCompositeSchedule', { evseId: 0, duration: 60, chargingRateUnit: 'A' }))['status']).toBe('Accepted');
  });

  it('reports by chargingLimitSource (its profiles are the CSMS\'s: CSO), and under behaviour:sc-report-tbc-always never ends a report', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:sc-report-tbc-always'] });
    expect(await setProfile(1, profile(1, 'TxDefaultProfile', 0, [[0, 8]]))).toBe('Accepted');
    expect(answerOf(await rig.csms.call('GetChargingProfiles', { requestId: 1, chargingProfile: { chargingLimitSource: ['EMS'] } }))['status']).toBe('NoProfiles');
    expect(answerOf(await rig.csms.call('GetChargingProfiles', { requestId: 2, chargingProfile: { chargingLimitSource: ['CSO'] } }))['status']).toBe('Accepted');
    const report = payloadOf(await rig.csms.waitForCall('ReportChargingProfiles'));
    expect(report).toMatchObject({ requestId: 2, evseId: 1, tbc: true });
  });
});

function profile16(id: number, purpose: string, stackLevel: number, limit: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    chargingProfileId: id, stackLevel, chargingProfilePurpose: purpose, chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    ...extra,
  };
}

async function set16(connectorId: number, csChargingProfiles: Record<string, unknown>): Promise<string> {
  return answerOf(await rig!.csms.call('SetChargingProfile', { connectorId, csChargingProfiles }))['status'];
}

async function limit16(connectorId: number): Promise<number> {
  const answer = answerOf(await rig!.csms.call('GetCompositeSchedule', { connectorId, duration: 60, chargingRateUnit: 'A' }));
  expect(answer).toMatchObject({ status: 'Accepted', connectorId });
  return answer['chargingSchedule'].chargingSchedulePeriod[0].limit;
}

describe('reference station, OCPP 1.6: Smart Charging profile (§3.13, §5.5, §5.7, §5.16)', () => {
  it('declares SmartCharging with its §9.4 keys; the same stack level and purpose replace; ClearChargingProfile by criteria', async () => {
    rig = await startStationRig('1.6');
    const { csms } = rig;
    const keys = answerOf(await csms.call('GetConfiguration', { key: ['SupportedFeatureProfiles', 'ChargeProfileMaxStackLevel', 'ChargingScheduleAllowedChargingRateUnit'] }))['configurationKey'];
    expect(keys.map((key: any) => [key.key, key.value])).toEqual([['SupportedFeatureProfiles', expect.stringContaining('SmartCharging')], ['ChargeProfileMaxStackLevel', '8'], ['ChargingScheduleAllowedChargingRateUnit', 'Current,Power']]);
    expect(await set16(0, profile16(1, 'ChargePointMaxProfile', 0, 20))).toBe('Accepted');
    expect(await set16(1, profile16(2, 'TxDefaultProfile', 1, 10))).toBe('Accepted');
    // §5.16.4: the same stack level and purpose on the connector replace profile 2.
    expect(await set16(1, profile16(3, 'TxDefaultProfile', 1, 12))).toBe('Accepted');
    expect(await limit16(1)).toBe(12);
    expect(await set16(1, profile16(4, 'ChargePointMaxProfile', 0, 8))).toBe('Rejected');
    expect(await set16(1, profile16(5, 'TxDefaultProfile', 9, 8))).toBe('Rejected');
    expect(await set16(1, profile16(6, 'TxProfile', 0, 8))).toBe('Rejected');
    expect(answerOf(await csms.call('ClearChargingProfile', { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 }))['status']).toBe('Accepted');
    expect(answerOf(await csms.call('ClearChargingProfile', { id: 3 }))['status']).toBe('Unknown');
    // The ChargePointMaxProfile alone is left.
    expect(await limit16(1)).toBe(20);
    expect(answerOf(await csms.call('GetCompositeSchedule', { connectorId: 5, duration: 60 }))['status']).toBe('Rejected');
    expect(csms.schemaViolations()).toEqual([]);
  });

  it('applies the TxProfile of a RemoteStartTransaction to the new transaction and deletes it when the transaction stops (§5.16.2, §3.13.1)', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    const start = answerOf(await csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-1', chargingProfile: profile16(7, 'TxProfile', 0, 6) }));
    expect(start['status']).toBe('Accepted');
    await station.control.perform('plugIn', { connectorId: 1 });
    await csms.waitForCall('StartTransaction');
    expect(await limit16(1)).toBe(6);
    await station.control.perform('presentIdToken', { idToken: 'TAG-1' });
    await csms.waitForCall('StopTransaction');
    expect(answerOf(await csms.call('ClearChargingProfile', { id: 7 }))['status']).toBe('Unknown');
  });
});

describe('reference station, OCPP 2.0.1: the TxProfile of RequestStartTransaction (F01.FR.08-11, K05)', () => {
  const start = (chargingProfile: Record<string, unknown>) => rig!.csms.call('RequestStartTransaction', { evseId: 1, remoteStartId: 1, idToken: { idToken: 'TOKEN-1', type: 'ISO14443' }, chargingProfile });

  it('rejects a profile that is not a TxProfile or names a transaction (K05.FR.05)', async () => {
    rig = await startStationRig('2.0.1');
    expect(answerOf(await start(profile(1, 'TxDefaultProfile', 0, [[0, 6]])))).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } });
    expect(answerOf(await start(profile(1, 'TxProfile', 0, [[0, 6]], { transactionId: 'T' })))['status']).toBe('Rejected');
  });

  it('installs it for the transaction the request starts, naming it (F01.FR.10)', async () => {
    rig = await startStationRig('2.0.1');
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 2);
    expect(answerOf(await start(profile(9, 'TxProfile', 0, [[0, 6]])))['status']).toBe('Accepted');
    await station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    const transactionId = payloadOf(await csms.waitForCall('TransactionEvent'))['transactionInfo'].transactionId;
    expect((await composite(1))['schedule'].chargingSchedulePeriod[0].limit).toBe(6);
    await csms.call('GetChargingProfiles', { requestId: 1, chargingProfile: { chargingProfileId: [9] } });
    expect(payloadOf(await csms.waitForCall('ReportChargingProfiles'))['chargingProfile']).toEqual([expect.objectContaining({ id: 9, transactionId })]);
  });
});

describe('reference station: its meter follows the composite limit (1.6 §3.13.1, K08.FR.02)', () => {
  /** The Current.Import and Power.Active.Import of the MeterValues the station sends for a TriggerMessage. */
  async function triggeredDraw(version: '1.6' | '2.0.1'): Promise<{ current: number; power: number }> {
    const { csms } = rig!;
    const trigger = version === '1.6' ? { requestedMessage: 'MeterValues', connectorId: 1 } : { requestedMessage: 'MeterValues', evse: { id: 1 } };
    expect(answerOf(await csms.call('TriggerMessage', trigger))['status']).toBe('Accepted');
    const sampled = payloadOf(await csms.waitForCall('MeterValues'))['meterValue'][0].sampledValue as Array<Record<string, unknown>>;
    const valueOf = (measurand: string) => Number(sampled.find((sample) => sample['measurand'] === measurand)?.['value']);
    return { current: valueOf('Current.Import'), power: valueOf('Power.Active.Import') };
  }

  for (const [faults, expected] of [[[], { current: 6, power: 6 * 230 * 3 }], [['behaviour:sc-ignores-limit'], { current: 16, power: 11_000 }]] as const) {
    it(`1.6: a TxDefaultProfile of 6 A limits the transaction's Current.Import and Power.Active.Import${faults.length ? ' (not under behaviour:sc-ignores-limit)' : ''}`, async () => {
      rig = await startStationRig('1.6', { faultTexts: [...faults] });
      const { csms, station } = rig;
      expect(answerOf(await csms.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Current.Import,Power.Active.Import' }))['status']).toBe('Accepted');
      expect(await set16(1, profile16(8, 'TxDefaultProfile', 0, 6))).toBe('Accepted');
      await station.control.perform('plugIn', { connectorId: 1 });
      await station.control.perform('presentIdToken', { idToken: 'TAG-1' });
      await csms.waitForCall('StartTransaction');
      expect(await triggeredDraw('1.6')).toEqual(expected);
    });

    it(`2.0.1: a TxDefaultProfile of 6 A limits the transaction's Current.Import and Power.Active.Import${faults.length ? ' (not under behaviour:sc-ignores-limit)' : ''}`, async () => {
      rig = await startStationRig('2.0.1', { faultTexts: [...faults] });
      const { csms } = rig;
      const measurands = { component: { name: 'AlignedDataCtrlr' }, variable: { name: 'Measurands' }, attributeValue: 'Current.Import,Power.Active.Import' };
      expect(answerOf(await csms.call('SetVariables', { setVariableData: [measurands] }))['setVariableResult'][0].attributeStatus).toBe('Accepted');
      expect(await setProfile(0, profile(3, 'TxDefaultProfile', 0, [[0, 6]]))).toBe('Accepted');
      await startTransaction(1);
      expect(await triggeredDraw('2.0.1')).toEqual(expected);
    });
  }

  it('1.6: without a profile the EVSE offers its own maximum, 16 A and 11 kW', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    await csms.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Current.Import,Power.Active.Import' });
    await station.control.perform('plugIn', { connectorId: 1 });
    await station.control.perform('presentIdToken', { idToken: 'TAG-1' });
    await csms.waitForCall('StartTransaction');
    expect(await triggeredDraw('1.6')).toEqual({ current: 16, power: 11_000 });
  });
});
