import { afterEach, describe, expect, it } from 'vitest';
import type { OcppVersion } from '../../protocol/index.js';
import type { CallReply } from '../../session/index.js';
import { serveControl, type ControlHttpServer } from '../control-http.js';
import { FIXED_NOW, bootRequest, resultOf, startRig, type TestRig, type TestStation } from './csms.test-support.js';

// Lab mode (issue 11): one long-lived reference CSMS serves case after case of the same station;
// it keeps what it knows per station across connections and can be brought back to its baseline.

let rig: TestRig | undefined;
let served: ControlHttpServer | undefined;
afterEach(async () => {
  await served?.close();
  await rig?.close();
  served = undefined;
  rig = undefined;
});

async function post(path: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(`${served!.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

async function status(): Promise<Record<string, any>> {
  return (await fetch(`${served!.url}/status`)).json() as Promise<Record<string, any>>;
}

const AT = FIXED_NOW.toISOString();

/** Starts a transaction as the station and returns a function that ends it. */
async function startTransaction(station: TestStation, version: OcppVersion): Promise<(on: TestStation) => Promise<void>> {
  if (version === '1.6') {
    const { transactionId } = resultOf(await station.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: AT }));
    return async (on) => void resultOf(await on.call('StopTransaction', { transactionId, meterStop: 10, timestamp: AT }));
  }
  const event = (on: TestStation, eventType: string, seqNo: number) => on.call('TransactionEvent', {
    eventType, timestamp: AT, triggerReason: eventType === 'Started' ? 'Authorized' : 'RemoteStop', seqNo, transactionInfo: { transactionId: 'LAB-TX-1' },
    ...(eventType === 'Started' ? { idToken: { idToken: 'GOOD', type: 'ISO14443' }, evse: { id: 1, connectorId: 1 } } : {}),
  });
  resultOf(await event(station, 'Started', 0));
  return async (on) => void resultOf(await event(on, 'Ended', 1));
}

describe.each(['1.6', '2.0.1'] as const)('reference CSMS in lab mode, OCPP %s', (version) => {
  it('csmsSend?wait=true answers once the station answered, with its answer', async () => {
    rig = await startRig({ version });
    served = await serveControl(rig.csms.control);
    const station = await rig.connect();
    resultOf(await station.call('BootNotification', bootRequest(version)));
    let release!: (reply: CallReply) => void;
    station.session.setCallHandler(() => new Promise<CallReply>((resolve) => (release = resolve)));
    let arrived = false;
    const sent = post('/actions/csmsSend?wait=true', { action: 'ClearCache' }).then((answer) => ((arrived = true), answer));
    await station.nextCsmsCall('ClearCache');
    expect((await fetch(`${served.url}/actions`)).status).toBe(200);
    expect(arrived).toBe(false);
    release({ payload: { status: 'Rejected' } });
    expect(await sent).toMatchObject({ status: 200, json: { status: 'done', answer: { action: 'ClearCache', payload: { status: 'Rejected' } } } });
    release = () => undefined;
    station.session.setCallHandler(() => ({ error: 'InternalError', description: 'lab test' }));
    expect((await post('/actions/csmsSend?wait=true', { action: 'ClearCache' })).json).toMatchObject({ answer: { action: 'ClearCache', errorCode: 'InternalError', errorDescription: 'lab test' } });
  });

  it('keeps a station\'s transactions and registration across connections, replaces a second connection cleanly, and returns to its baseline', async () => {
    rig = await startRig({ version, idTokens: { GOOD: 'Accepted' } });
    served = await serveControl(rig.csms.control);
    const first = await rig.connect();
    resultOf(await first.call('BootNotification', bootRequest(version)));
    const endTransaction = await startTransaction(first, version);
    expect((await status())['activeTransactions']).toHaveLength(1);

    // A case sets the boot result and the station comes back on a new connection without closing the old.
    expect((await post('/actions/csmsSetBootResult', { status: 'Pending' })).status).toBe(200);
    const firstClosed = first.session.whenClosed();
    const second = await rig.connect();
    expect(await firstClosed).toMatchObject({ code: 1000, initiatedBy: 'remote' });
    expect(resultOf(await second.call('BootNotification', bootRequest(version)))).toMatchObject({ status: 'Pending' });
    expect(await status()).toMatchObject({ nextBootResult: 'Pending', stations: [{ stationId: 'CS001', connected: true, bootStatus: 'Pending' }], activeTransactions: [{ stationId: 'CS001' }] });

    // The clean-up: the boot result back to Accepted, a new boot, the transaction ended on the new connection.
    expect((await post('/actions/csmsSetBootResult', { status: 'Accepted' })).status).toBe(200);
    expect(resultOf(await second.call('BootNotification', bootRequest(version)))).toMatchObject({ status: 'Accepted' });
    await endTransaction(second);
    expect(await status()).toEqual({ nextBootResult: 'Accepted', stations: [expect.objectContaining({ stationId: 'CS001', connected: true, bootStatus: 'Accepted' })], activeTransactions: [] });
    expect(second.schemaViolations()).toEqual([]);
  });
});
