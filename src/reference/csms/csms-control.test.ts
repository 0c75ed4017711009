import { afterEach, describe, expect, it } from 'vitest';
import { checkPayload, type OcppVersion } from '../../protocol/index.js';
import { HandshakeError } from '../../transport/index.js';
import { createCsmsContext } from './context.js';
import { basicAuth, bootRequest, resultOf, startRig, type TestRig } from './csms.test-support.js';
import { DEFAULT_REQUESTS_16 } from './default-requests-16.js';
import { DEFAULT_REQUESTS_201 } from './default-requests-201.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('default payloads of csmsSend', () => {
  it.each(['1.6', '2.0.1', '2.1'] as const)('meet the OCPP %s schemas', (version: OcppVersion) => {
    const context = createCsmsContext({ version, idTokens: { GOOD: 'Accepted', BAD: 'Blocked' } });
    const station = context.state.station('CS001');
    station.lastReservationId = 7;
    context.state.addTransaction({ stationId: 'CS001', transactionId: '42', startedAt: context.now(), active: true, problems: [] });
    const table = version === '1.6' ? DEFAULT_REQUESTS_16 : DEFAULT_REQUESTS_201;
    const problems = Object.entries(table).flatMap(([action, build]) => {
      const problem = checkPayload(version, action, 'request', build(context, station));
      return problem ? [`${action}: ${problem.description}`] : [];
    });
    expect(problems).toEqual([]);
  });
});

const SAMPLES: Record<'1.6' | '2.0.1', string[]> = {
  '1.6': ['Reset', 'RemoteStartTransaction', 'ChangeConfiguration', 'GetConfiguration', 'ChangeAvailability', 'UnlockConnector', 'TriggerMessage', 'ClearCache', 'DataTransfer', 'SetChargingProfile'],
  '2.0.1': ['Reset', 'GetVariables', 'SetVariables', 'GetBaseReport', 'RequestStartTransaction', 'TriggerMessage', 'ChangeAvailability', 'UnlockConnector', 'ClearCache', 'GetLocalListVersion', 'SetChargingProfile'],
};

describe.each(['1.6', '2.0.1'] as const)('reference CSMS control, OCPP %s', (version) => {
  it('csmsSend delivers the common requests with valid default payloads', async () => {
    rig = await startRig({ version, idTokens: { GOOD: 'Accepted' } });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest(version));
    for (const action of SAMPLES[version]) {
      const arriving = station.nextCsmsCall(action);
      expect(await rig.csms.control.perform('csmsSend', { action }), action).toMatchObject({ status: 'done' });
      expect(await arriving, action).toBeDefined();
    }
    expect(station.schemaViolations()).toEqual([]);
  });

  it('csmsSend sends a given payload, reports the answer when asked, and fails clearly', async () => {
    rig = await startRig({ version });
    const perform = (params: Record<string, unknown>) => rig!.csms.control.perform('csmsSend', params);
    expect(await perform({ action: 'Reset' })).toMatchObject({ status: 'failed', reason: 'no station is connected to the CSMS' });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest(version));
    const payload = version === '1.6' ? { type: 'Hard' } : { type: 'OnIdle' };
    const arriving = station.nextCsmsCall('Reset');
    expect(await perform({ action: 'Reset', payload, awaitResponse: true })).toMatchObject({ status: 'done', detail: 'Reset answered: {"status":"Accepted"}' });
    expect((await arriving)?.payload).toEqual(payload);
    expect(await perform({ action: 'CertificateSigned' })).toMatchObject({ status: 'failed', reason: expect.stringContaining('no default payload') });
    expect(await perform({ action: 'Reset', payload: [1] })).toMatchObject({ status: 'failed', reason: expect.stringContaining('JSON object') });
    expect(await perform({ action: 'Reset', stationId: 'NOPE' })).toMatchObject({ status: 'failed', reason: 'station NOPE is not connected to the CSMS' });
    expect(await perform({})).toMatchObject({ status: 'failed', reason: expect.stringContaining('"action"') });
  });

  it('csmsAddIdToken changes the answer to Authorize; bad statuses are refused', async () => {
    rig = await startRig({ version });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest(version));
    expect(await rig.csms.control.perform('csmsAddIdToken', { idToken: 'NEW1', status: 'Accepted' })).toMatchObject({ status: 'done' });
    expect(await rig.csms.control.perform('csmsAddIdToken', { idToken: 'NEW2', status: 'Maybe' })).toMatchObject({ status: 'failed' });
    const request = version === '1.6' ? { idTag: 'NEW1' } : { idToken: { idToken: 'NEW1', type: 'ISO14443' } };
    expect(JSON.stringify(resultOf(await station.call('Authorize', request)))).toContain('"status":"Accepted"');
  });

  it('csmsDisconnect closes the station connection', async () => {
    rig = await startRig({ version });
    const station = await rig.connect();
    expect(await rig.csms.control.perform('csmsDisconnect', {})).toMatchObject({ status: 'done' });
    expect((await station.session.whenClosed()).initiatedBy).toBe('remote');
    expect(rig.csms.snapshot().stations[0]).toMatchObject({ connected: false });
    expect(await rig.csms.control.perform('csmsDisconnect', {})).toMatchObject({ status: 'failed' });
  });

  it('refuses a station without the right Basic-auth password (security profile 1)', async () => {
    rig = await startRig({ version, security: basicAuth('sesame-0123456789') });
    await expect(rig.connect()).rejects.toThrow(HandshakeError);
    await expect(rig.connect({ password: 'wrong-password-xyz' })).rejects.toMatchObject({ handshake: { responseStatus: 401 } });
    const station = await rig.connect({ password: 'sesame-0123456789' });
    expect(resultOf(await station.call('BootNotification', bootRequest(version)))).toMatchObject({ status: 'Accepted' });
    expect(rig.csms.snapshot().refusedConnections).toEqual([
      { stationId: 'CS001', reason: 'A00.FR.203: no Basic-auth credentials' },
      { stationId: 'CS001', reason: 'A00.FR.204: wrong Basic-auth credentials for "CS001": wrong password' },
    ]);
  });
});
