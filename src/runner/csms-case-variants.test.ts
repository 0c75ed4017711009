import { describe, expect, it } from 'vitest';
import { pki, runShippedCases, verdicts } from './lab-run.test-support.js';

// Issue 13: a CSMS case accepts every form of a request the specification allows, and still fails
// the forms it forbids. Each pair runs a shipped case against the built-in CSMS with a message
// fault that turns its request into the conforming variant (must pass) or the violating one (must fail).
async function verdictUnder(id: string, fault: string): Promise<string | undefined> {
  return verdicts(await runShippedCases([id], { sut: 'csms', betweenCases: 'fresh', faults: [fault] }))[id];
}

describe('CSMS cases judge what the specification allows, not one form of it', () => {
  it('SetVariables attributeType: absent means Actual (Part 2 SetVariableDataType); Actual given passes, Target fails', async () => {
    expect(await verdictUnder('TC_B_09_CSMS', 'set:SetVariables.setVariableData.0.attributeType="Actual"')).toBe('pass');
    expect(await verdictUnder('TC_B_09_CSMS', 'set:SetVariables.setVariableData.0.attributeType="Target"')).toBe('fail');
  }, 30_000);

  it('GetVariables attributeType: absent (Actual) or any attribute passes (Part 2 GetVariableDataType)', async () => {
    expect(await verdictUnder('TC_B_06_CSMS', 'set:GetVariables.getVariableData.0.attributeType="Actual"')).toBe('pass');
    expect(await verdictUnder('TC_B_06_CSMS', 'set:GetVariables.getVariableData.0.attributeType="MaxSet"')).toBe('pass');
  }, 30_000);

  it('GetInstalledCertificateIds before a delete: omitted (all types) or a list with CSMSRootCertificate passes (Part 6 TC_M_21_CSMS)', async () => {
    expect(await verdictUnder('TC_M_21_CSMS', 'omit:GetInstalledCertificateIds.certificateType')).toBe('pass');
    expect(await verdictUnder('TC_M_21_CSMS', 'set:GetInstalledCertificateIds.certificateType=["ManufacturerRootCertificate","CSMSRootCertificate"]')).toBe('pass');
    expect(await verdictUnder('TC_M_21_CSMS', 'set:GetInstalledCertificateIds.certificateType=["ManufacturerRootCertificate"]')).toBe('fail');
  }, 30_000);

  it('DeleteCertificate names the reported certificate: hex in capitals passes, another algorithm fails (M04.FR.07)', async () => {
    const reported = pki().hashData('csmsRoot2');
    expect(await verdictUnder('TC_M_21_CSMS', `set:DeleteCertificate.certificateHashData.issuerKeyHash="${reported.issuerKeyHash.toUpperCase()}"`)).toBe('pass');
    expect(await verdictUnder('TC_M_21_CSMS', 'set:DeleteCertificate.certificateHashData.hashAlgorithm="SHA512"')).toBe('fail');
  }, 30_000);
});
