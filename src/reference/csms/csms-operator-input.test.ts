import { afterEach, describe, expect, it } from 'vitest';
import { TestPki } from '../../pki/index.js';
import { bootRequest, startRig, type TestRig, type TestStation } from './csms.test-support.js';

// What the CSMS test cases handed the CSMS before they used the run's test PKI (issue 13).
const PLACEHOLDER_PEM = '-----BEGIN CERTIFICATE-----\nMIIBharnessCaCertificatePlaceholder\n-----END CERTIFICATE-----';
const PLACEHOLDER_HASH_DATA = { hashAlgorithm: 'SHA256', issuerNameHash: '9f2a6c0e1d4b3a5f7e8d9c0b1a2f3e4d5c6b7a8f', issuerKeyHash: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d', serialNumber: '4e1f2a' };

const pki = new TestPki();
let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function bootedStation(): Promise<{ station: TestStation; send: (params: Record<string, unknown>) => unknown }> {
  rig = await startRig({ version: '2.0.1' });
  const station = await rig.connect();
  await station.call('BootNotification', bootRequest('2.0.1'));
  return { station, send: (params) => rig!.csms.control.perform('csmsSend', { ...params, awaitResponse: true }) };
}

describe('the reference CSMS checks what its operator hands it, as a real CSMS does', () => {
  it('installs only a certificate that parses as X.509 PEM (M05)', async () => {
    const { station, send } = await bootedStation();
    expect(await send({ action: 'InstallCertificate', payload: { certificateType: 'CSMSRootCertificate', certificate: PLACEHOLDER_PEM } }))
      .toMatchObject({ status: 'failed', reason: expect.stringContaining('not a PEM-encoded X.509 certificate') });
    const arriving = station.nextCsmsCall('InstallCertificate');
    const certificate = pki.certificate('csmsRoot2').certificatePem;
    expect(await send({ action: 'InstallCertificate', payload: { certificateType: 'CSMSRootCertificate', certificate } })).toMatchObject({ status: 'done' });
    expect((await arriving)?.payload).toEqual({ certificateType: 'CSMSRootCertificate', certificate });
    // The refused request never reached the station.
    expect(station.trace.records.filter((record) => record.action === 'InstallCertificate' && record.messageType === 'CALL')).toHaveLength(1);
  });

  it('sends a firmware update only with a URL and a signing certificate that parses (L01)', async () => {
    const { send } = await bootedStation();
    const firmware = { location: 'http://127.0.0.1:1/firmware.bin', retrieveDateTime: '2025-03-04T05:06:07.000Z', signingCertificate: pki.certificate('firmwareSigning').certificatePem, signature: 'c2lnbmF0dXJl' };
    const update = (changes: Record<string, unknown>) => send({ action: 'UpdateFirmware', payload: { requestId: 1, firmware: { ...firmware, ...changes } } });
    expect(await update({ signingCertificate: PLACEHOLDER_PEM.replace('Ca', 'FirmwareSigning') })).toMatchObject({ status: 'failed', reason: expect.stringContaining('firmware signing certificate is not a PEM') });
    expect(await update({ location: 'firmware.bin' })).toMatchObject({ status: 'failed', reason: expect.stringContaining('is not a URL') });
    expect(await update({})).toMatchObject({ status: 'done' });
  });

  it('sends a network profile only for a CSMS URL a station can reach (B09)', async () => {
    const { send } = await bootedStation();
    const connectionData = { ocppVersion: 'OCPP20', ocppTransport: 'JSON', messageTimeout: 30, securityProfile: 0, ocppInterface: 'Wired0' };
    const profile = (ocppCsmsUrl: string) => send({ action: 'SetNetworkProfile', payload: { configurationSlot: 2, connectionData: { ...connectionData, ocppCsmsUrl } } });
    // What TC_B_42/44_CSMS handed the CSMS before they used the CSMS's own URL (target.url).
    expect(await profile('wss://csms.example.invalid/ocpp')).toMatchObject({ status: 'failed', reason: expect.stringContaining('never resolves') });
    expect(await profile('https://csms.example.com/ocpp')).toMatchObject({ status: 'failed', reason: expect.stringContaining('not a ws:// or wss:// URL') });
    expect(await profile(`${rig!.url}/ocpp`)).toMatchObject({ status: 'done' });
  });

  it('deletes only by hash data of a certificate it installed or the station reported (M04.FR.07)', async () => {
    const { station, send } = await bootedStation();
    const reported = pki.hashData('manufacturerRoot');
    station.session.setCallHandler((call) => ({
      payload: call.action === 'GetInstalledCertificateIds'
        ? { status: 'Accepted', certificateHashDataChain: [{ certificateType: 'ManufacturerRootCertificate', certificateHashData: reported }, { certificateType: 'CSMSRootCertificate', certificateHashData: PLACEHOLDER_HASH_DATA }] }
        : { status: 'Accepted' },
    }));
    const remove = (certificateHashData: unknown) => send({ action: 'DeleteCertificate', payload: { certificateHashData } });
    expect(await remove(pki.hashData('csmsRoot2', 'SHA384'))).toMatchObject({ status: 'failed', reason: expect.stringContaining('name no certificate') });
    expect(await send({ action: 'InstallCertificate', payload: { certificateType: 'CSMSRootCertificate', certificate: pki.certificate('csmsRoot2').certificatePem } })).toMatchObject({ status: 'done' });
    expect(await remove(pki.hashData('csmsRoot2', 'SHA384'))).toMatchObject({ status: 'done' });
    expect(await remove(reported)).toMatchObject({ status: 'failed' });
    expect(await send({ action: 'GetInstalledCertificateIds', payload: {} })).toMatchObject({ status: 'done' });
    expect(await remove(reported)).toMatchObject({ status: 'done' });
    // A 40-digit hash is no SHA256 digest, even when the station reported it.
    expect(await remove(PLACEHOLDER_HASH_DATA)).toMatchObject({ status: 'failed', reason: expect.stringContaining('not CertificateHashDataType hashes') });
  });
});
