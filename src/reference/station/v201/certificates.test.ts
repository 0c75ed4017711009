import { afterEach, describe, expect, it } from 'vitest';
import { certificateHashData, issueCertificate, TestPki, type TestCertificateName } from '../../../pki/index.js';
import type { Payload } from '../../../protocol/index.js';
import { startStationRig, type StationRig } from '../station.test-support.js';
import { CERTIFICATE_ENTRIES_MAX } from './certificates.js';

// One PKI for the file: issuing keys is the slow part.
const pki = new TestPki();
const pem = (name: TestCertificateName) => pki.certificate(name).certificatePem;
const factoryCertificates = [
  { certificateType: 'ManufacturerRootCertificate', pem: pem('manufacturerRoot') },
  { certificateType: 'CSMSRootCertificate', pem: pem('csmsRoot') },
];

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function answer(action: string, payload: Payload): Promise<Record<string, any>> {
  const outcome = await rig!.csms.call(action, payload);
  if (outcome.kind !== 'result') throw new Error(`${action}: ${outcome.kind}`);
  return outcome.payload as Record<string, any>;
}

const install = (certificateType: string, certificate: string) => answer('InstallCertificate', { certificateType, certificate });
const list = (certificateType?: string[]) => answer('GetInstalledCertificateIds', certificateType ? { certificateType } : {});
const entry = (certificateType: string, name: TestCertificateName) => ({ certificateType, certificateHashData: pki.hashData(name) });

describe('reference station, OCPP 2.0.1: certificate management (M03, M04, M05)', () => {
  it('installs valid roots, rejects expired and unreadable ones, and reports what it holds by type', async () => {
    rig = await startStationRig('2.0.1', { certificates: factoryCertificates });
    expect(await install('CSMSRootCertificate', pem('csmsRoot2'))).toEqual({ status: 'Accepted' });
    expect(await install('ManufacturerRootCertificate', pem('manufacturerRoot2'))).toEqual({ status: 'Accepted' });
    // M05.FR.17: installing a present certificate again replaces it; it is still listed once.
    expect(await install('CSMSRootCertificate', pem('csmsRoot2'))).toEqual({ status: 'Accepted' });
    // M05.FR.07.
    expect(await install('CSMSRootCertificate', pem('expiredRoot'))).toEqual({ status: 'Rejected', statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: 'expired' } });
    expect((await install('V2GRootCertificate', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n'))['status']).toBe('Rejected');

    // M03.FR.03/04: by type, several types, all types; M03.FR.02: NotFound without hash data.
    expect(await list(['CSMSRootCertificate'])).toEqual({ status: 'Accepted', certificateHashDataChain: [entry('CSMSRootCertificate', 'csmsRoot'), entry('CSMSRootCertificate', 'csmsRoot2')] });
    expect((await list(['ManufacturerRootCertificate', 'CSMSRootCertificate']))['certificateHashDataChain']).toHaveLength(4);
    expect((await list())['certificateHashDataChain']).toEqual([
      entry('ManufacturerRootCertificate', 'manufacturerRoot'), entry('CSMSRootCertificate', 'csmsRoot'),
      entry('CSMSRootCertificate', 'csmsRoot2'), entry('ManufacturerRootCertificate', 'manufacturerRoot2'),
    ]);
    expect(await list(['MORootCertificate', 'V2GCertificateChain'])).toEqual({ status: 'NotFound' });
    const entries = await answer('GetVariables', { getVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'CertificateEntries' } }] });
    expect(entries['getVariableResult'][0]).toMatchObject({ attributeStatus: 'Accepted', attributeValue: '4' });
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('deletes a certificate named in any hash algorithm, answers NotFound for unknown hash data, and keeps its certificates across a reboot', async () => {
    rig = await startStationRig('2.0.1', { certificates: factoryCertificates });
    await install('CSMSRootCertificate', pem('csmsRoot2'));
    // M04.FR.04.
    expect(await answer('DeleteCertificate', { certificateHashData: pki.hashData('unknownRoot') })).toEqual({ status: 'NotFound' });
    // M04.FR.02, named in SHA384 (M04.FR.07 lets the CSMS use the station's algorithm, whichever it is).
    const sha384 = certificateHashData(pem('csmsRoot2'), pem('csmsRoot2'), 'SHA384');
    expect(await answer('DeleteCertificate', { certificateHashData: { ...sha384, serialNumber: sha384.serialNumber.toUpperCase() } })).toEqual({ status: 'Accepted' });
    expect(await answer('DeleteCertificate', { certificateHashData: sha384 })).toEqual({ status: 'NotFound' });

    await answer('Reset', { type: 'Immediate' });
    await rig.csms.waitForCall('BootNotification', 2);
    expect(await list(['CSMSRootCertificate'])).toEqual({ status: 'Accepted', certificateHashDataChain: [entry('CSMSRootCertificate', 'csmsRoot')] });
    // The remark of M04: even the last CSMS root may be deleted.
    expect(await answer('DeleteCertificate', { certificateHashData: pki.hashData('csmsRoot') })).toEqual({ status: 'Accepted' });
    expect(await list(['CSMSRootCertificate'])).toEqual({ status: 'NotFound' });
  });

  it('refuses a certificate beyond CertificateEntries.maxLimit (M05.FR.06)', async () => {
    rig = await startStationRig('2.0.1', { certificates: factoryCertificates });
    // A certificate under another type is another entry: the PKI's roots fill the store without new keys.
    const fill: Array<[string, TestCertificateName]> = [
      ['CSMSRootCertificate', 'csmsRoot2'], ['ManufacturerRootCertificate', 'manufacturerRoot2'], ['V2GRootCertificate', 'v2gRoot'], ['MORootCertificate', 'moRoot'],
      ['MORootCertificate', 'csmsRoot2'], ['V2GRootCertificate', 'csmsRoot2'], ['MORootCertificate', 'manufacturerRoot2'], ['V2GRootCertificate', 'manufacturerRoot2'],
    ];
    expect(factoryCertificates.length + fill.length).toBe(CERTIFICATE_ENTRIES_MAX);
    for (const [certificateType, name] of fill) expect(await install(certificateType, pem(name))).toEqual({ status: 'Accepted' });
    expect(await install('V2GRootCertificate', pem('moRoot'))).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'OutOfStorage' } });
  });

  it('with AdditionalRootCertificateCheck: only a CSMS root signed by the installed one replaces it; the old one stays until the next connection (M05.FR.10-13)', async () => {
    rig = await startStationRig('2.0.1', { certificates: factoryCertificates, settings: { 'SecurityCtrlr.AdditionalRootCertificateCheck': 'true' } });
    // M05.FR.11: Root 2 is not signed by Root 1.
    expect(await install('CSMSRootCertificate', pem('csmsRoot2'))).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'InvalidCertificate' } });
    const successor = issueCertificate({ commonName: 'CSMS Root 1 successor', issuer: pki.certificate('csmsRoot'), isCa: true }).certificatePem;
    // M05.FR.12: installed, Root 1 kept as the fallback.
    expect(await install('CSMSRootCertificate', successor)).toEqual({ status: 'Accepted' });
    expect((await list(['CSMSRootCertificate']))['certificateHashDataChain']).toHaveLength(2);

    // M05.FR.13: connected again with the new root, the fallback goes.
    await answer('Reset', { type: 'Immediate' });
    await rig.csms.waitForCall('SecurityEventNotification', 2);
    const chain = (await list(['CSMSRootCertificate']))['certificateHashDataChain'] as unknown[];
    expect(chain).toHaveLength(1);
    expect(chain).not.toContainEqual(entry('CSMSRootCertificate', 'csmsRoot'));
  });

  it('acts out its certificate behaviour faults', async () => {
    rig = await startStationRig('2.0.1', {
      certificates: factoryCertificates,
      faultTexts: ['behaviour:accept-invalid-certificate', 'behaviour:wrong-certificate-hash', 'behaviour:first-certificate-type-only', 'behaviour:omitted-type-matches-nothing', 'behaviour:delete-unknown-accepted', 'behaviour:delete-not-removed'],
    });
    expect(await install('CSMSRootCertificate', pem('expiredRoot'))).toEqual({ status: 'Accepted' });
    const chain = (await list(['CSMSRootCertificate', 'ManufacturerRootCertificate']))['certificateHashDataChain'] as Array<{ certificateType: string; certificateHashData: { serialNumber: string } }>;
    expect(chain.map((item) => item.certificateType)).toEqual(['CSMSRootCertificate', 'CSMSRootCertificate']);
    expect(chain[0]!.certificateHashData.serialNumber).toBe(BigInt(`0x${pki.hashData('csmsRoot').serialNumber}`).toString(10));
    expect(await list()).toEqual({ status: 'NotFound' });
    expect(await answer('DeleteCertificate', { certificateHashData: pki.hashData('unknownRoot') })).toEqual({ status: 'Accepted' });
    expect(await answer('DeleteCertificate', { certificateHashData: pki.hashData('csmsRoot') })).toEqual({ status: 'Accepted' });
    expect((await list(['CSMSRootCertificate']))['certificateHashDataChain']).toHaveLength(2);
  });

  it('behaviour:install-not-kept and behaviour:ignore-certificate-type', async () => {
    rig = await startStationRig('2.0.1', { certificates: factoryCertificates, faultTexts: ['behaviour:install-not-kept', 'behaviour:ignore-certificate-type'] });
    expect(await install('CSMSRootCertificate', pem('csmsRoot2'))).toEqual({ status: 'Accepted' });
    expect(await list(['MORootCertificate'])).toEqual({ status: 'Accepted', certificateHashDataChain: [entry('ManufacturerRootCertificate', 'manufacturerRoot'), entry('CSMSRootCertificate', 'csmsRoot')] });
  });

  it('removes its CSMS roots by other means than OCPP and installs them again (device actions of TC_A_20_CS)', async () => {
    rig = await startStationRig('2.0.1', { certificates: factoryCertificates });
    expect(await rig.station.control.perform('removeCsmsRoots', {})).toMatchObject({ status: 'done' });
    expect(await list(['CSMSRootCertificate'])).toEqual({ status: 'NotFound' });
    expect((await list())['certificateHashDataChain']).toEqual([entry('ManufacturerRootCertificate', 'manufacturerRoot')]);
    expect(await rig.station.control.perform('restoreCsmsRoots', {})).toMatchObject({ status: 'done' });
    expect(await list(['CSMSRootCertificate'])).toEqual({ status: 'Accepted', certificateHashDataChain: [entry('CSMSRootCertificate', 'csmsRoot')] });
  });
});
