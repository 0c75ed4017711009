import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../faults.js';
import { FIXED_NOW, bootRequest, errorCodeOf, resultOf, startRig, statusRequest, type TestRig, type TestStation } from './csms.test-support.js';

// The behaviour faults the OCPP 1.6 Core CSMS cases TC_024 to TC_040 aim at, each next to the
// conforming behaviour it replaces.

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function bootedStation(...faults: string[]): Promise<TestStation> {
  rig = await startRig({ version: '1.6', idTokens: { GOOD: 'Accepted' }, faults: faults.map(parseFault) });
  const station = await rig.connect();
  await station.call('BootNotification', bootRequest('1.6'));
  return station;
}

const minutesBack = (minutes: number) => new Date(FIXED_NOW.getTime() - minutes * 60_000).toISOString();

describe('close-on-declined', () => {
  it('keeps the connection when a station rejects a remote start', async () => {
    const station = await bootedStation();
    station.session.setCallHandler(() => ({ payload: { status: 'Rejected' } }));
    const outcome = await rig!.csms.control.perform('csmsSend', { action: 'RemoteStartTransaction', awaitResponse: true });
    expect(outcome).toMatchObject({ status: 'done', answer: { payload: { status: 'Rejected' } } });
    expect(resultOf(await station.call('Heartbeat', {}))).toEqual({ currentTime: FIXED_NOW.toISOString() });
  });

  it('with the fault, closes the connection after an UnlockFailed, but not after an Unlocked', async () => {
    const station = await bootedStation('behaviour:close-on-declined');
    await rig!.csms.control.perform('csmsSend', { action: 'UnlockConnector', awaitResponse: true });
    expect(resultOf(await station.call('Heartbeat', {}))).toEqual({ currentTime: FIXED_NOW.toISOString() });
    station.session.setCallHandler(() => ({ payload: { status: 'UnlockFailed' } }));
    await rig!.csms.control.perform('csmsSend', { action: 'UnlockConnector', awaitResponse: true });
    expect((await station.session.whenClosed()).initiatedBy).toBe('remote');
  });

  it('with the fault, closes the connection after a CALLERROR NotSupported too (2.0.1 K01.FR.29)', async () => {
    const station = await bootedStation('behaviour:close-on-declined');
    station.session.setCallHandler(() => ({ error: 'NotSupported', description: 'no smart charging' }));
    await rig!.csms.control.perform('csmsSend', { action: 'ClearChargingProfile', awaitResponse: true });
    expect((await station.session.whenClosed()).initiatedBy).toBe('remote');
  });
});

describe('queued-transaction-refused', () => {
  const start = (station: TestStation, timestamp: string) => station.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp });

  it('accepts a transaction that started offline ten minutes ago (1.6 §3.7)', async () => {
    const station = await bootedStation();
    expect(resultOf(await start(station, minutesBack(10)))).toMatchObject({ idTagInfo: { status: 'Accepted' } });
  });

  it('with the fault, refuses the queued transaction and still accepts a fresh one', async () => {
    const station = await bootedStation('behaviour:queued-transaction-refused');
    expect(resultOf(await start(station, minutesBack(10)))).toMatchObject({ idTagInfo: { status: 'Invalid' }, transactionId: expect.any(Number) });
    expect(resultOf(await start(station, FIXED_NOW.toISOString()))).toMatchObject({ idTagInfo: { status: 'Accepted' } });
  });
});

describe('status-fault-refused', () => {
  const lockFailure = { ...statusRequest('1.6', 'Faulted'), errorCode: 'ConnectorLockFailure' };

  it('answers a connector lock failure report (1.6 §4.9)', async () => {
    const station = await bootedStation();
    expect(resultOf(await station.call('StatusNotification', lockFailure))).toEqual({});
  });

  it('with the fault, answers the error report with CALLERROR InternalError and a NoError report as before', async () => {
    const station = await bootedStation('behaviour:status-fault-refused');
    expect(errorCodeOf(await station.call('StatusNotification', lockFailure))).toBe('InternalError');
    expect(resultOf(await station.call('StatusNotification', statusRequest('1.6')))).toEqual({});
  });
});
