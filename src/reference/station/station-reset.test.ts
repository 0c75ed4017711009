import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function charging(current: StationRig): Promise<void> {
  const { csms, station } = current;
  await csms.waitForCall('StatusNotification', 2);
  await station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
  await station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' });
  await csms.waitForCall('TransactionEvent');
}

describe('reference station, OCPP 2.0.1: reset during a transaction (B12)', () => {
  it('ends the transaction on Reset Immediate with ImmediateReset, EVConnected and no idToken, then boots with RemoteReset', async () => {
    rig = await startStationRig('2.0.1');
    await charging(rig);
    const answer = await rig.csms.call('Reset', { type: 'Immediate' });
    expect(answer.kind === 'result' && answer.payload['status']).toBe('Accepted');
    const ended = payloadOf(await rig.csms.waitForCall('TransactionEvent', 2));
    expect(ended).toMatchObject({ eventType: 'Ended', triggerReason: 'ResetCommand', transactionInfo: { chargingState: 'EVConnected', stoppedReason: 'ImmediateReset' } });
    expect(ended['idToken']).toBeUndefined();
    expect(payloadOf(await rig.csms.waitForCall('BootNotification', 2))['reason']).toBe('RemoteReset');
  });

  it('schedules Reset OnIdle until the transaction ends, then boots with ScheduledReset', async () => {
    rig = await startStationRig('2.0.1');
    await charging(rig);
    const answer = await rig.csms.call('Reset', { type: 'OnIdle' });
    expect(answer.kind === 'result' && answer.payload['status']).toBe('Scheduled');
    expect(rig.csms.callsOf('BootNotification')).toHaveLength(1);
    await rig.station.control.perform('presentIdToken', { idToken: 'TOKEN-1', type: 'ISO14443' });
    expect(payloadOf(await rig.csms.waitForCall('BootNotification', 2))['reason']).toBe('ScheduledReset');
    await rig.csms.waitUntil(() => rig!.csms.callsOf('SecurityEventNotification').some((record) => payloadOf(record)['type'] === 'ResetOrReboot'));
  });
});
