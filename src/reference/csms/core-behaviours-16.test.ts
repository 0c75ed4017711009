import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../faults.js';
import { FIXED_NOW, bootRequest, errorCodeOf, resultOf, startRig, statusRequest, type TestRig, type TestStation } from './csms.test-support.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const AT = FIXED_NOW.toISOString();

async function bootedStation(faultTexts: string[]): Promise<TestStation> {
  rig ??= await startRig({ version: '1.6', idTokens: { GOOD: 'Accepted' }, faults: faultTexts.map(parseFault) });
  const station = await rig.connect();
  await station.call('BootNotification', bootRequest('1.6'));
  return station;
}

const startWith = (station: TestStation, idTag: string) => station.call('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: AT });

describe('1.6 Core behaviour faults of the reference CSMS', () => {
  it('without faults, a valid tag starts a transaction from the cache (no Authorize first) and Preparing may go back to Available', async () => {
    const station = await bootedStation([]);
    expect(resultOf(await startWith(station, 'GOOD'))).toMatchObject({ idTagInfo: { status: 'Accepted' } });
    expect(resultOf(await station.call('StatusNotification', statusRequest('1.6', 'Preparing')))).toEqual({});
    expect(resultOf(await station.call('StatusNotification', statusRequest('1.6', 'Available')))).toEqual({});
  });

  it('start-requires-authorize: a tag not authorized on this connection is Invalid at StartTransaction, an authorized one Accepted', async () => {
    const station = await bootedStation(['behaviour:start-requires-authorize']);
    expect(resultOf(await startWith(station, 'GOOD'))).toMatchObject({ idTagInfo: { status: 'Invalid' } });
    expect(resultOf(await station.call('Authorize', { idTag: 'GOOD' }))).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(resultOf(await startWith(station, 'GOOD'))).toMatchObject({ idTagInfo: { status: 'Accepted' } });
    // A new connection starts with nothing authorized.
    const again = await bootedStation(['behaviour:start-requires-authorize']);
    expect(resultOf(await startWith(again, 'GOOD'))).toMatchObject({ idTagInfo: { status: 'Invalid' } });
  });

  it('reject-preparing-to-available: Preparing to Available gets CALLERROR GenericError, other changes are answered', async () => {
    const station = await bootedStation(['behaviour:reject-preparing-to-available']);
    expect(resultOf(await station.call('StatusNotification', statusRequest('1.6', 'Preparing')))).toEqual({});
    expect(errorCodeOf(await station.call('StatusNotification', statusRequest('1.6', 'Available')))).toBe('GenericError');
    expect(resultOf(await station.call('StatusNotification', statusRequest('1.6', 'Charging')))).toEqual({});
    expect(resultOf(await station.call('StatusNotification', statusRequest('1.6', 'Available')))).toEqual({});
  });
});
