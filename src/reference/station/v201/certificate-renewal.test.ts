import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateForCsr, checkCsr, TestPki } from '../../../pki/index.js';
import type { Payload } from '../../../protocol/index.js';
import { payloadOf, startStationRig, type StationRig, type TestCsms } from '../station.test-support.js';

// Generating an RSA key blocks the station for a moment; on a loaded host that is seconds.
const SLOW_MS = 30_000;
// One PKI for the file: issuing keys is the slow part.
const pki = new TestPki();
const delivered = [{ certificateType: 'CSMSRootCertificate', pem: pki.certificate('csmsRoot').certificatePem }];
/** The station, its CSMS root installed, at a CSMS that accepts every CSR (A02.FR.11). */
const renewing = { certificates: delivered, prepare: (csms: TestCsms) => void (csms.answers['SignCertificate'] = () => ({ payload: { status: 'Accepted' } })) };

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

/** Triggers a renewal and returns the n-th CSR the station sent (A02.FR.02/03). */
async function triggeredCsr(count: number): Promise<string> {
  expect(await answer('TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' })).toEqual({ status: 'Accepted' });
  return String(payloadOf(await rig!.csms.waitForCall('SignCertificate', count, SLOW_MS))['csr']);
}

const signed = (certificateChain: string) => answer('CertificateSigned', { certificateChain, certificateType: 'ChargingStationCertificate' });
const securityEvents = () => rig!.csms.callsOf('SecurityEventNotification').map((record) => payloadOf(record)['type']);

describe('reference station, OCPP 2.0.1: certificate renewal by request of the CSMS (A02)', { timeout: 150_000 }, () => {
  it('sends a CSR for a new key naming itself and its operator, and accepts the certificate the CSMS root issues for it', async () => {
    rig = await startStationRig('2.0.1', { ...renewing, stationId: 'RENEW-1' });
    const csr = await triggeredCsr(1);
    const check = checkCsr(csr, { commonName: 'RENEW-1', organization: 'ocpp-harness' });
    expect(check.ok).toBe(true);
    expect(payloadOf(rig.csms.callsOf('SignCertificate')[0])['certificateType']).toBe('ChargingStationCertificate');
    // A02.FR.02: each renewal has a key of its own.
    const again = await triggeredCsr(2);
    expect(again).not.toBe(csr);
    expect(await signed(certificateForCsr(again, pki.certificate('csmsRoot')))).toEqual({ status: 'Accepted' });
    expect(securityEvents()).not.toContain('InvalidChargingStationCertificate');
  });

  it('rejects a certificate of an unknown CA, for another CN, for another key, expired, or for no pending CSR, each with a security event (A02.FR.06/07)', async () => {
    rig = await startStationRig('2.0.1', { ...renewing, stationId: 'RENEW-2' });
    const variants = [
      (csr: string) => certificateForCsr(csr, pki.certificate('unknownRoot')),
      (csr: string) => certificateForCsr(csr, pki.certificate('csmsRoot'), 'otherCommonName'),
      (csr: string) => certificateForCsr(csr, pki.certificate('csmsRoot'), 'otherKey'),
      (csr: string) => certificateForCsr(csr, pki.certificate('csmsRoot'), 'expired'),
    ];
    for (const [index, variant] of variants.entries()) {
      const reply = await signed(variant(await triggeredCsr(index + 1)));
      expect(reply['status'], `variant ${index}`).toBe('Rejected');
      expect(reply['statusInfo']).toMatchObject({ reasonCode: 'InvalidCertificate' });
      await rig.csms.waitUntil(() => securityEvents().filter((type) => type === 'InvalidChargingStationCertificate').length === index + 1, SLOW_MS);
    }
    // The CSR was discarded with the certificate: a valid certificate for it now has nothing to answer.
    const last = String(payloadOf(rig.csms.callsOf('SignCertificate').at(-1))['csr']);
    expect((await signed(certificateForCsr(last, pki.certificate('csmsRoot'))))['status']).toBe('Rejected');
  });

  it('sends an unanswered CSR again after CertSigningWaitMinimum, then after twice that, CertSigningRepeatTimes times (A02.FR.17/18/19)', async () => {
    rig = await startStationRig('2.0.1', renewing);
    const setting = (name: string, attributeValue: string) => ({ component: { name: 'SecurityCtrlr' }, variable: { name }, attributeValue });
    await answer('SetVariables', { setVariableData: [setting('CertSigningWaitMinimum', '1'), setting('CertSigningRepeatTimes', '2')] });
    const first = await triggeredCsr(1);
    const second = await rig.csms.waitForCall('SignCertificate', 2, SLOW_MS);
    const third = await rig.csms.waitForCall('SignCertificate', 3, SLOW_MS);
    const at = (record: { timestamp: string }) => Date.parse(record.timestamp);
    const sent = rig.csms.callsOf('SignCertificate');
    expect(at(second) - at(sent[0]!)).toBeGreaterThanOrEqual(900);
    expect(at(third) - at(second)).toBeGreaterThanOrEqual(1900);
    expect(payloadOf(third)['csr']).toBe(first);
    // A02.FR.19: the repeats are used up, no fourth request.
    await expect(rig.csms.waitForCall('SignCertificate', 4, 4500)).rejects.toThrow(/timed out/);
    expect(new X509Certificate(certificateForCsr(first, pki.certificate('csmsRoot'))).subject).toMatch(/CN=CS001/);
    expect(await signed(certificateForCsr(first, pki.certificate('csmsRoot')))).toEqual({ status: 'Accepted' });
  });

  it('ends a renewal whose CSR the CSMS rejected: no repeat (TC_A_15_CS)', async () => {
    rig = await startStationRig('2.0.1', { certificates: delivered, prepare: (csms) => void (csms.answers['SignCertificate'] = () => ({ payload: { status: 'Rejected' } })) });
    await answer('SetVariables', { setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'CertSigningWaitMinimum' }, attributeValue: '1' }] });
    await triggeredCsr(1);
    await expect(rig.csms.waitForCall('SignCertificate', 2, 2500)).rejects.toThrow(/timed out/);
  });
});
