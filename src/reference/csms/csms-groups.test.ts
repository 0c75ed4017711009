import { afterEach, describe, expect, it } from 'vitest';
import { FIXED_NOW, bootRequest, resultOf, startRig, type TestRig } from './csms.test-support.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const AT = FIXED_NOW.toISOString();
const token = (idToken: string) => ({ idToken, type: 'ISO14443' });

describe('reference CSMS group ids (C09.FR.02, E01.FR.12)', () => {
  it('gives tokens added with a group the groupIdToken in Authorize and TransactionEvent answers, and no group to the others', async () => {
    rig = await startRig({ version: '2.0.1', idTokens: { ALONE: 'Accepted' } });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('2.0.1'));
    for (const idToken of ['ANNA', 'BOB']) {
      expect(await rig.csms.control.perform('csmsAddIdToken', { idToken, status: 'Accepted', groupIdToken: 'FAMILY' })).toMatchObject({ status: 'done', detail: expect.stringContaining('group FAMILY') });
    }
    const authorize = resultOf(await station.call('Authorize', { idToken: token('BOB') }));
    expect(authorize).toEqual({ idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'FAMILY', type: 'Central' } } });
    const started = resultOf(await station.call('TransactionEvent', {
      eventType: 'Started', timestamp: AT, triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: 'T1' }, idToken: token('ANNA'),
    }));
    expect(started).toEqual({ idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'FAMILY', type: 'Central' } } });
    expect(resultOf(await station.call('Authorize', { idToken: token('ALONE') }))).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(station.schemaViolations()).toEqual([]);
  });
});
