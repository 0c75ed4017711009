import { afterEach, describe, expect, it } from 'vitest';
import type { Payload } from '../../protocol/index.js';
import { parseFault } from '../faults.js';
import { FIXED_NOW, bootRequest, resultOf, startRig, type TestRig, type TestStation } from './csms.test-support.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const AT = FIXED_NOW.toISOString();
const token = (idToken: string) => ({ idToken, type: 'ISO14443' });
const MASTER_GROUP = { idToken: 'POLICE', type: 'Central' };
const masterPass = { groupIdToken: MASTER_GROUP, idTokens: ['MASTER'] };

function event(eventType: string, seqNo: number, transactionId: string, idToken: string, stoppedReason?: string): Payload {
  return {
    eventType, timestamp: AT, triggerReason: eventType === 'Ended' ? 'StopAuthorized' : 'Authorized', seqNo,
    transactionInfo: { transactionId, ...(stoppedReason ? { stoppedReason } : {}) }, idToken: token(idToken),
  };
}

// Two transactions, started by two drivers, as a station with two EVSEs runs them.
async function twoTransactions(station: TestStation): Promise<void> {
  await station.call('BootNotification', bootRequest('2.0.1'));
  resultOf(await station.call('TransactionEvent', { ...event('Started', 0, 'T1', 'ANNA'), evse: { id: 1, connectorId: 1 } }));
  resultOf(await station.call('TransactionEvent', { ...event('Started', 0, 'T2', 'BOB'), evse: { id: 2, connectorId: 1 } }));
}

describe('reference CSMS master pass (C16)', () => {
  it('accepts a master pass token with the MasterPassGroupId as its group, and when it ends every transaction', async () => {
    rig = await startRig({ version: '2.0.1', idTokens: { ANNA: 'Accepted', BOB: 'Accepted' }, masterPass });
    const station = await rig.connect();
    await twoTransactions(station);
    expect(resultOf(await station.call('Authorize', { idToken: token('MASTER') }))).toEqual({ idTokenInfo: { status: 'Accepted', groupIdToken: MASTER_GROUP } });
    for (const transactionId of ['T1', 'T2']) {
      expect(resultOf(await station.call('TransactionEvent', event('Ended', 1, transactionId, 'MASTER', 'MasterPass')))).toEqual({ idTokenInfo: { status: 'Accepted', groupIdToken: MASTER_GROUP } });
    }
    // Other tokens keep their own answer: no master pass group.
    expect(resultOf(await station.call('Authorize', { idToken: token('ANNA') }))).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(rig.csms.snapshot().transactions.map((t) => [t.transactionId, t.active, t.stoppedReason])).toEqual([['T1', false, 'MasterPass'], ['T2', false, 'MasterPass']]);
    expect(station.schemaViolations()).toEqual([]);
  });

  it('knows a token added into the MasterPassGroupId group as a master pass', async () => {
    rig = await startRig({ version: '2.0.1', masterPass, faults: [parseFault('behaviour:no-master-pass-group')] });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('2.0.1'));
    await rig.csms.control.perform('csmsAddIdToken', { idToken: 'SHERIFF', status: 'Accepted', groupIdToken: 'POLICE' });
    await rig.csms.control.perform('csmsAddIdToken', { idToken: 'CLUB', status: 'Accepted', groupIdToken: 'FAMILY' });
    expect(resultOf(await station.call('Authorize', { idToken: token('SHERIFF') }))).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(resultOf(await station.call('Authorize', { idToken: token('CLUB') }))).toEqual({ idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'FAMILY', type: 'Central' } } });
  });

  it('behaviour:no-master-pass-group leaves the group out of the master pass answers', async () => {
    rig = await startRig({ version: '2.0.1', idTokens: { ANNA: 'Accepted', BOB: 'Accepted' }, masterPass, faults: [parseFault('behaviour:no-master-pass-group')] });
    const station = await rig.connect();
    await twoTransactions(station);
    expect(resultOf(await station.call('Authorize', { idToken: token('MASTER') }))).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(resultOf(await station.call('TransactionEvent', event('Ended', 1, 'T1', 'MASTER', 'MasterPass')))).toEqual({ idTokenInfo: { status: 'Accepted' } });
  });

  it('behaviour:master-pass-stop-rejected answers Invalid when a master pass stop names another token than the driver\'s', async () => {
    rig = await startRig({ version: '2.0.1', idTokens: { ANNA: 'Accepted', BOB: 'Accepted' }, masterPass, faults: [parseFault('behaviour:master-pass-stop-rejected')] });
    const station = await rig.connect();
    await twoTransactions(station);
    expect(resultOf(await station.call('TransactionEvent', event('Ended', 1, 'T1', 'ANNA', 'MasterPass')))).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(resultOf(await station.call('TransactionEvent', event('Ended', 1, 'T2', 'MASTER', 'MasterPass')))).toMatchObject({ idTokenInfo: { status: 'Invalid' } });
  });
});
