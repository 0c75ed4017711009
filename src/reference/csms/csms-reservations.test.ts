import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../faults.js';
import { FIXED_NOW, bootRequest, resultOf, startRig, type TestRig } from './csms.test-support.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const AT = FIXED_NOW.toISOString();

describe('reference CSMS, OCPP 1.6 reservations (§5.13, §7.23)', () => {
  it('names the parentIdTag of a grouped tag, and accepts a StartTransaction that ends its reservation', async () => {
    rig = await startRig({ version: '1.6', idTokens: { MEMBER: 'Accepted', LONER: 'Accepted' } });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('1.6'));
    expect(await rig.csms.control.perform('csmsAddIdToken', { idToken: 'MEMBER', status: 'Accepted', groupIdToken: 'FLEET-1' })).toMatchObject({ status: 'done' });
    expect(resultOf(await station.call('Authorize', { idTag: 'MEMBER' }))).toEqual({ idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET-1' } });
    expect(resultOf(await station.call('Authorize', { idTag: 'LONER' }))).toEqual({ idTagInfo: { status: 'Accepted' } });
    const start = resultOf(await station.call('StartTransaction', { connectorId: 1, idTag: 'MEMBER', meterStart: 0, reservationId: 5, timestamp: AT }));
    expect(start).toMatchObject({ idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET-1' }, transactionId: expect.any(Number) });
  });

  it('reservation-start-rejected: a StartTransaction naming a reservation is refused, one without is not', async () => {
    rig = await startRig({ version: '1.6', idTokens: { GOOD: 'Accepted' }, faults: [parseFault('behaviour:reservation-start-rejected')] });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('1.6'));
    const start = (extra: Record<string, unknown>) => station.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: AT, ...extra });
    expect(resultOf(await start({ reservationId: 5 }))).toMatchObject({ idTagInfo: { status: 'Invalid' } });
    expect(resultOf(await start({}))).toMatchObject({ idTagInfo: { status: 'Accepted' } });
  });
});
