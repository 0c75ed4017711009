import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { csmsCaseFile, runAgainstCsms, writeTree } from './engine-harness.test-support.js';
import { reasonOf } from './results.test-support.js';

let api: Server | undefined;
afterEach(async () => {
  api?.closeAllConnections();
  await new Promise((resolve) => api?.close(resolve) ?? resolve(undefined));
  api = undefined;
});

/** A CSMS's REST API on loopback: each route answers as a real one might; requests are recorded. */
async function startCsmsApi(): Promise<{ baseUrl: string; received: Array<{ url: string; body: unknown }> }> {
  const received: Array<{ url: string; body: unknown }> = [];
  const answers: Record<string, [number, unknown]> = {
    '/stations/CS001/reset': [200, { success: false, error: 'station busy' }],
    '/stations/CS001/clear-cache': [501, { error: 'not implemented' }],
    '/stations/CS001/trigger-message': [401, { error: 'invalid api key' }],
    '/stations/CS001/remote-stop': [200, { success: true }],
  };
  api = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      received.push({ url: request.url ?? '', body: text ? JSON.parse(text) : undefined });
      const [status, body] = answers[request.url ?? ''] ?? [404, { error: 'no such route' }];
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  const listening = api;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, received };
}

const BOOT = `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
    checks: [R.1]`;

const csmsSendCase = (id: string, params: string) => csmsCaseFile(id, `${BOOT}
  - action: csmsSend
    params: ${params}
`);

describe('device actions through an http adapter, as a case sees them', () => {
  it('gives pass, error or inconclusive by what the API answered, with routes from a lookup table', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_ADAPT_01_CSMS.yaml': csmsSendCase('OH_ADAPT_01_CSMS', '{ action: Reset, payload: { type: OnIdle }, type: OnIdle }'),
      'ocpp2.0.1/core/OH_ADAPT_02_CSMS.yaml': csmsSendCase('OH_ADAPT_02_CSMS', '{ action: ClearCache, payload: {} }'),
      'ocpp2.0.1/core/OH_ADAPT_03_CSMS.yaml': csmsSendCase('OH_ADAPT_03_CSMS', '{ action: TriggerMessage, payload: { requestedMessage: Heartbeat }, requestedMessage: Heartbeat }'),
      'ocpp2.0.1/core/OH_ADAPT_04_CSMS.yaml': csmsSendCase('OH_ADAPT_04_CSMS', "{ action: RequestStopTransaction, transactionId: 'TX-{{config.stationId}}' }"),
    });
    const csmsApi = await startCsmsApi();
    const result = await runAgainstCsms(root, { onCall: () => ({ payload: { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } }) }, {
      config: {
        tables: { route: { Reset: 'reset', ClearCache: 'clear-cache', RequestStopTransaction: 'remote-stop' } },
        adapters: {
          default: { kind: 'prompt' },
          actions: {
            csmsSend: {
              kind: 'http',
              baseUrl: csmsApi.baseUrl,
              headers: { Authorization: 'Bearer lab-key' },
              success: { status: [200], body: { path: 'success', equals: true } },
              requests: {
                csmsSend: {
                  path: "/stations/{{config.stationId}}/{{#if (eq params.action 'TriggerMessage')}}trigger-message{{else}}{{lookup config.tables.route params.action}}{{/if}}",
                  body: { transactionId: '{{optional params.transactionId}}', type: '{{optional params.type}}', payload: '{{optional params.payload}}' },
                },
              },
            },
          },
        },
      },
    });
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([
      ['OH_ADAPT_01_CSMS', 'error'],
      ['OH_ADAPT_02_CSMS', 'inconclusive'],
      ['OH_ADAPT_03_CSMS', 'error'],
      ['OH_ADAPT_04_CSMS', 'pass'],
    ]);
    expect(reasonOf(result.cases[0])).toMatch(/csmsSend failed: HTTP 200: .*the body's success is false, expected true/);
    expect(reasonOf(result.cases[1])).toMatch(/csmsSend unsupported: HTTP 501/);
    expect(reasonOf(result.cases[2])).toMatch(/the API refused the credentials; check adapters\.actions\.csmsSend\.headers\.Authorization/);
    expect(csmsApi.received).toEqual([
      { url: '/stations/CS001/reset', body: { type: 'OnIdle', payload: { type: 'OnIdle' } } },
      { url: '/stations/CS001/clear-cache', body: { payload: {} } },
      { url: '/stations/CS001/trigger-message', body: { payload: { requestedMessage: 'Heartbeat' } } },
      { url: '/stations/CS001/remote-stop', body: { transactionId: 'TX-CS001' } },
    ]);
  });
});
