import { describe, expect, it } from 'vitest';
import { certificateHashData, verifySignature } from '../pki/index.js';
import { caseFile, runAgainstScript, writeTree } from './engine-harness.test-support.js';

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
});
