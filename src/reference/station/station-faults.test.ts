import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../faults.js';
import { STATION_BEHAVIOUR_FAULTS } from './behaviour-faults.js';
import { ReferenceStation } from './reference-station.js';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('reference station faults', () => {
  it('applies message faults through the session interceptor: the CSMS sees the schema violation', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['omit:BootNotification.chargingStation.vendorName'] });
    expect(payloadOf(rig.csms.callsOf('BootNotification')[0])['chargingStation']).not.toHaveProperty('vendorName');
    expect(rig.csms.schemaViolations().join('\n')).toMatch(/BootNotification request.*vendorName/);
  });

  it('behaviour:boot-without-reason-remote-reset reports PowerUp after a Reset', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:boot-without-reason-remote-reset'] });
    await rig.csms.call('Reset', { type: 'Immediate' });
    expect(payloadOf(await rig.csms.waitForCall('BootNotification', 2))['reason']).toBe('PowerUp');
  });

  it('behaviour:seqno-not-increasing and behaviour:transaction-id-changes break the transaction event numbering', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:seqno-not-increasing', 'behaviour:transaction-id-changes'] });
    await rig.station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    await rig.station.control.perform('presentIdToken', { evseId: 1, idToken: 'TOKEN-1' });
    await rig.csms.waitForCall('TransactionEvent');
    await rig.station.control.perform('unplug', { evseId: 1, connectorId: 1 });
    const events = [payloadOf(rig.csms.callsOf('TransactionEvent')[0]), payloadOf(await rig.csms.waitForCall('TransactionEvent', 2))];
    expect(events.map((event) => event['seqNo'])).toEqual([0, 0]);
    expect(events[0]!['transactionInfo'].transactionId).not.toBe(events[1]!['transactionInfo'].transactionId);
  });

  it('behaviour:status-by-notify-event reports connector states by NotifyEvent, and a triggered one by StatusNotification (F06)', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:status-by-notify-event'] });
    const event = payloadOf(await rig.csms.waitForCall('NotifyEvent'));
    expect(event['eventData']).toEqual([expect.objectContaining({ trigger: 'Delta', actualValue: 'Available', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' } })]);
    const reports = () => rig!.csms.callsOf('NotifyEvent').map((call) => payloadOf(call)['eventData'][0]);
    await rig.station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    await rig.csms.waitUntil(() => reports().some((data) => data.actualValue === 'Occupied'), undefined, 'the Occupied event');
    expect(new Set(reports().map((data) => data.eventId)).size).toBe(reports().length);
    expect(rig.csms.callsOf('StatusNotification')).toEqual([]);
    await rig.csms.call('TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } });
    expect(payloadOf(await rig.csms.waitForCall('StatusNotification'))['connectorStatus']).toBe('Occupied');
  });

  it('behaviour:refuse-empty-member-list rejects an empty MemberList and takes a member', async () => {
    const measurands = (value: string) => ({ setVariableData: [{ attributeValue: value, component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxEndedMeasurands' } }] });
    const statusOf = (answer: { kind: string; payload?: Record<string, unknown> }) => (answer.payload?.['setVariableResult'] as Array<{ attributeStatus: string }> | undefined)?.[0]?.attributeStatus;
    rig = await startStationRig('2.0.1');
    expect(statusOf(await rig.csms.call('SetVariables', measurands('')))).toBe('Accepted');
    await rig.close();
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:refuse-empty-member-list'] });
    expect(statusOf(await rig.csms.call('SetVariables', measurands('')))).toBe('Rejected');
    expect(statusOf(await rig.csms.call('SetVariables', measurands('Energy.Active.Import.Register')))).toBe('Accepted');
  });

  it('behaviour:no-status-after-boot leaves out the StatusNotifications after the boot (1.6)', async () => {
    rig = await startStationRig('1.6', { faultTexts: ['behaviour:no-status-after-boot'] });
    await rig.csms.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
    await rig.csms.waitForCall('Heartbeat');
    expect(rig.csms.callsOf('StatusNotification')).toEqual([]);
  });

  it('behaviour:no-reconnect stays away after the CSMS dropped the connection', async () => {
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:no-reconnect'], timing: { reconnectDelayMs: 10 } });
    await rig.csms.waitForCall('SecurityEventNotification');
    await rig.csms.session.close();
    // The reconnect delay is 10 ms: a station that reconnects does so well within the wait.
    await expect(rig.csms.waitUntil(() => rig!.csms.sessions.length > 1, 300)).rejects.toThrow(/timed out/);
    // goOnline is an explicit command, which the fault does not ignore.
    await rig.station.control.perform('goOnline', {});
    await rig.csms.waitUntil(() => rig!.csms.sessions.length === 2);
    expect(rig.csms.callsOf('BootNotification').length).toBe(1);
  });

  it('refuses behaviour faults it does not know, and lists each one it knows once', () => {
    expect(() => new ReferenceStation({ version: '2.0.1', endpoint: 'ws://127.0.0.1:1/ocpp', stationId: 'CS', evses: [{ id: 1, connectors: [{ id: 1 }] }], faults: [parseFault('behaviour:no-such-fault')] }))
      .toThrow(/no behaviour fault "behaviour:no-such-fault"/);
    expect(Object.keys(STATION_BEHAVIOUR_FAULTS).every((name) => name.startsWith('behaviour:'))).toBe(true);
  });
});
