import { afterEach, describe, expect, it } from 'vitest';
import { serveControl, type ControlHttpServer } from '../control-http.js';
import { bootRequest, resultOf, startRig, type TestRig } from './csms.test-support.js';

let rig: TestRig | undefined;
let served: ControlHttpServer | undefined;
afterEach(async () => {
  await served?.close();
  await rig?.close();
  served = undefined;
  rig = undefined;
});

async function post(path: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${served!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('HTTP control endpoint of the reference CSMS', () => {
  it('lists the actions and performs one posted as JSON', async () => {
    rig = await startRig({ version: '2.0.1' });
    served = await serveControl(rig.csms.control, {});
    const list = await fetch(`${served.url}/actions`);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ actions: ['csmsSend', 'csmsSetBootResult', 'csmsAddIdToken', 'csmsDisconnect'] });
    expect(await post('/actions/csmsSetBootResult', '{"status":"Pending"}')).toEqual({ status: 200, json: { status: 'done', detail: 'the next BootNotification is answered Pending' } });
    const station = await rig.connect();
    expect(resultOf(await station.call('BootNotification', bootRequest('2.0.1')))).toMatchObject({ status: 'Pending' });
  });

  it('sends a CSMS request with the payload posted, as the http adapter would', async () => {
    rig = await startRig({ version: '1.6' });
    served = await serveControl(rig.csms.control, { host: '127.0.0.1', port: 0 });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('1.6'));
    const arriving = station.nextCsmsCall('ChangeConfiguration');
    const body = JSON.stringify({ stationId: 'CS001', action: 'ChangeConfiguration', payload: { key: 'MeterValueSampleInterval', value: '60' } });
    expect(await post('/actions/csmsSend', body)).toMatchObject({ status: 200, json: { status: 'done' } });
    expect((await arriving)?.payload).toEqual({ key: 'MeterValueSampleInterval', value: '60' });
  });

  it('answers 404 for an unknown action, 400 for a body that is not a JSON object, 500 for a failed action', async () => {
    rig = await startRig({ version: '2.0.1' });
    served = await serveControl(rig.csms.control);
    expect(await post('/actions/plugIn', '{}')).toMatchObject({ status: 404, json: { status: 'unsupported' } });
    expect(await post('/actions/csmsSetBootResult', '{"status":')).toMatchObject({ status: 400, json: { error: expect.stringContaining('not JSON') } });
    expect(await post('/actions/csmsSetBootResult', '["Pending"]')).toMatchObject({ status: 400 });
    expect(await post('/actions/csmsSend', '')).toMatchObject({ status: 500, json: { status: 'failed' } });
    expect((await fetch(`${served.url}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${served.url}/actions/csmsSend`)).status).toBe(405);
  });
});
