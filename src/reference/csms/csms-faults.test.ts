import { afterEach, describe, expect, it } from 'vitest';
import { FaultSyntaxError, parseFault } from '../faults.js';
import { CSMS_BEHAVIOUR_FAULTS } from './behaviour-faults.js';
import { FIXED_NOW, bootRequest, resultOf, startRig, type TestRig } from './csms.test-support.js';
import { ReferenceCsms } from './reference-csms.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const faults = (...texts: string[]) => texts.map(parseFault);
const AT = FIXED_NOW.toISOString();

describe('reference CSMS message faults', () => {
  it('set:BootNotification.status=Maybe reaches the station as a schema violation', async () => {
    rig = await startRig({ version: '2.0.1', faults: faults('set:BootNotification.status=Maybe') });
    const station = await rig.connect();
    const outcome = await station.call('BootNotification', bootRequest('2.0.1'));
    expect(outcome).toMatchObject({ kind: 'result', payload: { status: 'Maybe' }, problem: expect.anything() });
    expect(station.schemaViolations()).toHaveLength(1);
  });

  it('skip:Reset makes csmsSend report the request as dropped', async () => {
    rig = await startRig({ version: '1.6', faults: faults('skip:Reset') });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('1.6'));
    expect(await rig.csms.control.perform('csmsSend', { action: 'Reset' })).toMatchObject({ status: 'done', detail: expect.stringContaining('dropped') });
  });
});

describe('reference CSMS behaviour faults', () => {
  it('lists every behaviour with a description and refuses names it does not know', () => {
    expect(Object.keys(CSMS_BEHAVIOUR_FAULTS)).toEqual(expect.arrayContaining([
      'behaviour:accept-unknown-token', 'behaviour:no-security-error-when-pending', 'behaviour:wrong-transaction-id', 'behaviour:boot-interval-zero',
    ]));
    expect(() => new ReferenceCsms({ version: '2.0.1', faults: faults('behaviour:no-such-thing') })).toThrow(FaultSyntaxError);
  });

  it('accept-unknown-token: an unknown token is Accepted', async () => {
    rig = await startRig({ version: '2.0.1', faults: faults('behaviour:accept-unknown-token') });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('2.0.1'));
    expect(resultOf(await station.call('Authorize', { idToken: { idToken: 'NOBODY', type: 'ISO14443' } }))).toEqual({ idTokenInfo: { status: 'Accepted' } });
  });

  it('no-security-error-when-pending: a Pending station gets answers', async () => {
    rig = await startRig({ version: '1.6', bootStatus: 'Pending', faults: faults('behaviour:no-security-error-when-pending') });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('1.6'));
    expect(resultOf(await station.call('Heartbeat', {}))).toEqual({ currentTime: AT });
  });

  it('wrong-transaction-id: every 1.6 transaction gets id 0', async () => {
    rig = await startRig({ version: '1.6', idTokens: { GOOD: 'Accepted' }, faults: faults('behaviour:wrong-transaction-id') });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('1.6'));
    const start = () => station.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: AT });
    expect(resultOf(await start())).toMatchObject({ transactionId: 0 });
    expect(resultOf(await start())).toMatchObject({ transactionId: 0 });
  });

  it('boot-interval-zero: the accepted boot carries interval 0', async () => {
    rig = await startRig({ version: '2.0.1', faults: faults('behaviour:boot-interval-zero') });
    const station = await rig.connect();
    expect(resultOf(await station.call('BootNotification', bootRequest('2.0.1')))).toMatchObject({ status: 'Accepted', interval: 0 });
  });

  it('close-when-pending: the CSMS closes the connection after answering Pending', async () => {
    rig = await startRig({ version: '2.0.1', bootStatus: 'Pending', faults: faults('behaviour:close-when-pending') });
    const station = await rig.connect();
    expect(resultOf(await station.call('BootNotification', bootRequest('2.0.1')))).toMatchObject({ status: 'Pending' });
    expect((await station.session.whenClosed()).initiatedBy).toBe('remote');
  });

  it('no-id-token-info: TransactionEvent with an idToken is answered without idTokenInfo', async () => {
    rig = await startRig({ version: '2.0.1', idTokens: { GOOD: 'Accepted' }, faults: faults('behaviour:no-id-token-info') });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('2.0.1'));
    const event = { eventType: 'Started', timestamp: AT, triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: 'T1' }, idToken: { idToken: 'GOOD', type: 'ISO14443' } };
    expect(resultOf(await station.call('TransactionEvent', event))).toEqual({});
  });

  it('send-while-rejected and remote-start-while-pending: csmsSend sends what it should not', async () => {
    rig = await startRig({ version: '2.0.1', bootStatus: 'Rejected', idTokens: { GOOD: 'Accepted' }, faults: faults('behaviour:send-while-rejected', 'behaviour:remote-start-while-pending') });
    const station = await rig.connect();
    await station.call('BootNotification', bootRequest('2.0.1'));
    expect(await rig.csms.control.perform('csmsSend', { action: 'Reset' })).toMatchObject({ status: 'done' });
    await rig.csms.control.perform('csmsSetBootResult', { status: 'Pending' });
    await station.call('BootNotification', bootRequest('2.0.1'));
    expect(await rig.csms.control.perform('csmsSend', { action: 'RequestStartTransaction' })).toMatchObject({ status: 'done' });
  });
});
