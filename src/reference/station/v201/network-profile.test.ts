import { afterEach, describe, expect, it } from 'vitest';
import { TestPki } from '../../../pki/index.js';
import { startStationRig, type StationRig } from '../station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const connectionData = { messageTimeout: 30, ocppCsmsUrl: 'wss://csms.example.com/ocpp', ocppInterface: 'Wired0', ocppTransport: 'JSON', ocppVersion: 'OCPP20', securityProfile: 1 };

describe('reference station, OCPP 2.0.1: SetNetworkProfile (B09)', () => {
  it('stores a valid profile in a known slot, refuses unknown slots, bad URLs and lower security profiles', async () => {
    rig = await startStationRig('2.0.1', { security: { profile: 1, basicAuth: { password: 'reference-password-0123' }, trustedRoots: { server: [], client: [] } } });
    const status = async (payload: Record<string, unknown>) => {
      const answer = await rig!.csms.call('SetNetworkProfile', payload);
      return answer.kind === 'result' ? answer.payload['status'] : answer.kind;
    };
    expect(await status({ configurationSlot: 1, connectionData })).toBe('Accepted');
    expect(await status({ configurationSlot: 999, connectionData })).toBe('Rejected');
    expect(await status({ configurationSlot: 1, connectionData: { ...connectionData, ocppCsmsUrl: 'not a url' } })).toBe('Rejected');
    expect(await status({ configurationSlot: 1, connectionData: { ...connectionData, securityProfile: 0 } })).toBe('Rejected');
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('refuses a priority that raises the security profile without a valid CSMS root (A05.FR.02) or, for profile 3, without a station certificate (A05.FR.03)', { timeout: 30_000 }, async () => {
    const security = { profile: 1 as const, basicAuth: { password: 'reference-password-0123' }, trustedRoots: { server: [], client: [] } };
    const root = { certificateType: 'CSMSRootCertificate', pem: new TestPki().certificate('csmsRoot').certificatePem };
    const priorityStatus = async (securityProfile: number) => {
      await rig!.csms.call('SetNetworkProfile', { configurationSlot: 1, connectionData: { ...connectionData, securityProfile } });
      const answer = await rig!.csms.call('SetVariables', { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' }, attributeValue: '1,0' }] });
      return answer.kind === 'result' ? (answer.payload['setVariableResult'] as Array<Record<string, unknown>>)[0] : answer.kind;
    };
    rig = await startStationRig('2.0.1', { security });
    expect(await priorityStatus(2)).toMatchObject({ attributeStatus: 'Rejected', attributeStatusInfo: { additionalInfo: expect.stringContaining('A05.FR.02') } });
    await rig.close();
    rig = await startStationRig('2.0.1', { security, certificates: [root] });
    expect(await priorityStatus(3)).toMatchObject({ attributeStatus: 'Rejected', attributeStatusInfo: { additionalInfo: expect.stringContaining('A05.FR.03') } });
    // A05.FR.04: with the prerequisites met (a root for profile 2), the priority is taken.
    expect(await priorityStatus(2)).toMatchObject({ attributeStatus: 'RebootRequired' });
    // Not an upgrade: the same profile needs nothing.
    expect(await priorityStatus(1)).toMatchObject({ attributeStatus: 'RebootRequired' });
  });
});
