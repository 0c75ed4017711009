import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

/** A log server on 127.0.0.1 that answers every request with `status` and keeps what it got. */
interface LogServer {
  url: string;
  received: Array<{ method: string; path: string; body: string; authorization?: string; atMs: number }>;
  close(): Promise<void>;
}

async function startLogServer(status: number): Promise<LogServer> {
  const received: LogServer['received'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '', path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8'), atMs: Date.now(),
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/logs`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let rig: StationRig | undefined;
let logServer: LogServer | undefined;
afterEach(async () => {
  await rig?.close();
  await logServer?.close();
  rig = undefined;
  logServer = undefined;
});

function logStatuses(current: StationRig): Array<[string, unknown]> {
  return current.csms.callsOf('LogStatusNotification').map(payloadOf).map((payload) => [payload['status'], payload['requestId']]);
}

describe('reference station, OCPP 2.0.1: GetLog (N01)', () => {
  it('answers Accepted with a file name, PUTs the log there and reports Uploading, then Uploaded, with the requestId', async () => {
    logServer = await startLogServer(201);
    rig = await startStationRig('2.0.1');
    const answer = await rig.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 7, log: { remoteLocation: logServer.url } });
    expect(answer).toMatchObject({ kind: 'result', payload: { status: 'Accepted', filename: 'CS001-DiagnosticsLog-7.log' } });
    await rig.csms.waitForCall('LogStatusNotification', 2);
    expect(logStatuses(rig)).toEqual([['Uploading', 7], ['Uploaded', 7]]);
    expect(logServer.received).toHaveLength(1);
    expect(logServer.received[0]).toMatchObject({ method: 'PUT', path: '/logs/CS001-DiagnosticsLog-7.log' });
    expect(logServer.received[0]!.body).toContain('DiagnosticsLog');
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('tries 1 + retries times, retryInterval apart, then reports UploadFailure once', async () => {
    logServer = await startLogServer(404);
    rig = await startStationRig('2.0.1');
    await rig.csms.call('GetLog', { logType: 'SecurityLog', requestId: 8, retries: 2, retryInterval: 1, log: { remoteLocation: `${logServer.url}/` } });
    await rig.csms.waitForCall('LogStatusNotification', 2, 5000);
    expect(logStatuses(rig)).toEqual([['Uploading', 8], ['UploadFailure', 8]]);
    const times = logServer.received.map((request) => request.atMs);
    expect(logServer.received.map((request) => request.path)).toEqual(Array(3).fill('/logs/CS001-SecurityLog-8.log'));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(900);
  });

  it('reports PermissionDenied when the server refuses, and sends URL credentials as Basic authorization', async () => {
    logServer = await startLogServer(403);
    rig = await startStationRig('2.0.1');
    await rig.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 9, retries: 0, log: { remoteLocation: logServer.url.replace('http://', 'http://lab:s3cret@') } });
    await rig.csms.waitForCall('LogStatusNotification', 2);
    expect(logStatuses(rig)).toEqual([['Uploading', 9], ['PermissionDenied', 9]]);
    expect(logServer.received[0]!.authorization).toBe(`Basic ${Buffer.from('lab:s3cret').toString('base64')}`);
  });

  it('reports NotSupportedOperation for a protocol it does not speak, without retrying', async () => {
    rig = await startStationRig('2.0.1');
    await rig.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 10, retries: 3, retryInterval: 5, log: { remoteLocation: 'ftp://127.0.0.1/logs' } });
    await rig.csms.waitForCall('LogStatusNotification', 2);
    expect(logStatuses(rig)).toEqual([['Uploading', 10], ['NotSupportedOperation', 10]]);
  });

  it('cancels an upload in progress for a new request: AcceptedCanceled in the answer and for the old requestId (N01.FR.12, FR.20); a trigger reports the upload (F06.FR.14/15)', async () => {
    logServer = await startLogServer(500);
    rig = await startStationRig('2.0.1');
    await rig.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 11, retries: 5, retryInterval: 10, log: { remoteLocation: logServer.url } });
    await rig.csms.waitForCall('LogStatusNotification', 1);
    // F06.FR.14: a triggered LogStatusNotification during the upload says Uploading, with its requestId.
    await rig.csms.call('TriggerMessage', { requestedMessage: 'LogStatusNotification' });
    await rig.csms.waitForCall('LogStatusNotification', 2);
    const second = await rig.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 12, retries: 0, log: { remoteLocation: logServer.url } });
    expect(second).toMatchObject({ kind: 'result', payload: { status: 'AcceptedCanceled' } });
    await rig.csms.waitForCall('LogStatusNotification', 5);
    expect(logStatuses(rig)).toEqual([['Uploading', 11], ['Uploading', 11], ['AcceptedCanceled', 11], ['Uploading', 12], ['UploadFailure', 12]]);
    // F06.FR.15: Idle once nothing is uploaded.
    await rig.csms.call('TriggerMessage', { requestedMessage: 'LogStatusNotification' });
    expect(payloadOf(await rig.csms.waitForCall('LogStatusNotification', 6))).toEqual({ status: 'Idle' });
  });

  it('behaviour:log-upload-skipped reports Uploaded without uploading anything', async () => {
    logServer = await startLogServer(201);
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:log-upload-skipped'] });
    await rig.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 13, log: { remoteLocation: logServer.url } });
    await rig.csms.waitForCall('LogStatusNotification', 2);
    expect(logStatuses(rig)).toEqual([['Uploading', 13], ['Uploaded', 13]]);
    expect(logServer.received).toEqual([]);
  });

  it('behaviour:log-upload-failure-ignored and behaviour:log-retries-ignored: Uploaded on a refusal, one attempt only', async () => {
    logServer = await startLogServer(404);
    rig = await startStationRig('2.0.1', { faultTexts: ['behaviour:log-upload-failure-ignored', 'behaviour:log-retries-ignored'] });
    await rig.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 14, retries: 3, retryInterval: 1, log: { remoteLocation: logServer.url } });
    await rig.csms.waitForCall('LogStatusNotification', 2);
    expect(logStatuses(rig)).toEqual([['Uploading', 14], ['Uploaded', 14]]);
    expect(logServer.received).toHaveLength(1);
  });
});

describe('reference station, OCPP 2.0.1: CustomerInformation (N09, N10)', () => {
  const token = { idToken: 'CUSTOMER-1', type: 'ISO14443' };

  it('clears without a report: Accepted, the cache entry gone, one notification that the data was cleared (N10.FR.06)', async () => {
    rig = await startStationRig('2.0.1', { settings: { 'AuthCacheCtrlr.Enabled': 'true' } });
    // A presented token is authorized by the CSMS and lands in the Authorization Cache before the transaction reports it.
    await rig.station.control.perform('plugIn', { evseId: 1, connectorId: 1 });
    await rig.station.control.perform('presentIdToken', { evseId: 1, idToken: token.idToken });
    await rig.csms.waitUntil(() => rig!.csms.callsOf('TransactionEvent').some((record) => payloadOf(record)['idToken']), undefined, 'a TransactionEvent with the token');
    const before = await rig.csms.call('CustomerInformation', { requestId: 1, report: true, clear: false, idToken: token });
    expect(before).toMatchObject({ kind: 'result', payload: { status: 'Accepted' } });
    const cleared = await rig.csms.call('CustomerInformation', { requestId: 2, report: false, clear: true, idToken: token });
    expect(cleared).toMatchObject({ kind: 'result', payload: { status: 'Accepted' } });
    const after = await rig.csms.call('CustomerInformation', { requestId: 3, report: true, clear: false, idToken: token });
    expect(after).toMatchObject({ kind: 'result', payload: { status: 'Accepted' } });
    await rig.csms.waitForCall('NotifyCustomerInformation', 3);
    const notes = rig.csms.callsOf('NotifyCustomerInformation').map(payloadOf);
    expect(notes.map((note) => [note['requestId'], note['seqNo'], note['tbc']])).toEqual([[1, 0, undefined], [2, 0, undefined], [3, 0, undefined]]);
    expect(notes[0]!['data']).toMatch(/CUSTOMER-1: authorization cache entry, status Accepted/);
    expect(notes[1]!['data']).toMatch(/cleared/);
    expect(notes[2]!['data']).toMatch(/no data found/);
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('answers Invalid without exactly one customer reference (N09.FR.09) and Rejected when neither report nor clear is asked (N09.FR.07)', async () => {
    rig = await startStationRig('2.0.1');
    const none = await rig.csms.call('CustomerInformation', { requestId: 4, report: true, clear: false });
    expect(none).toMatchObject({ kind: 'result', payload: { status: 'Invalid' } });
    const two = await rig.csms.call('CustomerInformation', { requestId: 5, report: true, clear: false, idToken: token, customerIdentifier: 'C-1' });
    expect(two).toMatchObject({ kind: 'result', payload: { status: 'Invalid' } });
    const idle = await rig.csms.call('CustomerInformation', { requestId: 6, report: false, clear: false, customerIdentifier: 'C-1' });
    expect(idle).toMatchObject({ kind: 'result', payload: { status: 'Rejected' } });
    expect(rig.csms.callsOf('NotifyCustomerInformation')).toEqual([]);
  });
});
