import { afterEach, describe, expect, it } from 'vitest';
import type { Payload } from '../../protocol/index.js';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function answer(action: string, payload: Payload): Promise<unknown> {
  const outcome = await rig!.csms.call(action, payload);
  return outcome.kind === 'result' ? outcome.payload : outcome.kind;
}

const entry = (idTag: string, status?: string) => (status ? { idTag, idTagInfo: { status } } : { idTag });
const update = (listVersion: number, updateType: string, list?: unknown[]) => answer('SendLocalList', { listVersion, updateType, ...(list ? { localAuthorizationList: list } : {}) });
const version = async () => ((await answer('GetLocalListVersion', {})) as Payload)['listVersion'];
const preparing = () => rig!.csms.callsOf('StatusNotification').map(payloadOf).some((status) => status['connectorId'] === 1 && status['status'] === 'Preparing');

describe('reference station, OCPP 1.6: the Local Authorization List (§3.5.2, §5.10, §5.15)', () => {
  it('applies Full and Differential updates under their versions, and refuses what it cannot apply', async () => {
    rig = await startStationRig('1.6');
    expect(await version()).toBe(0);
    expect(await update(1, 'Full')).toEqual({ status: 'Accepted' });
    // An empty list reports 0 whatever version it got.
    expect(await version()).toBe(0);
    expect(await update(2, 'Full', [entry('TAG-1', 'Accepted')])).toEqual({ status: 'Accepted' });
    expect(await version()).toBe(2);
    expect(await update(5, 'Differential', [entry('TAG-2', 'Blocked')])).toEqual({ status: 'Accepted' });
    expect(await version()).toBe(5);
    expect(await update(5, 'Differential', [entry('TAG-3', 'Accepted')])).toEqual({ status: 'VersionMismatch' });
    expect(await update(4, 'Differential', [entry('TAG-3', 'Accepted')])).toEqual({ status: 'VersionMismatch' });
    // A Full entry without idTagInfo, or a repeated idTag, is no list the station can apply.
    expect(await update(6, 'Full', [entry('TAG-1')])).toEqual({ status: 'Failed' });
    expect(await update(6, 'Full', [entry('TAG-1', 'Accepted'), entry('TAG-1', 'Blocked')])).toEqual({ status: 'Failed' });
    // A Differential entry without idTagInfo deletes; deleting the last entries empties the list.
    expect(await update(6, 'Differential', [entry('TAG-1'), entry('TAG-2')])).toEqual({ status: 'Accepted' });
    expect(await version()).toBe(0);
    await rig.station.control.perform('blockLocalListStorage', {});
    expect(await update(7, 'Full', [entry('TAG-1', 'Accepted')])).toEqual({ status: 'Failed' });
    await rig.station.control.perform('unblockLocalListStorage', {});
    expect(await update(7, 'Full', [entry('TAG-1', 'Accepted')])).toEqual({ status: 'Accepted' });
    expect(await answer('ChangeConfiguration', { key: 'LocalAuthListEnabled', value: 'false' })).toEqual({ status: 'Accepted' });
    expect(await version()).toBe(-1);
    expect(await update(8, 'Full', [entry('TAG-1', 'Accepted')])).toEqual({ status: 'NotSupported' });
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('with LocalPreAuthorize, prepares for a listed idTag without an Authorize.req (§9.1.13)', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 3);
    expect(await answer('ChangeConfiguration', { key: 'LocalPreAuthorize', value: 'true' })).toEqual({ status: 'Accepted' });
    expect(await update(1, 'Full', [entry('TAG-1', 'Accepted')])).toEqual({ status: 'Accepted' });
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    await csms.waitUntil(preparing);
    expect(csms.callsOf('Authorize')).toEqual([]);
  });

  it('offline, a list entry other than Accepted outranks an Accepted cache entry (§3.5.3, §3.5.4)', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 3);
    // Authorized once online: the cache holds TAG-1 as Accepted.
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    await csms.waitUntil(preparing);
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    await csms.waitUntil(() => csms.callsOf('StatusNotification').length >= 5);
    expect(await update(1, 'Full', [entry('TAG-1', 'Blocked'), entry('TAG-2', 'Accepted')])).toEqual({ status: 'Accepted' });
    await station.control.perform('goOffline', {});
    await csms.waitUntil(() => !csms.session.isOpen);
    await station.control.perform('plugIn', { connectorId: 1 });
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-1' });
    // The blocked tag is refused; the listed Accepted one then starts the transaction.
    await station.control.perform('presentIdToken', { connectorId: 1, idToken: 'TAG-2' });
    await station.control.perform('goOnline', {});
    const start = payloadOf(await csms.waitForCall('StartTransaction'));
    expect(start).toMatchObject({ connectorId: 1, idTag: 'TAG-2' });
    expect(csms.callsOf('StartTransaction').length).toBe(1);
  });
});
