import { afterEach, describe, expect, it } from 'vitest';
import type { CallReply, TraceRecord } from '../../session/index.js';
import { serveControl, type ControlHttpServer } from '../control-http.js';
import { startStationRig, type StationRig, type TestCsms } from './station.test-support.js';

let rig: StationRig | undefined;
let served: ControlHttpServer | undefined;
afterEach(async () => {
  await served?.close();
  await rig?.close();
  served = undefined;
  rig = undefined;
});

/** The HTTP answer to a control action, and whether it has arrived yet. */
interface Posted {
  arrived: () => boolean;
  answer: Promise<{ status: number; json: Record<string, any> }>;
}

function post(path: string, body: Record<string, unknown> = {}): Posted {
  let arrived = false;
  const answer = fetch(`${served!.url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then(async (response) => {
    arrived = true;
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  });
  return { arrived: () => arrived, answer };
}

async function status(): Promise<Record<string, any>> {
  return (await fetch(`${served!.url}/status`)).json() as Promise<Record<string, any>>;
}

/** An answer the test releases when it wants. */
function gate(): { answer: () => Promise<CallReply>; open: (reply: CallReply) => void } {
  let open!: (reply: CallReply) => void;
  const promise = new Promise<CallReply>((resolve) => (open = resolve));
  return { answer: () => promise, open };
}

/** True when the CSMS has answered this CALL of the station. */
function answered(csms: TestCsms, call: TraceRecord): boolean {
  return csms.records.some((record) => record.direction === 'csms-to-cp' && record.messageType !== 'CALL' && record.messageId === call.messageId);
}

async function startServed(version: '1.6' | '2.0.1', rebootDelayMs = 50): Promise<StationRig> {
  const started = await startStationRig(version, { timing: { rebootDelayMs } });
  served = await serveControl(started.station.control);
  await started.csms.waitForCall('StatusNotification', version === '1.6' ? 3 : 2);
  return started;
}

describe('reference station control API with ?wait=true', () => {
  it('presentIdToken answers only after Authorize and the TransactionEvent it caused were answered', async () => {
    rig = await startServed('2.0.1');
    const { csms } = rig;
    expect((await post('/actions/plugIn?wait=true', { evseId: 1, connectorId: 1 }).answer).json).toEqual({ status: 'done' });
    const authorize = gate();
    csms.answers['Authorize'] = authorize.answer;
    const presented = post('/actions/presentIdToken?wait=true', { evseId: 1, idToken: 'TOKEN-1', type: 'ISO14443' });
    const authorizeCall = await csms.waitForCall('Authorize');
    // The round trip of another HTTP request: the waited one has had every chance to answer early.
    expect((await fetch(`${served!.url}/actions`)).status).toBe(200);
    expect(presented.arrived()).toBe(false);
    authorize.open({ payload: { idTokenInfo: { status: 'Accepted' } } });
    expect(await presented.answer).toEqual({ status: 200, json: { status: 'done' } });
    const started = csms.callsOf('TransactionEvent').find((record) => record.timestamp >= authorizeCall.timestamp && (record.payload as any).eventType === 'Started');
    expect(started, 'a TransactionEvent Started after the Authorize').toBeDefined();
    expect(answered(csms, started!)).toBe(true);
    expect((await status())['transactions']).toEqual([expect.objectContaining({ evseId: 1, idToken: 'TOKEN-1' })]);
  });

  it('a wait is bounded: it fails after timeoutMs naming what is still open; without wait the action answers at once', async () => {
    rig = await startServed('2.0.1');
    rig.csms.answers['Authorize'] = () => new Promise<CallReply>(() => undefined);
    const unbounded = await post('/actions/presentIdToken', { evseId: 1, idToken: 'TOKEN-1' }).answer;
    expect(unbounded).toEqual({ status: 200, json: { status: 'done' } });
    const bounded = await post('/actions/presentIdToken?wait=true&timeoutMs=300', { evseId: 2, idToken: 'TOKEN-2' }).answer;
    expect(bounded.status).toBe(500);
    expect(bounded.json['reason']).toMatch(/presentIdToken: the exchange it caused did not finish within 300 ms; still open: the answer to Authorize/);
    expect((await post('/actions/plugIn?wait=maybe').answer).status).toBe(400);
    expect((await post('/actions/plugIn?wait=true', { waitTimeoutMs: 0 }).answer).status).toBe(400);
  });

  it('reboot answers once the new BootNotification was answered, after the reboot delay, with the old connection closed first', async () => {
    rig = await startServed('2.0.1', 400);
    const { csms } = rig;
    const openWhenNextConnected: boolean[] = [];
    csms.server.on('connection', () => openWhenNextConnected.push(csms.sessions.slice(0, -1).some((session) => session.isOpen)));
    const bootAnswer = gate();
    csms.answers['BootNotification'] = bootAnswer.answer;
    const begun = Date.now();
    const rebooted = post('/actions/reboot?wait=true');
    await csms.waitForCall('BootNotification', 2);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${served!.url}/actions`)).status).toBe(200);
    expect(rebooted.arrived()).toBe(false);
    bootAnswer.open({ payload: { currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' } });
    expect(await rebooted.answer).toEqual({ status: 200, json: { status: 'done' } });
    expect(openWhenNextConnected).toEqual([false]);
    const boot = await csms.waitForCall('BootNotification', 2, 0);
    expect(answered(csms, boot)).toBe(true);
    // The statuses an accepted boot reports (B01.FR.05) belong to the reboot's exchange too.
    expect(csms.callsOf('StatusNotification').filter((record) => record.timestamp >= boot.timestamp).every((record) => answered(csms, record))).toBe(true);
    expect(await status()).toMatchObject({ connected: true, registration: 'Accepted' });
  });

  it('a reboot without delay still opens the new connection only once the old one is closed', async () => {
    rig = await startServed('2.0.1', 0);
    const { csms } = rig;
    const openWhenNextConnected: boolean[] = [];
    csms.server.on('connection', () => openWhenNextConnected.push(csms.sessions.slice(0, -1).some((session) => session.isOpen)));
    for (let reboot = 0; reboot < 3; reboot++) expect((await post('/actions/reboot?wait=true').answer).json).toEqual({ status: 'done' });
    expect(openWhenNextConnected).toEqual([false, false, false]);
  });

  it('goOffline then goOnline answers once reconnected; unplug of an unplugged connector is a harmless no-op', async () => {
    rig = await startServed('1.6');
    expect((await post('/actions/goOffline?wait=true').answer).json).toEqual({ status: 'done' });
    expect(await status()).toMatchObject({ connected: false });
    expect((await post('/actions/goOnline?wait=true').answer).json).toEqual({ status: 'done' });
    expect(await status()).toMatchObject({ connected: true, registration: 'Accepted' });
    const sent = rig.csms.records.length;
    expect((await post('/actions/unplug?wait=true', { connectorId: 1 }).answer).json).toEqual({ status: 'done' });
    expect(rig.csms.records.slice(sent).filter((record) => record.messageType === 'CALL')).toEqual([]);
  });
});
