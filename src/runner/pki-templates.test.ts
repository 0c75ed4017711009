import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateForCsr, certificateHashData, checkCsr, createCsr, csrAnswerProblem, TestPki, verifySignature } from '../pki/index.js';
import { caseFile, csmsCaseFile, runAgainstCsms, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import type { Session } from '../session/index.js';
import { failureOf } from './results.test-support.js';

describe('the test PKI in test cases', () => {
  // It issues RSA certificates and signs with them: seconds on a busy host, past the 5 s default.
  it('offers certificates, their hash data (as an object) and firmware signatures as pki.*', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_PKI_01_CS.yaml': caseFile('OH_PKI_01_CS', `
  - send: InstallCertificate
    payload: { certificateType: CSMSRootCertificate, certificate: '{{pki.csmsRoot2.pem}}' }
    match: { status: Accepted }
    checks: [R.1]
  - send: DeleteCertificate
    payload: { certificateHashData: '{{pki.csmsRoot2.hashData}}' }
    match: { status: Accepted }
    checks: [R.1]
  - send: UpdateFirmware
    payload: { requestId: 7, firmware: { location: '{{files.firmwareUrl}}', retrieveDateTime: '{{now}}', signingCertificate: '{{pki.firmwareSigning.pem}}', signature: '{{pki.firmwareSignature}}' } }
    match: { status: Accepted }
    checks: [R.1]
`),
    });
    const received: Record<string, Record<string, unknown>> = {};
    let image = Buffer.alloc(0);
    const result = await runAgainstScript(root, {
      onCall: async (call) => {
        received[call.action] = call.payload;
        // Download while the run's file server is up, as a station would.
        if (call.action === 'UpdateFirmware') image = Buffer.from(await (await fetch((call.payload['firmware'] as { location: string }).location)).arrayBuffer());
        return { payload: { status: 'Accepted' } };
      },
    });
    expect(result.cases[0]?.verdict).toBe('pass');
    const rootPem = String(received['InstallCertificate']?.['certificate']);
    expect(rootPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(received['DeleteCertificate']?.['certificateHashData']).toEqual(certificateHashData(rootPem));
    const firmware = received['UpdateFirmware']?.['firmware'] as { location: string; signingCertificate: string; signature: string };
    expect(image.length).toBeGreaterThan(0);
    expect(verifySignature(image, firmware.signature, firmware.signingCertificate)).toBe(true);
  }, 30_000);

  it('signs the CSR a station sent, validly and in each invalid variant, and checks the CSR with $csr', async () => {
    // The last renders the first again: one certificate per CSR, issuer and variant (TC_074_CS names it again).
    const variants = ["pki.csmsRoot", "pki.unknownRoot", "pki.csmsRoot 'expired'", "pki.csmsRoot 'notYetValid'", "pki.csmsRoot 'otherCommonName'", "pki.csmsRoot 'otherKey'", "pki.csmsRoot"];
    const root = writeTree({
      'ocpp2.0.1/core/OH_CSR_01_CS.yaml': caseFile('OH_CSR_01_CS', `
  - send: TriggerMessage
    payload: { requestedMessage: SignChargingStationCertificate }
    match: { status: Accepted }
    checks: [R.1]
  - expect: SignCertificate
    match: { csr: { $csr: { commonName: '{{config.stationId}}', organization: Lab Operator } }, certificateType: ChargingStationCertificate }
    capture: { csr: csr }
    reply: { status: Accepted }
    checks: [R.1]
${variants.map((issuer) => `  - send: CertificateSigned
    payload: { certificateChain: "{{signCsr captured.csr ${issuer}}}", certificateType: ChargingStationCertificate }
    match: { status: Accepted }
    checks: [R.1]
`).join('')}`),
      // A CSR for another station: the $csr check names the requirement it breaks.
      'ocpp2.0.1/core/OH_CSR_02_CS.yaml': caseFile('OH_CSR_02_CS', `
  - send: TriggerMessage
    payload: { requestedMessage: SignChargingStationCertificate }
    match: { status: Accepted }
    checks: [R.1]
  - expect: SignCertificate
    match: { csr: { $csr: { commonName: '{{config.stationId}}' } } }
    reply: { status: Accepted }
    checks: [R.1]
`),
    });
    const chains: string[] = [];
    let csrs = 0;
    const { csrPem } = createCsr({ commonName: 'CS001', organization: 'Lab Operator' });
    let station: Session | undefined;
    const result = await runAgainstScript(root, {
      onConnect: (connected) => {
        station = connected;
      },
      onCall: (call) => {
        if (call.action === 'CertificateSigned') chains.push(String(call.payload['certificateChain']));
        if (call.action === 'TriggerMessage') {
          csrs += 1;
          const csr = csrs === 1 ? csrPem : createCsr({ commonName: 'CS999' }).csrPem;
          setImmediate(() => void station?.call('SignCertificate', { csr, certificateType: 'ChargingStationCertificate' }));
        }
        return { payload: { status: 'Accepted' } };
      },
    });
    expect(result.cases.map((c) => c.verdict)).toEqual(['pass', 'fail']);
    expect(failureOf(result.cases[1])?.actual).toMatch(/subject CN is "CS999", not the station's identity "CS001" \(A00\.FR\.511\)/);
    const [valid, unknownCa, expired, notYetValid, otherName, otherKey] = chains.map((chain) => new X509Certificate(chain));
    expect(chains).toHaveLength(7);
    expect(chains[6]).toBe(chains[0]);
    expect(valid?.issuer).toMatch(/CN=ocpp-harness CSMS Root 1/);
    expect(csrAnswerProblem(chains[0]!, csrPem)).toBeUndefined();
    expect(unknownCa?.issuer).toMatch(/CN=ocpp-harness Unknown Root/);
    expect(new Date(expired!.validTo).getTime()).toBeLessThan(Date.now());
    expect(new Date(notYetValid!.validFrom).getTime()).toBeGreaterThan(Date.now());
    expect(otherName?.subject).toMatch(/CN=CS001-OTHER/);
    expect(csrAnswerProblem(chains[5]!, csrPem)).toMatch(/another key/);
    expect(otherKey?.subject).toMatch(/CN=CS001/);
  }, 60_000);

  it('as station, sends csr.<name> (CN the station identity, O security.organizationName), the same CSR all case long, and checks the answer with $answersCsr', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_CSR_03_CSMS.yaml': csmsCaseFile('OH_CSR_03_CSMS', `
  - connection: open
  - send: SignCertificate
    payload: { csr: '{{csr.station}}', certificateType: ChargingStationCertificate }
    match: { status: Accepted }
    checks: [R.1]
  - expect: CertificateSigned
    match: { certificateChain: { $answersCsr: '{{csr.station}}' } }
    reply: { status: Accepted }
    checks: [R.1]
  - expect: CertificateSigned
    match: { certificateChain: { $answersCsr: '{{csr.station}}' } }
    reply: { status: Rejected }
    checks: [R.1]
`),
    });
    const csmsRoot = new TestPki().certificate('csmsRoot');
    const received: string[] = [];
    const result = await runAgainstCsms(root, {
      onCall: (call, csms) => {
        const csr = String(call.payload['csr']);
        received.push(csr);
        // The first certificate answers the CSR; the second is for another key, as a faulty CSMS would send.
        setImmediate(() => void csms.call('CertificateSigned', { certificateChain: certificateForCsr(csr, csmsRoot) })
          .then(() => csms.call('CertificateSigned', { certificateChain: certificateForCsr(csr, csmsRoot, 'otherKey') })));
        return { payload: { status: 'Accepted' } };
      },
    }, { config: { stationId: 'LAB-7', security: { profile: 0, organizationName: 'Lab Operator' } } });
    expect(received).toHaveLength(1);
    const check = checkCsr(received[0]!, { commonName: 'LAB-7', organization: 'Lab Operator' });
    expect(check.ok).toBe(true);
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(result.cases[0]?.steps.map((step) => step.status)).toEqual(['pass', 'pass', 'pass', 'fail']);
    expect(failureOf(result.cases[0])?.actual).toMatch(/\(certificateChain: expected a certificate for the CSR sent, got the certificate is for another key than the CSR's/);
  }, 60_000);
});
