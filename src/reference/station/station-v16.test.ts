import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const statusesOf = (rig: StationRig) => rig.csms.callsOf('StatusNotification').map(payloadOf).map((status) => [status['connectorId'], status['status']]);

describe('reference station, OCPP 1.6: boot and configuration', () => {
  it('boots, reports connector 0 and every connector, then keeps the heartbeat (§4.2, §4.9)', async () => {
    rig = await startStationRig('1.6', {
      prepare: (csms) => (csms.answers['BootNotification'] = () => ({ payload: { currentTime: new Date().toISOString(), interval: 1, status: 'Accepted' } })),
    });
    const { csms } = rig;
    expect(payloadOf(csms.callsOf('BootNotification')[0])).toEqual({ chargePointVendor: 'ocpp-harness', chargePointModel: 'ReferenceStation', firmwareVersion: '1.0.0' });
    await csms.waitForCall('StatusNotification', 3);
    expect(statusesOf(rig)).toEqual([[0, 'Available'], [1, 'Available'], [2, 'Available']]);
    await csms.waitForCall('Heartbeat', 1, 2500);
    expect(csms.schemaViolations()).toEqual([]);
  });

  it('retries a Pending boot after the interval and answers GetConfiguration meanwhile', async () => {
    let boots = 0;
    rig = await startStationRig('1.6', {
      prepare: (csms) => (csms.answers['BootNotification'] = () => ({ payload: { currentTime: new Date().toISOString(), interval: 1, status: boots++ === 0 ? 'Pending' : 'Accepted' } })),
    });
    const answer = await rig.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
    expect(answer.kind === 'result' && answer.payload['configurationKey']).toEqual([{ key: 'HeartbeatInterval', readonly: false, value: '300' }]);
    const remote = await rig.csms.call('RemoteStartTransaction', { idTag: 'TAG-1' });
    expect(remote.kind === 'result' && remote.payload['status']).toBe('Rejected');
    await rig.csms.waitForCall('BootNotification', 2, 3000);
    await rig.csms.waitForCall('StatusNotification', 3);
  });

  it('answers GetConfiguration and ChangeConfiguration (§5.3, §5.8)', async () => {
    rig = await startStationRig('1.6');
    const { csms } = rig;
    const all = await csms.call('GetConfiguration', {});
    const keys = all.kind === 'result' ? (all.payload['configurationKey'] as Array<{ key: string; readonly: boolean; value: string }>) : [];
    expect(keys.find((key) => key.key === 'NumberOfConnectors')).toEqual({ key: 'NumberOfConnectors', readonly: true, value: '2' });
    const some = await csms.call('GetConfiguration', { key: ['MeterValueSampleInterval', 'NoSuchKey'] });
    expect(some.kind === 'result' && some.payload).toEqual({ configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '60' }], unknownKey: ['NoSuchKey'] });
    const change = async (key: string, value: string) => {
      const answer = await csms.call('ChangeConfiguration', { key, value });
      return answer.kind === 'result' ? answer.payload['status'] : answer.kind;
    };
    expect(await change('HeartbeatInterval', '1')).toBe('Accepted');
    expect(await change('NumberOfConnectors', '3')).toBe('Rejected');
    expect(await change('ConnectionTimeOut', 'soon')).toBe('Rejected');
    expect(await change('NoSuchKey', '1')).toBe('NotSupported');
    expect(await change('WebSocketPingInterval', '10')).toBe('RebootRequired');
    await csms.waitForCall('Heartbeat', 1, 2500);
  });

  it('reboots on Reset and boots again', async () => {
    rig = await startStationRig('1.6');
    const answer = await rig.csms.call('Reset', { type: 'Soft' });
    expect(answer.kind === 'result' && answer.payload['status']).toBe('Accepted');
    await rig.csms.waitForCall('BootNotification', 2);
    expect(rig.csms.sessions.length).toBe(2);
  });
});

describe('reference station, OCPP 1.6: transactions', () => {
  it('starts on plug-in and idTag, stops on the same idTag with the transactionId of the Central System', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 3);
    await station.control.perform('plugIn', { connectorId: 1 });
    await station.control.perform('presentIdToken', { idToken: 'TAG-1' });
    expect(payloadOf(await csms.waitForCall('Authorize'))).toEqual({ idTag: 'TAG-1' });
    const start = await csms.waitForCall('StartTransaction');
    expect(payloadOf(start)).toMatchObject({ connectorId: 1, idTag: 'TAG-1', meterStart: 0 });
    // The answer leaves once every frame that arrived with the CALL is recorded: wait for it.
    const answerOf = () => csms.records.find((record) => record.messageType === 'CALLRESULT' && record.messageId === start.messageId);
    await csms.waitUntil(() => answerOf() !== undefined);
    const transactionId = payloadOf(answerOf())['transactionId'];
    await csms.waitUntil(() => statusesOf(rig!).some(([id, status]) => id === 1 && status === 'Charging'));
    await station.control.perform('presentIdToken', { idToken: 'TAG-1' });
    const stop = payloadOf(await csms.waitForCall('StopTransaction'));
    expect(stop).toMatchObject({ transactionId, idTag: 'TAG-1', reason: 'Local' });
    expect(stop['meterStop']).toBeGreaterThanOrEqual(0);
    await csms.waitUntil(() => statusesOf(rig!).some(([id, status]) => id === 1 && status === 'Finishing'));
    expect(statusesOf(rig).filter(([id]) => id === 1).map(([, status]) => status)).toEqual(['Available', 'Preparing', 'Charging', 'Finishing']);
    expect(csms.schemaViolations()).toEqual([]);
  });

  it('starts and stops remotely (§5.11, §5.12)', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    const remote = await csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-2' });
    expect(remote.kind === 'result' && remote.payload['status']).toBe('Accepted');
    await csms.waitForCall('Authorize');
    await station.control.perform('plugIn', { connectorId: 2 });
    const start = await csms.waitForCall('StartTransaction');
    expect(await station.whenTransactionMessagesDelivered(2000)).toBe(true);
    // The answer leaves once every frame that arrived with the CALL is recorded: wait for it.
    const answerOf = () => csms.records.find((record) => record.messageType === 'CALLRESULT' && record.messageId === start.messageId);
    await csms.waitUntil(() => answerOf() !== undefined);
    const transactionId = payloadOf(answerOf())['transactionId'];
    const stop = await csms.call('RemoteStopTransaction', { transactionId });
    expect(stop.kind === 'result' && stop.payload['status']).toBe('Accepted');
    expect(payloadOf(await csms.waitForCall('StopTransaction'))).toMatchObject({ transactionId, reason: 'Remote' });
  });

  it('queues transaction messages while offline and delivers them in order, the stop with the id the start got (§3.7)', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    // Authorized once online, so the cache lets the tag start offline (LocalAuthorizeOffline).
    const statusCount = (status: string) => statusesOf(rig!).filter(([id, reported]) => id === 1 && reported === status).length;
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    await csms.waitUntil(() => statusCount('Preparing') === 1);
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    await csms.waitUntil(() => statusCount('Available') === 2);
    await station.control.perform('goOffline', {});
    await csms.waitUntil(() => !csms.session.isOpen);
    await station.control.perform('plugIn', { connectorId: 1 });
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    await waitFor(() => station.whenTransactionMessagesDelivered(0).then((empty) => !empty));
    await station.control.perform('unplug', { connectorId: 1 });
    await station.control.perform('goOnline', {});
    const stop = payloadOf(await csms.waitForCall('StopTransaction'));
    const start = csms.callsOf('StartTransaction');
    expect(start.length).toBe(1);
    const transactionId = payloadOf(csms.records.find((record) => record.messageType === 'CALLRESULT' && record.messageId === start[0]!.messageId))['transactionId'];
    expect(stop).toMatchObject({ transactionId, reason: 'EVDisconnected' });
    expect(csms.callsOf('BootNotification').length).toBe(1);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
