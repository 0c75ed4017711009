import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';
import type { CallOutcome } from '../../session/index.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('reference station, OCPP 2.0.1: boot', () => {
  it('boots with PowerUp, reports every connector and the startup security event, then keeps the heartbeat', async () => {
    rig = await startStationRig('2.0.1', {
      prepare: (csms) => (csms.answers['BootNotification'] = () => ({ payload: { currentTime: new Date().toISOString(), interval: 1, status: 'Accepted' } })),
    });
    const { csms } = rig;
    const boot = payloadOf(csms.callsOf('BootNotification')[0]);
    expect(boot['reason']).toBe('PowerUp');
    expect(boot['chargingStation']).toMatchObject({ vendorName: 'ocpp-harness', model: 'ReferenceStation' });
    await csms.waitForCall('StatusNotification', 2);
    const statuses = csms.callsOf('StatusNotification').map(payloadOf);
    expect(statuses.map((status) => [status['evseId'], status['connectorId'], status['connectorStatus']])).toEqual([[1, 1, 'Available'], [2, 2, 'Available']]);
    expect(typeof statuses[0]!['timestamp']).toBe('string');
    expect(payloadOf(await csms.waitForCall('SecurityEventNotification'))['type']).toBe('StartupOfTheDevice');
    const heartbeat = await csms.waitForCall('Heartbeat', 1, 2500);
    expect(Date.parse(heartbeat.timestamp) - Date.parse(csms.callsOf('BootNotification')[0]!.timestamp)).toBeGreaterThanOrEqual(900);
    expect(csms.schemaViolations()).toEqual([]);
  });

  it('retries a Pending boot after the interval, answers GetVariables meanwhile and sends nothing else', async () => {
    let boots = 0;
    rig = await startStationRig('2.0.1', {
      prepare: (csms) => (csms.answers['BootNotification'] = () => ({ payload: { currentTime: new Date().toISOString(), interval: 1, status: boots++ === 0 ? 'Pending' : 'Accepted' } })),
    });
    const { csms } = rig;
    const answer = await csms.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }] });
    expect(answer.kind === 'result' && answer.payload['getVariableResult']).toEqual([expect.objectContaining({ attributeStatus: 'Accepted', attributeValue: '60' })]);
    const start = await csms.call('RequestStartTransaction', { idToken: { idToken: 'T1', type: 'ISO14443' }, remoteStartId: 1 });
    expect(start.kind === 'result' && start.payload['status']).toBe('Rejected');
    const second = await csms.waitForCall('BootNotification', 2, 3000);
    expect(csms.records.filter((record) => record.direction === 'cp-to-csms' && record.messageType === 'CALL' && record.timestamp < second.timestamp).map((record) => record.action)).toEqual(['BootNotification']);
    expect(Date.parse(second.timestamp) - Date.parse(csms.callsOf('BootNotification')[0]!.timestamp)).toBeGreaterThanOrEqual(900);
    await csms.waitForCall('StatusNotification', 2);
  });

  it('answers the CSMS with SecurityError while Rejected (B03.FR.08)', async () => {
    rig = await startStationRig('2.0.1', {
      prepare: (csms) => (csms.answers['BootNotification'] = () => ({ payload: { currentTime: new Date().toISOString(), interval: 60, status: 'Rejected' } })),
    });
    const answer = await rig.csms.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
    expect(answer).toMatchObject({ kind: 'error', errorCode: 'SecurityError' });
  });
});

describe('reference station, OCPP 2.0.1: device model', () => {
  it('answers GetVariables item by item (B06)', async () => {
    rig = await startStationRig('2.0.1');
    const answer = await rig.csms.call('GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NoSuchVariable' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeType: 'Target' },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } },
        { component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'AvailabilityState' } },
      ],
    });
    const results = answer.kind === 'result' ? (answer.payload['getVariableResult'] as Array<Record<string, unknown>>) : [];
    expect(results.map((result) => [result['attributeStatus'], result['attributeType'], result['attributeValue']])).toEqual([
      ['Accepted', 'Actual', '300'], ['UnknownComponent', 'Actual', undefined], ['UnknownVariable', 'Actual', undefined],
      ['NotSupportedAttributeType', 'Target', undefined], ['Rejected', 'Actual', undefined], ['Accepted', 'Actual', 'Available'],
    ]);
    expect(results[5]!['component']).toEqual({ name: 'EVSE', evse: { id: 2 } });
  });

  it('answers SetVariables: Accepted, Rejected for read-only and bad values, RebootRequired, unknowns (B05)', async () => {
    rig = await startStationRig('2.0.1');
    const answer = await rig.csms.call('SetVariables', {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '1' },
        { component: { name: 'ChargingStation' }, variable: { name: 'Model' }, attributeValue: 'X' },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, attributeValue: 'soon' },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' }, attributeValue: '1' },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'Enabled' }, attributeValue: 'true' },
        { component: { name: 'TxCtrlr' }, variable: { name: 'TxStartPoint' }, attributeValue: 'Sometime' },
      ],
    });
    const results = answer.kind === 'result' ? (answer.payload['setVariableResult'] as Array<Record<string, unknown>>) : [];
    expect(results.map((result) => result['attributeStatus'])).toEqual(['Accepted', 'Rejected', 'Rejected', 'RebootRequired', 'UnknownComponent', 'Rejected']);
    // B05 + B01.FR.04: the new HeartbeatInterval takes effect at once.
    await rig.csms.waitForCall('Heartbeat', 1, 2500);
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('reports its inventory in NotifyReport parts after accepting GetBaseReport (B07)', async () => {
    rig = await startStationRig('2.0.1');
    const answer = await rig.csms.call('GetBaseReport', { requestId: 42, reportBase: 'FullInventory' });
    expect(answer.kind === 'result' && answer.payload['status']).toBe('Accepted');
    await rig.csms.waitUntil(() => rig!.csms.callsOf('NotifyReport').some((record) => payloadOf(record)['tbc'] === false));
    const parts = rig.csms.callsOf('NotifyReport').map(payloadOf);
    expect(parts.map((part) => part['seqNo'])).toEqual(parts.map((_part, index) => index));
    expect(parts.every((part) => part['requestId'] === 42)).toBe(true);
    const reported = parts.flatMap((part) => part['reportData'] as Array<Record<string, any>>);
    expect(reported.find((data) => data['variable'].name === 'HeartbeatInterval')?.['variableAttribute'][0]).toMatchObject({ value: '300', mutability: 'ReadWrite' });
    expect(reported.find((data) => data['variable'].name === 'BasicAuthPassword')?.['variableAttribute'][0]['value']).toBeUndefined();
    expect(rig.csms.schemaViolations()).toEqual([]);
  });
});

describe('reference station, OCPP 2.0.1: a new Basic-auth password (A01)', () => {
  const security = (password: string) => ({ profile: 1 as const, basicAuth: { password }, trustedRoots: { server: [], client: [] } });
  const setPassword = (password: string) => ({ setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: password }] });
  const statusOf = (answer: CallOutcome) => (answer.kind === 'result' ? (answer.payload['setVariableResult'] as Array<Record<string, unknown>>)[0]!['attributeStatus'] : answer.kind);

  it('accepts a password of 16 to 40 characters and connects again with it, without a new boot', async () => {
    rig = await startStationRig('2.0.1', { security: security('configured-password-0123') });
    await rig.csms.waitForCall('BootNotification');
    expect(statusOf(await rig.csms.call('SetVariables', setPassword('too-short')))).toBe('Rejected');
    rig.csms.server.setPassword('CS001', 'new-password-456789abc');
    expect(statusOf(await rig.csms.call('SetVariables', setPassword('new-password-456789abc')))).toBe('Accepted');
    // The server admits only the new password now: a second connection proves the station used it.
    await rig.csms.waitUntil(() => rig!.csms.handshakes.length === 2, 5000, 'a second connection');
    expect(rig.csms.callsOf('BootNotification')).toHaveLength(1);
  });

  it('under behaviour:password-not-applied comes back with the old password and is turned away', async () => {
    rig = await startStationRig('2.0.1', { security: security('configured-password-0123'), faultTexts: ['behaviour:password-not-applied'] });
    await rig.csms.waitForCall('BootNotification');
    const rejected = new Promise<string>((resolve) => rig!.csms.server.once('rejected', ({ reason }) => resolve(reason)));
    rig.csms.server.setPassword('CS001', 'new-password-456789abc');
    expect(statusOf(await rig.csms.call('SetVariables', setPassword('new-password-456789abc')))).toBe('Accepted');
    expect(await rejected).toBe('A00.FR.204: wrong Basic-auth credentials for "CS001": wrong password');
    expect(rig.csms.handshakes).toHaveLength(1);
  });
});

describe('reference station, OCPP 2.0.1: reset and transactions', () => {
  it('reboots on Reset and boots again with RemoteReset and ResetOrReboot (B11)', async () => {
    rig = await startStationRig('2.0.1');
    const answer = await rig.csms.call('Reset', { type: 'Immediate' });
    expect(answer.kind === 'result' && answer.payload['status']).toBe('Accepted');
    const boot = await rig.csms.waitForCall('BootNotification', 2);
    expect(payloadOf(boot)['reason']).toBe('RemoteReset');
    expect(rig.csms.sessions.length).toBe(2);
    await rig.csms.waitUntil(() => rig!.csms.callsOf('SecurityEventNotification').some((record) => payloadOf(record)['type'] === 'ResetOrReboot'));
  });

  it('starts a transaction on plug-in and token (PowerPathClosed) and ends it on the same token', async () => {
    rig = await startStationRig('2.0.1');
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 2);
    expect(await station.control.perform('plugIn', { evseId: 1, connectorId: 1 })).toEqual({ status: 'done' });
    await csms.waitUntil(() => csms.callsOf('StatusNotification').some((record) => payloadOf(record)['connectorStatus'] === 'Occupied'));
    expect(csms.callsOf('TransactionEvent')).toEqual([]);
    expect(await station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' })).toEqual({ status: 'done' });
    expect(payloadOf(await csms.waitForCall('Authorize'))['idToken']).toEqual({ idToken: 'TOKEN-1', type: 'ISO14443' });
    const started = payloadOf(await csms.waitForCall('TransactionEvent'));
    expect(started).toMatchObject({ eventType: 'Started', seqNo: 0, triggerReason: 'Authorized', evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'TOKEN-1' } });
    expect(started['transactionInfo']).toMatchObject({ chargingState: 'Charging' });
    expect(started['meterValue'][0].sampledValue[0]).toMatchObject({ measurand: 'Energy.Active.Import.Register', context: 'Transaction.Begin' });
    await station.control.perform('presentIdToken', { idToken: 'TOKEN-1', type: 'ISO14443' });
    const ended = payloadOf(await csms.waitForCall('TransactionEvent', 2));
    expect(ended).toMatchObject({ eventType: 'Ended', seqNo: 1, triggerReason: 'StopAuthorized', transactionInfo: { transactionId: started['transactionInfo'].transactionId, stoppedReason: 'Local' } });
    expect(csms.schemaViolations()).toEqual([]);
  });

  it('starts remotely with RemoteStart and the remoteStartId, and stops remotely (F01, F03)', async () => {
    rig = await startStationRig('2.0.1');
    const { csms, station } = rig;
    const start = await csms.call('RequestStartTransaction', { evseId: 2, remoteStartId: 7, idToken: { idToken: 'REMOTE-1', type: 'Central' } });
    expect(start.kind === 'result' && start.payload['status']).toBe('Accepted');
    await csms.waitForCall('Authorize');
    await station.control.perform('plugIn', { evseId: 2, connectorId: 2 });
    const started = payloadOf(await csms.waitForCall('TransactionEvent'));
    expect(started).toMatchObject({ eventType: 'Started', triggerReason: 'RemoteStart', transactionInfo: { remoteStartId: 7 }, evse: { id: 2, connectorId: 2 } });
    const transactionId = started['transactionInfo'].transactionId as string;
    const unknown = await csms.call('RequestStopTransaction', { transactionId: 'no-such-transaction' });
    expect(unknown.kind === 'result' && unknown.payload['status']).toBe('Rejected');
    const stop = await csms.call('RequestStopTransaction', { transactionId });
    expect(stop.kind === 'result' && stop.payload['status']).toBe('Accepted');
    const ended = payloadOf(await csms.waitForCall('TransactionEvent', 2));
    expect(ended).toMatchObject({ eventType: 'Ended', triggerReason: 'RemoteStop', transactionInfo: { transactionId, stoppedReason: 'Remote' } });
  });

  it('queues transaction events while offline and sends them in order, flagged offline, after reconnecting (E04)', async () => {
    rig = await startStationRig('2.0.1');
    const { csms, station } = rig;
    await station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    await station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1' });
    await csms.waitForCall('TransactionEvent');
    expect(await station.whenTransactionMessagesDelivered(2000)).toBe(true);
    await station.control.perform('goOffline', {});
    await csms.waitUntil(() => !csms.session.isOpen);
    await station.control.perform('evSuspend', { evseId: 1 });
    await station.control.perform('evResume', { evseId: 1 });
    await station.control.perform('unplug', { evseId: 1, connectorId: 1 });
    expect(csms.callsOf('TransactionEvent').length).toBe(1);
    await station.control.perform('goOnline', {});
    await csms.waitForCall('TransactionEvent', 4);
    const events = csms.callsOf('TransactionEvent').map(payloadOf);
    expect(events.map((event) => [event['eventType'], event['seqNo'], event['offline']])).toEqual([['Started', 0, undefined], ['Updated', 1, true], ['Updated', 2, true], ['Ended', 3, true]]);
    expect(events.map((event) => event['transactionInfo'].chargingState)).toEqual(['Charging', 'SuspendedEV', 'Charging', 'Idle']);
    expect(csms.callsOf('BootNotification').length).toBe(1);
  });
});
