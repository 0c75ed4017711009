import { afterEach, describe, expect, it } from 'vitest';
import type { OcppVersion } from '../../protocol/index.js';
import { FIXED_NOW, bootRequest, errorCodeOf, resultOf, startRig, statusRequest, type TestRig } from './csms.test-support.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const GET_SETTING: Record<OcppVersion, string> = { '1.6': 'GetConfiguration', '2.0.1': 'GetVariables', '2.1': 'GetVariables' };

describe.each(['1.6', '2.0.1'] as const)('reference CSMS boot, OCPP %s', (version) => {
  it('accepts a boot with its time and the heartbeat interval, then answers heartbeats', async () => {
    rig = await startRig({ version, heartbeatIntervalS: 120 });
    const station = await rig.connect();
    expect(resultOf(await station.call('BootNotification', bootRequest(version)))).toEqual({ status: 'Accepted', currentTime: FIXED_NOW.toISOString(), interval: 120 });
    expect(resultOf(await station.call('Heartbeat', {}))).toEqual({ currentTime: FIXED_NOW.toISOString() });
    expect(resultOf(await station.call('StatusNotification', statusRequest(version)))).toEqual({});
    const [known] = rig.csms.snapshot().stations;
    expect(known).toMatchObject({ stationId: 'CS001', connected: true, bootStatus: 'Accepted', lastHeartbeatAt: FIXED_NOW.toISOString() });
    expect(known?.connectors).toMatchObject([{ connectorId: 1, status: 'Available' }]);
    expect(station.schemaViolations()).toEqual([]);
  });

  it('keeps a Pending station to BootNotification (SecurityError), may configure it, then accepts its next boot', async () => {
    rig = await startRig({ version, bootStatus: 'Pending', bootRetryIntervalS: 15 });
    const station = await rig.connect();
    expect(resultOf(await station.call('BootNotification', bootRequest(version)))).toMatchObject({ status: 'Pending', interval: 15 });
    expect(errorCodeOf(await station.call('Heartbeat', {}))).toBe('SecurityError');
    expect(errorCodeOf(await station.call('StatusNotification', statusRequest(version)))).toBe('SecurityError');
    // B02.FR.01 / 1.6 §4.2: while Pending the CSMS may read and change the configuration.
    const arriving = station.nextCsmsCall(GET_SETTING[version]);
    expect(await rig.csms.control.perform('csmsSend', { action: GET_SETTING[version] })).toMatchObject({ status: 'done' });
    expect(await arriving).toBeDefined();
    expect(await rig.csms.control.perform('csmsSetBootResult', { status: 'Accepted' })).toMatchObject({ status: 'done' });
    expect(resultOf(await station.call('BootNotification', bootRequest(version)))).toMatchObject({ status: 'Accepted' });
    expect(resultOf(await station.call('Heartbeat', {}))).toEqual({ currentTime: FIXED_NOW.toISOString() });
    expect(station.schemaViolations()).toEqual([]);
  });

  it('lets a Pending station send the message it was triggered to send (B02.FR.02), and only that', async () => {
    rig = await startRig({ version, bootStatus: 'Pending' });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest(version));
    const arriving = station.nextCsmsCall('TriggerMessage');
    expect(await rig.csms.control.perform('csmsSend', { action: 'TriggerMessage' })).toMatchObject({ status: 'done' });
    await arriving;
    expect(errorCodeOf(await station.call('StatusNotification', statusRequest(version)))).toBe('SecurityError');
    expect(resultOf(await station.call('Heartbeat', {}))).toEqual({ currentTime: FIXED_NOW.toISOString() });
    expect(errorCodeOf(await station.call('Heartbeat', {}))).toBe('SecurityError');
  });

  it('refuses remote start while Pending unless forced (B02.FR.05, 1.6 §4.2)', async () => {
    rig = await startRig({ version, bootStatus: 'Pending', idTokens: { TOKEN1: 'Accepted' } });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest(version));
    const action = version === '1.6' ? 'RemoteStartTransaction' : 'RequestStartTransaction';
    expect(await rig.csms.control.perform('csmsSend', { action })).toMatchObject({ status: 'failed', reason: expect.stringContaining('Pending') });
    const arriving = station.nextCsmsCall(action);
    expect(await rig.csms.control.perform('csmsSend', { action, force: true })).toMatchObject({ status: 'done' });
    expect((await arriving)?.payload).toMatchObject(version === '1.6' ? { idTag: 'TOKEN1' } : { idToken: { idToken: 'TOKEN1' } });
  });

  it('answers a Rejected station with SecurityError and sends it nothing (B03.FR.03, B03.FR.07)', async () => {
    rig = await startRig({ version, bootStatus: 'Rejected' });
    const station = await rig.connect();
    expect(resultOf(await station.call('BootNotification', bootRequest(version)))).toMatchObject({ status: 'Rejected', interval: 30 });
    expect(errorCodeOf(await station.call('Heartbeat', {}))).toBe('SecurityError');
    expect(await rig.csms.control.perform('csmsSend', { action: 'Reset' })).toMatchObject({ status: 'failed', reason: expect.stringContaining('Rejected') });
    expect(rig.csms.snapshot().stations[0]).toMatchObject({ bootStatus: 'Rejected' });
  });

  it('answers a station that never booted with SecurityError', async () => {
    rig = await startRig({ version });
    const station = await rig.connect();
    expect(errorCodeOf(await station.call('Heartbeat', {}))).toBe('SecurityError');
  });

  it('remembers the registration across reconnections and tells the last connected station apart', async () => {
    rig = await startRig({ version });
    const first = await rig.connect({ stationId: 'CS-A' });
    await first.call('BootNotification', bootRequest(version));
    await first.session.close();
    const again = await rig.connect({ stationId: 'CS-A', path: '/deep/path/of/the/csms' });
    expect(resultOf(await again.call('Heartbeat', {}))).toEqual({ currentTime: FIXED_NOW.toISOString() });
    const other = await rig.connect({ stationId: 'CS-B' });
    await other.call('BootNotification', bootRequest(version));
    const arriving = other.nextCsmsCall('Reset');
    expect(await rig.csms.control.perform('csmsSend', { action: 'Reset' })).toMatchObject({ status: 'done', detail: expect.stringContaining('CS-B') });
    expect(await arriving).toBeDefined();
  });
});

describe('reference CSMS boot, OCPP 2.0.1 Pending reports', () => {
  it('accepts the NotifyReport parts a GetBaseReport asked for while Pending, up to the last one (B02.FR.02)', async () => {
    rig = await startRig({ version: '2.0.1', bootStatus: 'Pending' });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('2.0.1'));
    expect(errorCodeOf(await station.call('NotifyReport', { requestId: 1, generatedAt: FIXED_NOW.toISOString(), seqNo: 0 }))).toBe('SecurityError');
    const arriving = station.nextCsmsCall('GetBaseReport');
    await rig.csms.control.perform('csmsSend', { action: 'GetBaseReport' });
    const requestId = (await arriving)?.payload as { requestId: number };
    const part = (seqNo: number, tbc: boolean) => station.call('NotifyReport', { requestId: requestId.requestId, generatedAt: FIXED_NOW.toISOString(), seqNo, tbc });
    expect(resultOf(await part(0, true))).toEqual({});
    expect(resultOf(await part(1, false))).toEqual({});
    expect(errorCodeOf(await part(2, false))).toBe('SecurityError');
    expect(rig.csms.snapshot().notifications.map((entry) => entry.action)).toEqual(['NotifyReport', 'NotifyReport']);
  });
});

describe('reference CSMS boot, OCPP 2.1 (answered as 2.0.1)', () => {
  it('accepts a boot', async () => {
    rig = await startRig({ version: '2.1' });
    const station = await rig.connect();
    expect(resultOf(await station.call('BootNotification', bootRequest('2.1')))).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(resultOf(await station.call('Heartbeat', {}))).toEqual({ currentTime: FIXED_NOW.toISOString() });
    expect(station.schemaViolations()).toEqual([]);
  });
});
