import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certificateHashData, signData, TestPki } from '../../pki/index.js';
import { createFirmwareImage } from './firmware-image.js';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

// The 1.6 security whitepaper (edition 3) extension of the reference Charge Point, over loopback.
const pki = new TestPki();
const IMAGE = createFirmwareImage('4.0.0');
let files: { server: Server; url: string };
let rig: StationRig | undefined;

beforeAll(async () => {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/image.bin') response.writeHead(200).end(IMAGE);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  files = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});
afterAll(() => new Promise<void>((resolve) => files.server.close(() => resolve())));
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function startWithManufacturerRoot(faultTexts: string[] = []): Promise<StationRig> {
  return startStationRig('1.6', { faultTexts, certificates: [{ certificateType: 'ManufacturerRootCertificate', pem: pki.certificate('manufacturerRoot').certificatePem }] });
}

function statusesOf(current: StationRig, action: string): string[] {
  return current.csms.callsOf(action).map((record) => String(payloadOf(record)['status']));
}

describe('reference station, OCPP 1.6 security whitepaper: configuration keys (§7, A05)', () => {
  it('lists AuthorizationKey without its value, and refuses a SecurityProfile that is not higher, or a short password', async () => {
    rig = await startStationRig('1.6', { security: { profile: 1, basicAuth: { password: 'a-configured-password' }, trustedRoots: { server: [], client: [] } } });
    const listed = await rig.csms.call('GetConfiguration', { key: ['AuthorizationKey', 'SecurityProfile', 'CertificateStoreMaxLength'] });
    expect(listed).toMatchObject({ kind: 'result', payload: { configurationKey: expect.arrayContaining([{ key: 'AuthorizationKey', readonly: false }, { key: 'SecurityProfile', readonly: false, value: '1' }]) } });
    expect(JSON.stringify(listed)).not.toContain('a-configured-password');
    expect(await rig.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' })).toMatchObject({ payload: { status: 'Rejected' } });
    expect(await rig.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '0' })).toMatchObject({ payload: { status: 'Rejected' } });
    // A05.FR.03: profile 2 needs a Central System root the station does not have.
    expect(await rig.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' })).toMatchObject({ payload: { status: 'Rejected' } });
    expect(await rig.csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: 'too-short' })).toMatchObject({ payload: { status: 'Rejected' } });
  });

  it('under behaviour:security-profile-downgrade takes a lower SecurityProfile', async () => {
    rig = await startStationRig('1.6', { faultTexts: ['behaviour:security-profile-downgrade'], security: { profile: 1, basicAuth: { password: 'a-configured-password' }, trustedRoots: { server: [], client: [] } } });
    expect(await rig.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '0' })).toMatchObject({ payload: { status: 'Rejected' } });
    expect(await rig.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' })).toMatchObject({ payload: { status: 'Accepted' } });
  });
});

describe('reference station, OCPP 1.6 security whitepaper: certificates (M03-M05)', () => {
  it('installs a root under its type, lists it per type, deletes it by its hash data, and rejects what is no certificate', async () => {
    rig = await startStationRig('1.6');
    const pem = pki.certificate('csmsRoot2').certificatePem;
    expect(await rig.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pem })).toMatchObject({ payload: { status: 'Accepted' } });
    const hashData = certificateHashData(pem, pem, 'SHA256');
    expect(await rig.csms.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' })).toMatchObject({ payload: { status: 'Accepted', certificateHashData: [hashData] } });
    expect(await rig.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })).toMatchObject({ payload: { status: 'NotFound' } });
    expect(await rig.csms.call('DeleteCertificate', { certificateHashData: hashData })).toMatchObject({ payload: { status: 'Accepted' } });
    expect(await rig.csms.call('DeleteCertificate', { certificateHashData: hashData })).toMatchObject({ payload: { status: 'NotFound' } });
    expect(await rig.csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: 'not a certificate' })).toMatchObject({ payload: { status: 'Rejected' } });
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('under behaviour:install-wrong-type keeps a Central System root as a manufacturer root', async () => {
    rig = await startStationRig('1.6', { faultTexts: ['behaviour:install-wrong-type'] });
    const pem = pki.certificate('csmsRoot2').certificatePem;
    await rig.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pem });
    expect(await rig.csms.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' })).toMatchObject({ payload: { status: 'NotFound' } });
    expect(await rig.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' })).toMatchObject({ payload: { status: 'Accepted' } });
  });
});

describe('reference station, OCPP 1.6 security whitepaper: SignedUpdateFirmware (L01)', () => {
  const request = (signature: string, requestId: number) => ({
    requestId,
    firmware: { location: `${files.url}/image.bin`, retrieveDateTime: new Date().toISOString(), signingCertificate: pki.certificate('firmwareSigning').certificatePem, signature },
  });

  it('verifies an RSA-PSS signature (L01.FR.04), installs and reports each step with the requestId', async () => {
    rig = await startWithManufacturerRoot();
    const signature = signData(IMAGE, pki.certificate('firmwareSigning').privateKeyPem, 'pss');
    expect(await rig.csms.call('SignedUpdateFirmware', request(signature, 11))).toMatchObject({ payload: { status: 'Accepted' } });
    await rig.csms.waitUntil(() => statusesOf(rig!, 'SignedFirmwareStatusNotification').includes('Installed'), 6000, 'Installed');
    expect(statusesOf(rig, 'SignedFirmwareStatusNotification')).toEqual(['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting', 'Installed']);
    expect(rig.csms.callsOf('SignedFirmwareStatusNotification').map((record) => payloadOf(record)['requestId'])).toEqual([11, 11, 11, 11, 11, 11]);
    expect(rig.csms.callsOf('FirmwareStatusNotification')).toEqual([]);
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('finds a legacy SHA256withRSA signature invalid and reports InvalidFirmwareSignature; behaviour:firmware-legacy-signature takes it', async () => {
    rig = await startWithManufacturerRoot();
    const legacy = signData(IMAGE, pki.certificate('firmwareSigning').privateKeyPem);
    await rig.csms.call('SignedUpdateFirmware', request(legacy, 12));
    await rig.csms.waitForCall('SecurityEventNotification');
    expect(payloadOf(rig.csms.callsOf('SecurityEventNotification').at(-1))).toMatchObject({ type: 'InvalidFirmwareSignature' });
    expect(statusesOf(rig, 'SignedFirmwareStatusNotification')).toEqual(['Downloading', 'Downloaded', 'InvalidSignature']);
    await rig.close();
    rig = await startWithManufacturerRoot(['behaviour:firmware-legacy-signature']);
    await rig.csms.call('SignedUpdateFirmware', request(legacy, 13));
    await rig.csms.waitUntil(() => statusesOf(rig!, 'SignedFirmwareStatusNotification').includes('SignatureVerified'), 4000, 'SignatureVerified');
  });
});
