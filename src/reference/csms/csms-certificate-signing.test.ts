import { createPrivateKey, X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { certificateProblem, createCsr, TestPki } from '../../pki/index.js';
import type { OcppVersion, Payload } from '../../protocol/index.js';
import type { CallOutcome } from '../../session/index.js';
import { parseFault } from '../faults.js';
import { bootRequest, startRig, type TestRig } from './csms.test-support.js';

const pki = new TestPki();
const OPERATOR = 'Lab CSO';
let rig: TestRig | undefined;

/** The payload of a CALLRESULT; anything else fails the test. */
function answerOf(outcome: CallOutcome): Payload {
  if (outcome.kind !== 'result') throw new Error(`expected a CALLRESULT, got ${outcome.kind}`);
  return outcome.payload;
}
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A station booted at a CSMS that signs with the PKI's csmsRoot and expects O = OPERATOR (or has no authority). */
async function bootedStation(version: OcppVersion = '2.0.1', withAuthority = true) {
  rig = await startRig({ version, ...(withAuthority ? { certificateAuthority: { issuer: () => pki.certificate('csmsRoot'), organization: OPERATOR } } : {}) });
  const station = await rig.connect({ stationId: 'CS001' });
  await station.call('BootNotification', bootRequest(version));
  return station;
}

describe('the reference CSMS signs the CSRs its stations send (SignCertificate → CertificateSigned, A02/A03)', { timeout: 30_000 }, () => {
  it('accepts a valid CSR (A02.FR.11) and sends back a certificate of csmsRoot for the station\'s own key, with the type asked for (A02.FR.14)', async () => {
    const station = await bootedStation();
    const { csrPem, privateKeyPem } = createCsr({ commonName: 'CS001', organization: OPERATOR }, 'ECDSA-P256');
    const signed = station.nextCsmsCall('CertificateSigned');
    expect(answerOf(await station.call('SignCertificate', { csr: csrPem, certificateType: 'ChargingStationCertificate' }))).toEqual({ status: 'Accepted' });
    const payload = (await signed)?.payload as { certificateChain: string; certificateType: string };
    expect(payload.certificateType).toBe('ChargingStationCertificate');
    const certificate = new X509Certificate(payload.certificateChain);
    expect(certificate.subject).toBe(`CN=CS001\nO=${OPERATOR}`);
    expect(certificate.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
    expect(certificateProblem(payload.certificateChain, [pki.certificate('csmsRoot').certificatePem])).toBeUndefined();
    expect(station.schemaViolations()).toEqual([]);
  });

  it.each([
    ['another station\'s CN', createCsr({ commonName: 'CS999', organization: OPERATOR }).csrPem, 'A00.FR.511'],
    ['another operator', createCsr({ commonName: 'CS001', organization: 'Someone Else' }).csrPem, 'A00.FR.509'],
    ['a 1024-bit RSA key', createCsr({ commonName: 'CS001', organization: OPERATOR }, 'RSA-1024').csrPem, 'A00.FR.502'],
    ['text that is no CSR', 'not a csr', 'A02.FR.03'],
  ])('rejects a CSR with %s, saying why (A02.FR.12), and signs nothing', async (_what, csr, requirement) => {
    const station = await bootedStation();
    const answer = answerOf(await station.call('SignCertificate', { csr })) as { status: string; statusInfo: { reasonCode: string; additionalInfo: string } };
    expect(answer.status).toBe('Rejected');
    expect(answer.statusInfo.reasonCode).toBe('InvalidCSR');
    expect(answer.statusInfo.additionalInfo).toContain(`(${requirement})`);
    // A CertificateSigned would have been sent right after the answer, before the next exchange ends.
    await station.call('Heartbeat', {});
    expect(station.trace.records.some((record) => record.action === 'CertificateSigned')).toBe(false);
    expect(station.schemaViolations()).toEqual([]);
  });

  it('rejects every CSR when it has no certificate authority (not able to process it, A02.FR.12)', async () => {
    const station = await bootedStation('2.0.1', false);
    const answer = answerOf(await station.call('SignCertificate', { csr: createCsr({ commonName: 'CS001', organization: OPERATOR }).csrPem }));
    expect(answer).toEqual({ status: 'Rejected', statusInfo: { reasonCode: 'InvalidCSR', additionalInfo: 'this CSMS has no certificate authority to sign with' } });
  });

  it('speaks the 1.6 security extension: CertificateSigned with the chain only, a rejection with a status only', async () => {
    const station = await bootedStation('1.6');
    const signed = station.nextCsmsCall('CertificateSigned');
    expect(answerOf(await station.call('SignCertificate', { csr: createCsr({ commonName: 'CS001', organization: OPERATOR }).csrPem }))).toEqual({ status: 'Accepted' });
    expect(Object.keys((await signed)?.payload ?? {})).toEqual(['certificateChain']);
    expect(answerOf(await station.call('SignCertificate', { csr: createCsr({ commonName: 'CS002', organization: OPERATOR }).csrPem }))).toEqual({ status: 'Rejected' });
    expect(station.schemaViolations()).toEqual([]);
  });

  it('under behaviour:csr-signed-other-cn signs the CSR\'s key for a commonName the station did not ask for (breaks A02.FR.06)', async () => {
    rig = await startRig({ version: '1.6', certificateAuthority: { issuer: () => pki.certificate('csmsRoot'), organization: OPERATOR }, faults: [parseFault('behaviour:csr-signed-other-cn')] });
    const station = await rig.connect({ stationId: 'CS001' });
    await station.call('BootNotification', bootRequest('1.6'));
    const { csrPem, privateKeyPem } = createCsr({ commonName: 'CS001', organization: OPERATOR });
    const signed = station.nextCsmsCall('CertificateSigned');
    expect(answerOf(await station.call('SignCertificate', { csr: csrPem }))).toEqual({ status: 'Accepted' });
    const certificate = new X509Certificate(((await signed)?.payload as { certificateChain: string }).certificateChain);
    expect(certificate.subject).toBe(`CN=CS001-OTHER\nO=${OPERATOR}`);
    expect(certificate.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
  });
});
