import { afterEach, describe, expect, it } from 'vitest';
import { FIXED_NOW, bootRequest, resultOf, startRig, type TestRig, type TestStation } from './csms.test-support.js';
import type { IdTokenStatus } from './types.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const TOKENS: Record<string, IdTokenStatus> = {
  GOOD: 'Accepted', STOLEN: 'Blocked', OLD: 'Expired', BROKEN: 'Invalid', LOST: 'Unknown', POOR: 'NoCredit',
};

const AT = FIXED_NOW.toISOString();

async function acceptedStation(version: '1.6' | '2.0.1'): Promise<TestStation> {
  rig = await startRig({ version, idTokens: TOKENS });
  const station = await rig.connect();
  await station.call('BootNotification', bootRequest(version));
  return station;
}

describe('reference CSMS authorization and transactions, OCPP 1.6', () => {
  it('answers Authorize from its list; statuses 1.6 lacks and unknown tags are Invalid', async () => {
    const station = await acceptedStation('1.6');
    const statusOf = async (idTag: string) => (resultOf(await station.call('Authorize', { idTag })) as { idTagInfo: { status: string } }).idTagInfo.status;
    expect(await statusOf('GOOD')).toBe('Accepted');
    expect(await statusOf('STOLEN')).toBe('Blocked');
    expect(await statusOf('OLD')).toBe('Expired');
    expect(await statusOf('BROKEN')).toBe('Invalid');
    expect(await statusOf('LOST')).toBe('Invalid');
    expect(await statusOf('POOR')).toBe('Invalid');
    expect(await statusOf('NOBODY')).toBe('Invalid');
    expect(station.schemaViolations()).toEqual([]);
  });

  it('assigns distinct integer transaction ids, checks the idTag, and records stops and meter values', async () => {
    const station = await acceptedStation('1.6');
    const first = resultOf(await station.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 100, timestamp: AT }));
    const second = resultOf(await station.call('StartTransaction', { connectorId: 2, idTag: 'STOLEN', meterStart: 5, timestamp: AT }));
    expect(first).toMatchObject({ idTagInfo: { status: 'Accepted' }, transactionId: expect.any(Number) });
    expect(second).toMatchObject({ idTagInfo: { status: 'Blocked' } });
    expect(Number.isInteger(first['transactionId'])).toBe(true);
    expect(second['transactionId']).not.toBe(first['transactionId']);
    const meterValue = [{ timestamp: AT, sampledValue: [{ value: '150' }] }];
    expect(resultOf(await station.call('MeterValues', { connectorId: 1, transactionId: first['transactionId'], meterValue }))).toEqual({});
    const stopWithTag = { idTag: 'GOOD', meterStop: 200, timestamp: AT, transactionId: first['transactionId'], transactionData: meterValue };
    expect(resultOf(await station.call('StopTransaction', stopWithTag))).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(resultOf(await station.call('StopTransaction', { meterStop: 9, timestamp: AT, transactionId: second['transactionId'], reason: 'Reboot' }))).toEqual({});
    const snapshot = rig!.csms.snapshot();
    expect(snapshot.transactions).toMatchObject([
      { transactionId: String(first['transactionId']), idToken: 'GOOD', connectorId: 1, active: false, meterStartWh: 100, meterStopWh: 200, stoppedReason: 'Local', problems: [] },
      { transactionId: String(second['transactionId']), active: false, stoppedReason: 'Reboot' },
    ]);
    expect(snapshot.meterValues.map((entry) => entry.action)).toEqual(['MeterValues', 'StopTransaction']);
    expect(station.schemaViolations()).toEqual([]);
  });

  it('sends RemoteStopTransaction for the running transaction by default', async () => {
    const station = await acceptedStation('1.6');
    const { transactionId } = resultOf(await station.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: AT }));
    const arriving = station.nextCsmsCall('RemoteStopTransaction');
    expect(await rig!.csms.control.perform('csmsSend', { action: 'RemoteStopTransaction' })).toMatchObject({ status: 'done' });
    expect((await arriving)?.payload).toEqual({ transactionId });
  });
});

describe('reference CSMS authorization and transactions, OCPP 2.0.1', () => {
  it('answers Authorize from its list; unknown tokens are Unknown (C01.FR.07)', async () => {
    const station = await acceptedStation('2.0.1');
    const statusOf = async (idToken: string, type = 'ISO14443') =>
      (resultOf(await station.call('Authorize', { idToken: { idToken, type } })) as { idTokenInfo: { status: string } }).idTokenInfo.status;
    for (const [token, status] of Object.entries(TOKENS)) expect(await statusOf(token)).toBe(status);
    expect(await statusOf('NOBODY')).toBe('Unknown');
    expect(await statusOf('', 'NoAuthorization')).toBe('Accepted');
    expect(station.schemaViolations()).toEqual([]);
  });

  it('tracks a transaction by its id, answers idTokenInfo when an idToken comes, and notes seqNo gaps', async () => {
    const station = await acceptedStation('2.0.1');
    const event = (eventType: string, seqNo: number, extra: Record<string, unknown> = {}) => station.call('TransactionEvent', {
      eventType, timestamp: AT, triggerReason: 'Authorized', seqNo, transactionInfo: { transactionId: 'TX-1' }, ...extra,
    });
    const started = await event('Started', 0, { idToken: { idToken: 'GOOD', type: 'ISO14443' }, evse: { id: 1, connectorId: 1 } });
    expect(resultOf(started)).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(resultOf(await event('Updated', 1, { meterValue: [{ timestamp: AT, sampledValue: [{ value: 1200 }] }] }))).toEqual({});
    expect(resultOf(await event('Updated', 3, { idToken: { idToken: 'STOLEN', type: 'ISO14443' } }))).toEqual({ idTokenInfo: { status: 'Blocked' } });
    expect(rig!.csms.snapshot().transactions[0]).toMatchObject({ active: true });
    expect(resultOf(await event('Ended', 4, { transactionInfo: { transactionId: 'TX-1', stoppedReason: 'Remote' } }))).toEqual({});
    const [transaction] = rig!.csms.snapshot().transactions;
    expect(transaction).toMatchObject({ transactionId: 'TX-1', evseId: 1, connectorId: 1, active: false, stoppedReason: 'Remote', lastSeqNo: 4 });
    expect(transaction?.problems).toEqual(['seqNo 3 followed 1; expected 2']);
    expect(rig!.csms.snapshot().meterValues).toMatchObject([{ action: 'TransactionEvent', transactionId: 'TX-1', evseId: 1 }]);
    expect(station.schemaViolations()).toEqual([]);
  });

  it('sends RequestStartTransaction with an accepted token, and RequestStopTransaction for the running transaction', async () => {
    const station = await acceptedStation('2.0.1');
    const starting = station.nextCsmsCall('RequestStartTransaction');
    expect(await rig!.csms.control.perform('csmsSend', { action: 'RequestStartTransaction' })).toMatchObject({ status: 'done' });
    expect((await starting)?.payload).toMatchObject({ idToken: { idToken: 'GOOD', type: 'ISO14443' }, evseId: 1, remoteStartId: expect.any(Number) });
    expect(await rig!.csms.control.perform('csmsSend', { action: 'RequestStopTransaction' })).toMatchObject({ status: 'failed', reason: expect.stringContaining('no running transaction') });
    await station.call('TransactionEvent', { eventType: 'Started', timestamp: AT, triggerReason: 'RemoteStart', seqNo: 0, transactionInfo: { transactionId: 'TX-9' } });
    const stopping = station.nextCsmsCall('RequestStopTransaction');
    expect(await rig!.csms.control.perform('csmsSend', { action: 'RequestStopTransaction' })).toMatchObject({ status: 'done' });
    expect((await stopping)?.payload).toEqual({ transactionId: 'TX-9' });
    expect(station.schemaViolations()).toEqual([]);
  });
});
