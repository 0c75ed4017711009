import { afterEach, describe, expect, it } from 'vitest';
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
});
