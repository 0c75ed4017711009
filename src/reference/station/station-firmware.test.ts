import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestPki, signData } from '../../pki/index.js';
import { createFirmwareImage, installableVersion } from './firmware-image.js';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

const GOOD = createFirmwareImage('2.0.0');
const DAMAGED = createFirmwareImage('2.0.0', { damaged: true });
const pki = new TestPki();
let files: { server: Server; url: string; gets: string[] };
let rig: StationRig | undefined;

beforeAll(async () => {
  const gets: string[] = [];
  const server = createServer((request, response) => {
    gets.push(request.url ?? '');
    const image = request.url === '/good.bin' ? GOOD : request.url === '/damaged.bin' ? DAMAGED : undefined;
    if (image) response.writeHead(200).end(image);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  files = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, gets };
});
afterAll(() => new Promise<void>((resolve) => files.server.close(() => resolve())));
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function startStation(faultTexts: string[] = []): Promise<StationRig> {
  return startStationRig('2.0.1', { faultTexts, certificates: [{ certificateType: 'ManufacturerRootCertificate', pem: pki.certificate('manufacturerRoot').certificatePem }] });
}

/** An UpdateFirmwareRequest for an image on the test file server, signed by the trusted signing certificate unless told otherwise. */
function updateFirmware(requestId: number, options: { path?: string; image?: Buffer; signer?: 'firmwareSigning' | 'untrustedFirmwareSigning'; certificate?: string | null; retrieveInMs?: number; installInMs?: number; retries?: number } = {}) {
  const signer = pki.certificate(options.signer ?? 'firmwareSigning');
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const certificate = options.certificate === undefined ? pki.certificate('firmwareSigning').certificatePem : options.certificate;
  return {
    requestId,
    ...(options.retries !== undefined ? { retries: options.retries, retryInterval: 0 } : {}),
    firmware: {
      location: `${files.url}${options.path ?? '/good.bin'}`,
      retrieveDateTime: at(options.retrieveInMs ?? -7_200_000),
      ...(options.installInMs !== undefined ? { installDateTime: at(options.installInMs) } : {}),
      ...(certificate !== null ? { signingCertificate: certificate, signature: signData(options.image ?? GOOD, signer.privateKeyPem) } : {}),
    },
  };
}

function statuses(current: StationRig): string[] {
  return current.csms.callsOf('FirmwareStatusNotification').map((record) => String(payloadOf(record)['status']));
}

function securityEvents(current: StationRig): string[] {
  return current.csms.callsOf('SecurityEventNotification').map((record) => String(payloadOf(record)['type']));
}

async function answerOf(current: StationRig, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const outcome = await current.csms.call('UpdateFirmware', payload);
  if (outcome.kind !== 'result') throw new Error(`UpdateFirmware got ${outcome.kind}`);
  return outcome.payload;
}

describe('reference station, OCPP 2.0.1: the firmware image format', () => {
  it('installs an intact image under its version and refuses a damaged or foreign one', () => {
    expect(installableVersion(GOOD)).toBe('2.0.0');
    expect(installableVersion(DAMAGED)).toBeUndefined();
    expect(installableVersion(Buffer.concat([GOOD.subarray(0, 100), Buffer.from('x'), GOOD.subarray(101)]))).toBeUndefined();
    expect(installableVersion(Buffer.from('MZ not our firmware'))).toBeUndefined();
  });
});

describe('reference station, OCPP 2.0.1: secure firmware update (L01)', () => {
  it('downloads, verifies, installs, reboots into the new firmware and reports Installed and FirmwareUpdated', async () => {
    rig = await startStation();
    expect(await answerOf(rig, updateFirmware(11))).toEqual({ status: 'Accepted' });
    const boot = payloadOf(await rig.csms.waitForCall('BootNotification', 2));
    expect(boot).toMatchObject({ reason: 'FirmwareUpdate', chargingStation: { firmwareVersion: '2.0.0' } });
    await rig.csms.waitUntil(() => securityEvents(rig!).includes('FirmwareUpdated'));
    expect(statuses(rig)).toEqual(['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting', 'Installed']);
    expect(rig.csms.callsOf('FirmwareStatusNotification').every((record) => payloadOf(record)['requestId'] === 11)).toBe(true);
    // L01.FR.32 a: InstallRebooting before the reboot, Installed by the new firmware after it.
    const installed = rig.csms.callsOf('FirmwareStatusNotification').at(-1)!;
    expect(rig.csms.records.indexOf(installed)).toBeGreaterThan(rig.csms.records.indexOf(rig.csms.callsOf('BootNotification')[1]!));
    // L01.FR.25: triggered after Installed, the status is Idle.
    await rig.csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    expect(payloadOf(await rig.csms.waitForCall('FirmwareStatusNotification', 7))).toEqual({ status: 'Idle' });
  });

  it('refuses a signing certificate not issued by its manufacturer root, or none at all, with InvalidCertificate and a security event', async () => {
    rig = await startStation();
    const downloadsBefore = files.gets.length;
    expect(await answerOf(rig, updateFirmware(12, { signer: 'untrustedFirmwareSigning', certificate: pki.certificate('untrustedFirmwareSigning').certificatePem }))).toMatchObject({ status: 'InvalidCertificate' });
    await rig.csms.waitUntil(() => securityEvents(rig!).includes('InvalidFirmwareSigningCertificate'));
    expect(await answerOf(rig, updateFirmware(13, { certificate: null }))).toMatchObject({ status: 'InvalidCertificate' });
    await rig.csms.waitUntil(() => securityEvents(rig!).filter((type) => type === 'InvalidFirmwareSigningCertificate').length === 2);
    expect(statuses(rig)).toEqual([]);
    expect(files.gets.length).toBe(downloadsBefore);
  });

  it('reports InvalidSignature and the InvalidFirmwareSignature event for a signature by another key, and installs nothing', async () => {
    rig = await startStation();
    expect(await answerOf(rig, updateFirmware(14, { signer: 'untrustedFirmwareSigning' }))).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => securityEvents(rig!).includes('InvalidFirmwareSignature'));
    expect(statuses(rig)).toEqual(['Downloading', 'Downloaded', 'InvalidSignature']);
    expect(rig.csms.callsOf('BootNotification')).toHaveLength(1);
  });

  it('waits for retrieveDateTime (DownloadScheduled) and installDateTime (InstallScheduled)', async () => {
    rig = await startStation();
    const sentAtMs = Date.now();
    expect(await answerOf(rig, updateFirmware(15, { retrieveInMs: 300, installInMs: 600 }))).toEqual({ status: 'Accepted' });
    const downloading = await rig.csms.waitForCall('FirmwareStatusNotification', 2);
    expect(Date.parse(downloading.timestamp) - sentAtMs).toBeGreaterThanOrEqual(290);
    const installing = await rig.csms.waitForCall('FirmwareStatusNotification', 6);
    expect(Date.parse(installing.timestamp) - sentAtMs).toBeGreaterThanOrEqual(590);
    expect(statuses(rig).slice(0, 5)).toEqual(['DownloadScheduled', 'Downloading', 'Downloaded', 'SignatureVerified', 'InstallScheduled']);
    expect(payloadOf(installing)['status']).toBe('Installing');
  });

  it('tries the download once more per retry, then reports DownloadFailed', async () => {
    rig = await startStation();
    const before = files.gets.length;
    expect(await answerOf(rig, updateFirmware(16, { path: '/missing.bin', retries: 1 }))).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => statuses(rig!).includes('DownloadFailed'));
    expect(statuses(rig)).toEqual(['Downloading', 'Downloading', 'DownloadFailed']);
    expect(files.gets.slice(before)).toEqual(['/missing.bin', '/missing.bin']);
  });

  it('reports InstallVerificationFailed for a properly signed image that fails its install verification, and keeps its firmware', async () => {
    rig = await startStation();
    expect(await answerOf(rig, updateFirmware(17, { path: '/damaged.bin', image: DAMAGED }))).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => statuses(rig!).includes('InstallVerificationFailed'));
    expect(statuses(rig)).toEqual(['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallVerificationFailed']);
    // L01.FR.26: triggered, the last status is repeated.
    await rig.csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    expect(payloadOf(await rig.csms.waitForCall('FirmwareStatusNotification', 6))).toEqual({ status: 'InstallVerificationFailed', requestId: 17 });
    expect(rig.csms.callsOf('BootNotification')).toHaveLength(1);
  });

  it('cancels a scheduled update for a new request with AcceptedCanceled (L01.FR.24)', async () => {
    rig = await startStation();
    expect(await answerOf(rig, updateFirmware(18, { retrieveInMs: 60_000 }))).toEqual({ status: 'Accepted' });
    await rig.csms.waitForCall('FirmwareStatusNotification');
    expect(await answerOf(rig, updateFirmware(19, { path: '/missing.bin' }))).toEqual({ status: 'AcceptedCanceled' });
    await rig.csms.waitUntil(() => statuses(rig!).includes('DownloadFailed'));
    expect(rig.csms.callsOf('FirmwareStatusNotification').map((record) => payloadOf(record)['requestId'])).toEqual([18, 19, 19]);
  });
});

describe('reference station, OCPP 2.0.1: firmware behaviour faults', () => {
  it('firmware-skips-signature-check installs a badly signed image without SignatureVerified', async () => {
    rig = await startStation(['behaviour:firmware-skips-signature-check']);
    expect(await answerOf(rig, updateFirmware(21, { signer: 'untrustedFirmwareSigning' }))).toEqual({ status: 'Accepted' });
    await rig.csms.waitUntil(() => statuses(rig!).includes('Installed'));
    expect(statuses(rig)).toEqual(['Downloading', 'Downloaded', 'Installing', 'InstallRebooting', 'Installed']);
  });

  it('firmware-wrong-request-id and firmware-no-updated-event break L01.FR.10 and L01.FR.31', async () => {
    rig = await startStation(['behaviour:firmware-wrong-request-id', 'behaviour:firmware-no-updated-event']);
    await answerOf(rig, updateFirmware(22));
    await rig.csms.waitUntil(() => statuses(rig!).includes('Installed'));
    // The station's CALLs go out one at a time: an event after Installed would come before the triggered status.
    await rig.csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    await rig.csms.waitForCall('FirmwareStatusNotification', 7);
    expect(new Set(rig.csms.callsOf('FirmwareStatusNotification').slice(0, 6).map((record) => payloadOf(record)['requestId']))).toEqual(new Set([23]));
    expect(securityEvents(rig)).not.toContain('FirmwareUpdated');
  });
});
