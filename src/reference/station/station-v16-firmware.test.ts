import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFirmwareImage } from './firmware-image.js';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

/**
 * A file server on 127.0.0.1: GET /good.bin and /damaged.bin serve firmware images, PUT /upload/...
 * is kept (201), anything else is 404.
 */
const IMAGES: Record<string, Buffer> = { '/good.bin': createFirmwareImage('3.1.0'), '/damaged.bin': createFirmwareImage('3.1.0', { damaged: true }) };
let files: { server: Server; url: string; requests: Array<{ method: string; path: string; body: string; atMs: number }> };
let rig: StationRig | undefined;

beforeAll(async () => {
  const requests: typeof files.requests = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      requests.push({ method: request.method ?? '', path, body: Buffer.concat(chunks).toString('utf8'), atMs: Date.now() });
      const image = request.method === 'GET' ? IMAGES[path] : undefined;
      if (image) response.writeHead(200).end(image);
      else response.writeHead(request.method === 'PUT' && path.startsWith('/upload/') ? 201 : 404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  files = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
});
afterAll(() => new Promise<void>((resolve) => files.server.close(() => resolve())));
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  files.requests.length = 0;
});

function statusesOf(current: StationRig, action: string): string[] {
  return current.csms.callsOf(action).map((record) => String(payloadOf(record)['status']));
}

describe('reference station, OCPP 1.6: UpdateFirmware (§5.19, §4.5)', () => {
  it('downloads, installs, reboots into the new firmware and reports Installed after the new boot', async () => {
    rig = await startStationRig('1.6');
    const answer = await rig.csms.call('UpdateFirmware', { location: `${files.url}/good.bin`, retrieveDate: new Date().toISOString() });
    expect(answer).toMatchObject({ kind: 'result', payload: {} });
    await rig.csms.waitUntil(() => statusesOf(rig!, 'FirmwareStatusNotification').includes('Installed'), 6000, 'Installed');
    expect(statusesOf(rig, 'FirmwareStatusNotification')).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
    const boots = rig.csms.callsOf('BootNotification').map(payloadOf);
    expect(boots.at(-1)).toMatchObject({ firmwareVersion: '3.1.0' });
    expect(files.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /good.bin']);
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('reports DownloadFailed after 1 + retries attempts when nothing is at the location', async () => {
    rig = await startStationRig('1.6');
    await rig.csms.call('UpdateFirmware', { location: `${files.url}/missing.bin`, retrieveDate: new Date().toISOString(), retries: 1, retryInterval: 0 });
    await rig.csms.waitUntil(() => statusesOf(rig!, 'FirmwareStatusNotification').includes('DownloadFailed'), 4000, 'DownloadFailed');
    expect(statusesOf(rig, 'FirmwareStatusNotification')).toEqual(['Downloading', 'Downloading', 'DownloadFailed']);
    expect(files.requests.map((request) => request.path)).toEqual(['/missing.bin', '/missing.bin']);
  });

  it('reports InstallationFailed for an image that fails its installation check, and keeps its firmware', async () => {
    rig = await startStationRig('1.6');
    await rig.csms.call('UpdateFirmware', { location: `${files.url}/damaged.bin`, retrieveDate: new Date().toISOString() });
    await rig.csms.waitUntil(() => statusesOf(rig!, 'FirmwareStatusNotification').includes('InstallationFailed'), 4000, 'InstallationFailed');
    expect(statusesOf(rig, 'FirmwareStatusNotification')).toEqual(['Downloading', 'Downloaded', 'Installing', 'InstallationFailed']);
    expect(rig.csms.callsOf('BootNotification')).toHaveLength(1);
  });

  it('waits for the retrieve date before it downloads', async () => {
    rig = await startStationRig('1.6');
    const sentAt = Date.now();
    await rig.csms.call('UpdateFirmware', { location: `${files.url}/good.bin`, retrieveDate: new Date(sentAt + 1000).toISOString() });
    await rig.csms.waitForCall('FirmwareStatusNotification', 2);
    expect(files.requests[0]!.atMs).toBeGreaterThanOrEqual(sentAt + 900);
  });

  it('under behaviour:firmware-installed-never-reported reboots into the new firmware but reports no Installed', async () => {
    rig = await startStationRig('1.6', { faultTexts: ['behaviour:firmware-installed-never-reported'] });
    await rig.csms.call('UpdateFirmware', { location: `${files.url}/good.bin`, retrieveDate: new Date().toISOString() });
    await rig.csms.waitUntil(() => rig!.csms.callsOf('BootNotification').length === 2 && rig!.csms.callsOf('StatusNotification').length >= 4, 6000, 'the second boot and its status reports');
    expect(statusesOf(rig, 'FirmwareStatusNotification')).toEqual(['Downloading', 'Downloaded', 'Installing']);
  });
});

describe('reference station, OCPP 1.6: GetDiagnostics (§5.9, §4.4)', () => {
  it('names the file, PUTs it to the location and reports Uploading, then Uploaded', async () => {
    rig = await startStationRig('1.6');
    const answer = await rig.csms.call('GetDiagnostics', { location: `${files.url}/upload` });
    expect(answer).toMatchObject({ kind: 'result', payload: { fileName: 'CS001-diagnostics-1.log' } });
    await rig.csms.waitForCall('DiagnosticsStatusNotification', 2);
    expect(statusesOf(rig, 'DiagnosticsStatusNotification')).toEqual(['Uploading', 'Uploaded']);
    expect(files.requests).toHaveLength(1);
    expect(files.requests[0]).toMatchObject({ method: 'PUT', path: '/upload/CS001-diagnostics-1.log' });
    expect(files.requests[0]!.body).toContain('diagnostics');
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('retries a refused upload as often as asked, then reports UploadFailed once', async () => {
    rig = await startStationRig('1.6');
    await rig.csms.call('GetDiagnostics', { location: `${files.url}/nowhere`, retries: 2, retryInterval: 0 });
    await rig.csms.waitForCall('DiagnosticsStatusNotification', 2);
    expect(statusesOf(rig, 'DiagnosticsStatusNotification')).toEqual(['Uploading', 'UploadFailed']);
    expect(files.requests.map((request) => request.method)).toEqual(['PUT', 'PUT', 'PUT']);
  });

  it('under behaviour:diagnostics-upload-skipped reports Uploaded without sending the file', async () => {
    rig = await startStationRig('1.6', { faultTexts: ['behaviour:diagnostics-upload-skipped'] });
    await rig.csms.call('GetDiagnostics', { location: `${files.url}/upload` });
    await rig.csms.waitForCall('DiagnosticsStatusNotification', 2);
    expect(statusesOf(rig, 'DiagnosticsStatusNotification')).toEqual(['Uploading', 'Uploaded']);
    expect(files.requests).toEqual([]);
  });
});

describe('reference station, OCPP 1.6: TriggerMessage (§5.17)', () => {
  it('sends Idle for a triggered firmware or diagnostics status while nothing runs, and the current status while an update runs', async () => {
    rig = await startStationRig('1.6');
    expect(await rig.csms.call('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' })).toMatchObject({ payload: { status: 'Accepted' } });
    await rig.csms.waitForCall('DiagnosticsStatusNotification', 1);
    expect(statusesOf(rig, 'DiagnosticsStatusNotification')).toEqual(['Idle']);
    // An update whose retrieve date lies ahead has not started to download: there is nothing to report but Idle.
    await rig.csms.call('UpdateFirmware', { location: `${files.url}/good.bin`, retrieveDate: new Date(Date.now() + 60_000).toISOString() });
    await rig.csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    await rig.csms.waitForCall('FirmwareStatusNotification', 1);
    expect(statusesOf(rig, 'FirmwareStatusNotification')).toEqual(['Idle']);
  });

  it('rejects a connector it does not have and sends nothing; a MeterValues for its connector carries context Trigger', async () => {
    rig = await startStationRig('1.6');
    expect(await rig.csms.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 99 })).toMatchObject({ payload: { status: 'Rejected' } });
    expect(await rig.csms.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 })).toMatchObject({ payload: { status: 'Accepted' } });
    await rig.csms.waitForCall('MeterValues', 1);
    const meterValues = rig.csms.callsOf('MeterValues').map(payloadOf);
    expect(meterValues).toHaveLength(1);
    expect(meterValues[0]).toMatchObject({ connectorId: 1, meterValue: [{ sampledValue: [{ context: 'Trigger' }] }] });
  });

  it('under behaviour:trigger-accepted-not-sent answers Accepted and sends nothing', async () => {
    rig = await startStationRig('1.6', { faultTexts: ['behaviour:trigger-accepted-not-sent'] });
    const heartbeatsBefore = rig.csms.callsOf('Heartbeat').length;
    expect(await rig.csms.call('TriggerMessage', { requestedMessage: 'Heartbeat' })).toMatchObject({ payload: { status: 'Accepted' } });
    // The reference sends a triggered message on the next turn of its event loop, before it reads another request.
    await rig.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
    expect(rig.csms.callsOf('Heartbeat')).toHaveLength(heartbeatsBefore);
  });
});
