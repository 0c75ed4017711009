import { afterEach, describe, expect, it } from 'vitest';
import type { Payload } from '../../protocol/index.js';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

// Lab mode (issue 11): one long-lived station goes through what several cases leave behind, and
// back to idle through OCPP from its CSMS and device actions alone, as the harness's clean-up does.

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const WAIT = { wait: true, timeoutMs: 5000 };

async function act(name: string, params: Record<string, unknown> = {}): Promise<void> {
  expect(await rig!.station.control.perform(name, params, WAIT), name).toEqual({ status: 'done' });
}

async function answer(action: string, payload: Payload): Promise<Record<string, any>> {
  const outcome = await rig!.csms.call(action, payload);
  if (outcome.kind !== 'result') throw new Error(`${action}: ${JSON.stringify(outcome)}`);
  return outcome.payload as Record<string, any>;
}

function status(): Record<string, any> {
  return rig!.station.control.status();
}

function bootAnswer(status: 'Accepted' | 'Pending' | 'Rejected'): void {
  rig!.csms.answers['BootNotification'] = () => ({ payload: { currentTime: new Date().toISOString(), interval: 300, status } });
}

/** Idle: connected, accepted, every connector Available, no transaction, nothing queued. */
function expectIdle(): void {
  const now = status();
  expect(now).toMatchObject({ connected: true, registration: 'Accepted', transactions: [], queuedTransactionMessages: 0 });
  expect(now['connectors'].map((connector: Record<string, unknown>) => connector['status'])).toEqual(['Available', 'Available']);
}

/** A Pending boot (TC_B_02-like) ended by a triggered boot; a Rejected one (TC_B_30-like) by a reboot. */
async function leavePendingAndRejected(): Promise<void> {
  bootAnswer('Pending');
  await act('reboot');
  expect(status()).toMatchObject({ registration: 'Pending' });
  bootAnswer('Accepted');
  expect(await answer('TriggerMessage', { requestedMessage: 'BootNotification' })).toEqual({ status: 'Accepted' });
  await rig!.csms.waitUntil(() => status()['registration'] === 'Accepted', 5000, 'the triggered boot accepted');
  expectIdle();

  bootAnswer('Rejected');
  await act('reboot');
  expect(status()).toMatchObject({ registration: 'Rejected' });
  bootAnswer('Accepted');
  await act('reboot');
  expectIdle();
}

describe('reference station in lab mode, OCPP 2.0.1', () => {
  it('returns to idle after a running transaction, changed settings and a Pending or Rejected boot', async () => {
    rig = await startStationRig('2.0.1');
    await rig.csms.waitForCall('StatusNotification', 2);
    expectIdle();

    // A transaction left running with the cable plugged in (TC_003-like).
    await act('plugIn', { evseId: 1, connectorId: 1 });
    await act('presentIdToken', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' });
    const [running] = status()['transactions'];
    expect(running).toMatchObject({ evseId: 1, idToken: 'TOKEN-1' });
    expect(await answer('RequestStopTransaction', { transactionId: running.transactionId })).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => rig!.csms.callsOf('TransactionEvent').some((record) => payloadOf(record)['eventType'] === 'Ended'));
    await act('unplug', { evseId: 1, connectorId: 1 });
    await act('unplug', { evseId: 1, connectorId: 1 });
    expectIdle();

    // A variable changed and an EVSE made Inoperative, set back to what was read before.
    const variable = { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } };
    const before = (await answer('GetVariables', { getVariableData: [variable] }))['getVariableResult'][0].attributeValue;
    const set = async (value: string) => (await answer('SetVariables', { setVariableData: [{ ...variable, attributeValue: value }] }))['setVariableResult'][0].attributeStatus;
    expect(await set('17')).toBe('Accepted');
    expect(await answer('ChangeAvailability', { evse: { id: 2 }, operationalStatus: 'Inoperative' })).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => status()['connectors'][1].status === 'Unavailable');
    expect(await set(before)).toBe('Accepted');
    expect(await answer('ChangeAvailability', { evse: { id: 2 }, operationalStatus: 'Operative' })).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => status()['connectors'][1].status === 'Available');
    expect((await answer('GetVariables', { getVariableData: [variable] }))['getVariableResult'][0].attributeValue).toBe(before);
    expectIdle();

    await leavePendingAndRejected();
  });
});

describe('reference station in lab mode, OCPP 1.6', () => {
  it('returns to idle after a running transaction, changed configuration and a Pending or Rejected boot', async () => {
    rig = await startStationRig('1.6');
    await rig.csms.waitForCall('StatusNotification', 3);
    expectIdle();

    await act('plugIn', { connectorId: 1 });
    await act('presentIdToken', { connectorId: 1, idToken: 'TOKEN-1' });
    const [running] = status()['transactions'];
    expect(running).toMatchObject({ connectorId: 1, idToken: 'TOKEN-1', transactionId: expect.any(Number) });
    expect(await answer('RemoteStopTransaction', { transactionId: running.transactionId })).toEqual({ status: 'Accepted' });
    await rig.csms.waitForCall('StopTransaction');
    await act('unplug', { connectorId: 1 });
    await act('unplug', { connectorId: 1 });
    expectIdle();

    const read = async () => (await answer('GetConfiguration', { key: ['MeterValueSampleInterval'] }))['configurationKey'][0].value;
    const before = await read();
    expect(await answer('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '17' })).toEqual({ status: 'Accepted' });
    expect(await answer('ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => status()['connectors'][1].status === 'Unavailable');
    expect(await answer('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: before })).toEqual({ status: 'Accepted' });
    expect(await answer('ChangeAvailability', { connectorId: 2, type: 'Operative' })).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => status()['connectors'][1].status === 'Available');
    expect(await read()).toBe(before);
    expectIdle();

    await leavePendingAndRejected();
  });
});
