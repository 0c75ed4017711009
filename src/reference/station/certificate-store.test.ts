import { describe, expect, it } from 'vitest';
import { TestPki } from '../../pki/index.js';
import { CertificateStore, hashDataOf } from './certificate-store.js';

const pki = new TestPki();

describe('the reference station certificate store', () => {
  it('keeps certificates by type, finds and removes them by hash data, and never installs one twice', () => {
    const csmsRoot = { certificateType: 'CSMSRootCertificate', pem: pki.certificate('csmsRoot').certificatePem };
    const manufacturerRoot = { certificateType: 'ManufacturerRootCertificate', pem: pki.certificate('manufacturerRoot').certificatePem };
    const store = new CertificateStore([csmsRoot]);
    store.install(manufacturerRoot);
    store.install(manufacturerRoot);
    expect(store.ofTypes().map((certificate) => certificate.certificateType)).toEqual(['CSMSRootCertificate', 'ManufacturerRootCertificate']);
    expect(store.ofTypes(['ManufacturerRootCertificate'])).toEqual([manufacturerRoot]);
    expect(hashDataOf(csmsRoot)).toEqual(pki.hashData('csmsRoot'));

    expect(store.find({ ...pki.hashData('csmsRoot'), serialNumber: pki.hashData('csmsRoot').serialNumber.toUpperCase() })).toEqual(csmsRoot);
    expect(store.remove(pki.hashData('unknownRoot'))).toBe(false);
    expect(store.remove(pki.hashData('csmsRoot'))).toBe(true);
    expect(store.ofTypes(['CSMSRootCertificate'])).toEqual([]);
  });
});
