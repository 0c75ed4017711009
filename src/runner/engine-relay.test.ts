import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Payload } from '../protocol/index.js';
import type { Session } from '../session/index.js';
import { csmsCaseFile, runAgainstCsms, writeTree } from './engine-harness.test-support.js';
import { relayedOf } from './results.test-support.js';

const BOOT = `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
`;

describe('relayed passes: what a CSMS pass proved', () => {
  it('marks a pass relayed when every value the case checked was in the csmsSend params, and not when the CSMS chose one', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_RELAY_01_CSMS.yaml': csmsCaseFile('OH_RELAY_01_CSMS', `${BOOT}
  - action: csmsSend
    params: { action: Reset, payload: { type: OnIdle } }
  - expect: Reset
    match: { type: OnIdle, evseId: { $exists: false } }
    reply: { status: Accepted }
    checks: [R.1]
`),
      // The CSMS is handed the token only; the remoteStartId the case checks is the CSMS's own.
      'ocpp2.0.1/core/OH_RELAY_02_CSMS.yaml': csmsCaseFile('OH_RELAY_02_CSMS', `${BOOT}
  - action: csmsSend
    params: { action: RequestStartTransaction, payload: { idToken: { idToken: TAG1, type: ISO14443 } } }
  - expect: RequestStartTransaction
    match: { idToken: { idToken: TAG1 }, remoteStartId: { $exists: true } }
    reply: { status: Accepted }
    checks: [R.1]
`),
      // No device action at all: the CSMS only answers the station.
      'ocpp2.0.1/core/OH_RELAY_03_CSMS.yaml': csmsCaseFile('OH_RELAY_03_CSMS', BOOT),
    });
    const result = await runAgainstCsms(root, {
      onCall: (call) => ({ payload: call.action === 'BootNotification' ? { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } : {} }),
      onAction: (_name, params, csms) => {
        const { action, payload } = params as { action: string; payload: Payload };
        // A CSMS that builds on what it was given: a remote start gets an id of its own.
        void csms?.call(action, action === 'RequestStartTransaction' ? { ...payload, remoteStartId: 77 } : payload);
        return { status: 'done' };
      },
    });
    expect(result.cases.map((c) => [c.id, c.verdict, relayedOf(c)])).toEqual([
      ['OH_RELAY_01_CSMS', 'pass', true],
      ['OH_RELAY_02_CSMS', 'pass', undefined],
      ['OH_RELAY_03_CSMS', 'pass', undefined],
    ]);
    const expectStep = (i: number) => result.cases[i]!.steps.find((step) => step.kind === 'expect');
    expect(expectStep(0)?.relay).toEqual({ supplied: ['type', 'evseId'], notSupplied: [] });
    expect(expectStep(1)?.relay).toEqual({ supplied: ['idToken.idToken'], notSupplied: ['remoteStartId'] });
    expect(result.cases[2]!.steps.some((step) => step.relay)).toBe(false);
  });

  it('does not call a pass relayed when the CSMS sent a request on its own initiative', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_RELAY_04_CSMS.yaml': csmsCaseFile('OH_RELAY_04_CSMS', `${BOOT}
  - action: csmsSend
    params: { action: ClearCache, payload: {} }
  - expect: ClearCache
    reply: { status: Accepted }
  - expect: GetVariables
    match: { getVariableData: { $contains: { variable: { name: HeartbeatInterval } } } }
    reply: { getVariableResult: [{ attributeStatus: Accepted, attributeValue: '300', component: { name: OCPPCommCtrlr }, variable: { name: HeartbeatInterval } }] }
    checks: [R.1]
`),
    });
    const handed: unknown[] = [];
    const result = await runAgainstCsms(root, {
      onCall: (call) => ({ payload: call.action === 'BootNotification' ? { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } : {} }),
      onAction: (_name, params, csms) => {
        handed.push(params);
        // Once the cache is cleared, this CSMS reads the heartbeat interval back by itself.
        void csms?.call('ClearCache', {}).then(() => csms.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] }));
        return { status: 'done' };
      },
    });
    expect(handed).toEqual([{ action: 'ClearCache', payload: {} }]);
    const [only] = result.cases;
    expect([only?.verdict, relayedOf(only)]).toEqual(['pass', undefined]);
    expect(only?.steps.filter((step) => step.kind === 'expect').map((step) => step.relay)).toEqual([{ supplied: [], notSupplied: [] }, undefined]);
  });

  it('triggers a CSMS by intent through an http adapter that forwards no payload: the CSMS builds the request, the pass is its own', async () => {
    // A CSMS operator API on loopback: "make this EVSE inoperative" becomes a ChangeAvailability the CSMS builds.
    let csms: Session | undefined;
    const received: Array<{ url: string; body: unknown }> = [];
    const api = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        const body = JSON.parse(text) as { evseId?: number };
        received.push({ url: request.url ?? '', body });
        void csms?.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: body.evseId! } });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const root = writeTree({
      'ocpp2.0.1/core/OH_RELAY_05_CSMS.yaml': csmsCaseFile('OH_RELAY_05_CSMS', `${BOOT}
  - action: csmsSend
    params: { action: ChangeAvailability, evseId: 2, payload: { operationalStatus: Inoperative, evse: { id: 2 } } }
  - expect: ChangeAvailability
    match: { operationalStatus: Inoperative, evse: { id: 2, connectorId: { $exists: false } } }
    reply: { status: Accepted }
    checks: [R.1]
`),
    });
    try {
      // The adapter of the README's "Triggering a CSMS by intent", pointed at the loopback API.
      const csmsSend = {
        kind: 'http', baseUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/v1`,
        requests: { csmsSend: { method: 'POST', path: '/stations/{{config.stationId}}/commands/{{params.action}}', body: { transactionId: '{{optional params.transactionId}}', evseId: '{{optional params.evseId}}', idToken: '{{optional params.idToken}}' } } },
      };
      const result = await runAgainstCsms(root, {
        onCall: () => ({ payload: { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } }),
        onConnect: (session) => (csms = session),
      }, { config: { adapters: { default: { kind: 'prompt' }, actions: { csmsSend } } } });
      expect(received).toEqual([{ url: '/api/v1/stations/CS001/commands/ChangeAvailability', body: { evseId: 2 } }]);
      const [only] = result.cases;
      expect(only?.verdict).toBe('pass');
      // The adapter passed on the action and the EVSE only: the status and the evse object are the CSMS's work.
      expect(relayedOf(only)).toBeUndefined();
      expect(only?.steps.find((step) => step.kind === 'expect')?.relay).toEqual({ supplied: ['evse.id'], notSupplied: ['operationalStatus', 'evse.connectorId'] });
    } finally {
      await new Promise((resolve) => api.close(resolve));
    }
  });
});
