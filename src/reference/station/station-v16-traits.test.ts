import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';
import type { StationTrait } from './traits.js';
import { traitsFor, unbuiltFeatures } from './traits.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A station built with `traits`, with a transaction running on connector 1. */
async function charging(traits: StationTrait[], faultTexts: string[] = []): Promise<StationRig> {
  const started = await startStationRig('1.6', { traits, faultTexts });
  await started.csms.waitForCall('StatusNotification', 3);
  await started.station.control.perform('plugIn', { connectorId: 1 });
  await started.station.control.perform('presentIdToken', { idToken: 'TAG-1' });
  await started.csms.waitForCall('StartTransaction');
  expect(await started.station.whenTransactionMessagesDelivered(2000)).toBe(true);
  return started;
}

const unlock = async (rig: StationRig) => {
  const answer = await rig.csms.call('UnlockConnector', { connectorId: 1 });
  return answer.kind === 'result' ? answer.payload['status'] : answer.kind;
};

/** The order in which the station sent its CALLs of these actions. */
const sequence = (rig: StationRig, actions: string[]) => rig.csms.records.filter((record) => record.messageType === 'CALL' && actions.includes(record.action ?? '')).map((record) => record.action);

describe('traits of the reference station: which feature ids ask for them', () => {
  it('a case\'s features name the traits; a build lacks the ids of the traits it was not given, and those a trait withdraws', () => {
    expect(traitsFor(['Reservation', 'feature:FixedCable'])).toEqual(['fixed-cable']);
    expect(traitsFor(['feature:BackupPower', 'feature:FixedCable'])).toEqual(['fixed-cable', 'backup-power']);
    expect(traitsFor(['feature:DetachableCable'])).toEqual([]);
    const defaults = ['feature:DetachableCable'];
    expect(unbuiltFeatures('1.6', ['feature:DetachableCable', 'Reservation'], [], defaults)).toEqual([]);
    expect(unbuiltFeatures('1.6', ['feature:FixedCable'], [], defaults)).toEqual(['feature:FixedCable']);
    expect(unbuiltFeatures('1.6', ['feature:FixedCable'], ['fixed-cable'], defaults)).toEqual([]);
    expect(unbuiltFeatures('1.6', ['feature:DetachableCable'], ['fixed-cable'], defaults)).toEqual(['feature:DetachableCable']);
  });
});

describe('reference station, OCPP 1.6, built with a fixed cable', () => {
  it('answers UnlockConnector NotSupported and leaves the transaction running (§7.45); the default build unlocks and stops it (§5.18)', async () => {
    rig = await charging(['fixed-cable']);
    expect(await unlock(rig)).toBe('NotSupported');
    const transactionId = payloadOf(rig.csms.records.find((record) => record.messageType === 'CALLRESULT' && 'transactionId' in payloadOf(record)))['transactionId'];
    const remote = await rig.csms.call('RemoteStopTransaction', { transactionId });
    expect(remote.kind === 'result' && remote.payload['status']).toBe('Accepted');
    expect(payloadOf(await rig.csms.waitForCall('StopTransaction'))).toMatchObject({ reason: 'Remote' });
    await rig.close();
    rig = await charging([]);
    expect(await unlock(rig)).toBe('Unlocked');
    expect(payloadOf(await rig.csms.waitForCall('StopTransaction'))).toMatchObject({ reason: 'UnlockCommand' });
  });

  it('under behaviour:fixed-cable-unlock-stops-transaction, stops the transaction it answers NotSupported for', async () => {
    rig = await charging(['fixed-cable'], ['behaviour:fixed-cable-unlock-stops-transaction']);
    expect(await unlock(rig)).toBe('NotSupported');
    expect(payloadOf(await rig.csms.waitForCall('StopTransaction'))).toMatchObject({ reason: 'UnlockCommand' });
  });
});

describe('reference station, OCPP 1.6, built with back-up power', () => {
  it('on a power cut stops the transaction (PowerLoss) and reports Finishing before it goes down; without back-up power only after the next boot', async () => {
    rig = await charging(['backup-power']);
    await rig.station.control.perform('reboot', {});
    await rig.csms.waitForCall('BootNotification', 2);
    expect(payloadOf(rig.csms.callsOf('StopTransaction')[0])).toMatchObject({ reason: 'PowerLoss' });
    expect(sequence(rig, ['StopTransaction', 'BootNotification']).slice(1)).toEqual(['StopTransaction', 'BootNotification']);
    // Finishing is reported before the boot too.
    const calls = rig.csms.records.filter((record) => record.messageType === 'CALL');
    const finishing = calls.findIndex((record) => record.action === 'StatusNotification' && payloadOf(record)['status'] === 'Finishing');
    const reboot = calls.indexOf(rig.csms.callsOf('BootNotification')[1]!);
    expect(finishing).toBeGreaterThan(-1);
    expect(finishing).toBeLessThan(reboot);
    await rig.close();
    rig = await charging([]);
    await rig.station.control.perform('reboot', {});
    await rig.csms.waitForCall('StopTransaction');
    expect(sequence(rig, ['StopTransaction', 'BootNotification']).slice(1)).toEqual(['BootNotification', 'StopTransaction']);
  });

  it('under behaviour:backup-power-unused goes down at once, like a station without it', async () => {
    rig = await charging(['backup-power'], ['behaviour:backup-power-unused']);
    await rig.station.control.perform('reboot', {});
    await rig.csms.waitForCall('StopTransaction');
    expect(sequence(rig, ['StopTransaction', 'BootNotification']).slice(1)).toEqual(['BootNotification', 'StopTransaction']);
  });
});
