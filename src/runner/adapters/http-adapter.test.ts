import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { actionContextFor } from './action-context.test-support.js';
import { AdapterConfigError, createHttpAdapter, type ActionContext, type DeviceAction } from './index.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const LAB_CONFIG = { stationId: 'CS-1', token: 's3cret', tables: { route: { RequestStartTransaction: 'remote-start', Reset: 'reset' } } };
const contextFor = (action: DeviceAction, timeoutMs = 5_000): ActionContext => actionContextFor(action, LAB_CONFIG, timeoutMs);

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Starts an API on 127.0.0.1 that records each request and answers with `reply`. */
async function startApi(reply: (response: ServerResponse, request: Received) => void): Promise<{ baseUrl: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const record = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      received.push(record);
      reply(response, record);
    });
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(listening.address() as AddressInfo).port}/api/v1/`, received };
}

const CSMS_SEND: DeviceAction = { name: 'csmsSend', params: { action: 'RequestStartTransaction', payload: { idToken: { idToken: 'TAG1', type: 'ISO14443' }, remoteStartId: 7 } } };

describe('http adapter', () => {
  it('sends the rendered request: method, path, headers and body, with typed params kept whole', async () => {
    const api = await startApi((response) => response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}'));
    const adapter = createHttpAdapter({
      baseUrl: api.baseUrl,
      headers: { Authorization: 'Bearer {{config.token}}', 'X-Lab': 'bench-3' },
      requests: {
        csmsSend: {
          method: 'put',
          path: '/stations/{{config.stationId}}/commands/{{params.action}}',
          headers: { 'X-Lab': 'bench-4' },
          body: { station: '{{config.stationId}}', note: 'start #{{params.payload.remoteStartId}}', payload: '{{params.payload}}', list: ['{{params.action}}', 1, true, null] },
        },
      },
    });
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toEqual({ status: 'done', detail: 'HTTP 202: {"accepted":true}' });
    const [request] = api.received;
    expect(request).toMatchObject({ method: 'PUT', url: '/api/v1/stations/CS-1/commands/RequestStartTransaction' });
    expect(request?.headers).toMatchObject({ authorization: 'Bearer s3cret', 'x-lab': 'bench-4', 'content-type': 'application/json' });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      station: 'CS-1',
      note: 'start #7',
      payload: CSMS_SEND.params['payload'],
      list: ['RequestStartTransaction', 1, true, null],
    });
  });

  it('posts a string body as rendered, and sends no body when the template has none', async () => {
    const api = await startApi((response) => response.writeHead(204).end());
    const plugIn: DeviceAction = { name: 'plugIn', params: { evseId: 2 } };
    const adapter = createHttpAdapter({
      baseUrl: api.baseUrl,
      requests: { plugIn: { path: 'evse/{{params.evseId}}/plug', body: 'evse={{params.evseId}}', headers: { 'Content-Type': 'text/plain' } } },
      defaultRequest: { path: 'actions/default' },
    });
    await expect(adapter.perform(plugIn, contextFor(plugIn))).resolves.toEqual({ status: 'done', detail: 'HTTP 204' });
    const reboot: DeviceAction = { name: 'reboot', params: {} };
    await expect(adapter.perform(reboot, contextFor(reboot))).resolves.toEqual({ status: 'done', detail: 'HTTP 204' });
    expect(api.received.map((r) => [r.method, r.url, r.headers['content-type'], r.body])).toEqual([
      ['POST', '/api/v1/evse/2/plug', 'text/plain', 'evse=2'],
      ['POST', '/api/v1/actions/default', undefined, ''],
    ]);
  });

  it('fails on a status other than 2xx, quoting the body', async () => {
    const api = await startApi((response) => response.writeHead(500).end('station CS-1 is not connected'));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'send' } } });
    const outcome = await adapter.perform(CSMS_SEND, contextFor(CSMS_SEND));
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^HTTP 500: station CS-1 is not connected \(POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/send\)$/) });
  });

  it('fails when the connection is refused', async () => {
    const api = await startApi(() => undefined);
    const listening = server;
    server = undefined;
    await new Promise((resolve) => listening?.close(resolve));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'send' } } });
    const outcome = await adapter.perform(CSMS_SEND, contextFor(CSMS_SEND));
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('fails when the API never answers within the timeout', async () => {
    const api = await startApi(() => undefined);
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'send' } } });
    const outcome = await adapter.perform(CSMS_SEND, contextFor(CSMS_SEND, 200));
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^no result within 200 ms/) });
    expect(api.received).toHaveLength(1);
  });

  it('names the params its request passes on: those its templates read, all of them when one reads params whole', () => {
    const adapter = createHttpAdapter({
      baseUrl: 'http://127.0.0.1:1', headers: { 'X-Evse': '{{params.evseId}}' },
      requests: {
        csmsSend: { path: '/stations/{{config.stationId}}/commands/{{params.action}}', body: { transactionId: '{{params.transactionId}}', token: '{{params.idToken.idToken}}' } },
        csmsAddIdToken: { path: '/tokens', body: '{{json params}}' },
      },
    });
    expect(adapter.forwardedParams?.(CSMS_SEND)).toEqual(['action', 'transactionId', 'idToken.idToken', 'evseId']);
    expect(adapter.forwardedParams?.({ name: 'csmsAddIdToken', params: {} })).toBeUndefined();
    expect(adapter.forwardedParams?.({ name: 'plugIn', params: {} })).toBeUndefined();
  });

  it('is unsupported without a request for the action, and refuses a base URL that is not one', async () => {
    const adapter = createHttpAdapter({ baseUrl: 'http://127.0.0.1:1', requests: {} });
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toEqual({ status: 'unsupported', reason: 'no HTTP request is configured for "csmsSend"' });
    expect(() => createHttpAdapter({ baseUrl: 'csms.local/api', requests: {} })).toThrow(AdapterConfigError);
  });
});

/** Answers every request with this status and JSON body. */
const answer = (status: number, body?: unknown) => (response: ServerResponse) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));

describe('http adapter: what an answer means', () => {
  it('fails a 200 whose body says it did not work, when the success test reads the body', async () => {
    const api = await startApi(answer(200, { success: false, message: 'station offline' }));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'send' } }, success: { status: [200, 204], body: { path: 'success', equals: true } } });
    const outcome = await adapter.perform(CSMS_SEND, contextFor(CSMS_SEND));
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^HTTP 200: \{"success":false,"message":"station offline"\} \(POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/send\): the body's success is false, expected true$/) });
  });

  it('is done when status and body pass the success test (a 204 has no body to read), and fails on a status outside its list', async () => {
    let status = 200;
    const api = await startApi((response) => (status === 204 ? response.writeHead(204).end() : answer(status, { result: { success: true } })(response)));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'send' } }, success: { status: [200, 204], body: { path: 'result.success', equals: true } } });
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toEqual({ status: 'done', detail: 'HTTP 200: {"result":{"success":true}}' });
    status = 204;
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toEqual({ status: 'done', detail: 'HTTP 204' });
    status = 202;
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toMatchObject({ status: 'failed', reason: expect.stringMatching(/: the status is not 200 or 204$/) });
  });

  it('fails a body that is not JSON when the success test reads the body', async () => {
    const api = await startApi((response) => response.writeHead(200).end('OK'));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'send' } }, success: { body: { path: 'status', equals: 'done' } } });
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toMatchObject({ status: 'failed', reason: expect.stringMatching(/: the body is not JSON, so the body's status is not "done"$/) });
  });

  it('is unsupported on HTTP 501', async () => {
    const api = await startApi(answer(501, { status: 'unsupported', reason: 'no such action' }));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'send' } } });
    const outcome = await adapter.perform(CSMS_SEND, contextFor(CSMS_SEND));
    expect(outcome).toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/^HTTP 501: \{"status":"unsupported","reason":"no such action"\} \(POST /) });
  });

  it('is unsupported on a declared answer, and a request\'s own test replaces the adapter\'s', async () => {
    const api = await startApi((response, request) => (request.url.endsWith('/reset') ? answer(400, { error: 'not-implemented' }) : answer(400, { error: 'unsupported' }))(response));
    const adapter = createHttpAdapter({
      baseUrl: api.baseUrl,
      unsupported: { body: { path: 'error', equals: 'unsupported' } },
      requests: { csmsSend: { path: 'send' }, reboot: { path: 'reset', unsupported: { status: [400], body: { path: 'error', equals: 'not-implemented' } } } },
    });
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/^HTTP 400: \{"error":"unsupported"\}/) });
    const reboot: DeviceAction = { name: 'reboot', params: {} };
    await expect(adapter.perform(reboot, contextFor(reboot))).resolves.toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/^HTTP 400: \{"error":"not-implemented"\}/) });
  });

  it('fails on 401 and 403, naming the configuration fields that hold the credentials', async () => {
    let status = 401;
    const api = await startApi((response) => answer(status, { error: 'invalid token' })(response));
    const adapter = createHttpAdapter({
      baseUrl: api.baseUrl,
      configPath: 'adapters.actions.csmsSend',
      headers: { Authorization: 'Bearer {{config.token}}', 'X-Lab': 'bench-3' },
      requests: { csmsSend: { path: 'send' } },
    });
    const refused = await adapter.perform(CSMS_SEND, contextFor(CSMS_SEND));
    expect(refused).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^HTTP 401: .*: the API refused the credentials; check adapters\.actions\.csmsSend\.headers\.Authorization$/) });
    status = 403;
    const bare = createHttpAdapter({ baseUrl: api.baseUrl, configPath: 'adapters.default', requests: {}, defaultRequest: { path: 'send', headers: { 'X-Api-Key': 'k' } } });
    await expect(bare.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toMatchObject({ status: 'failed', reason: expect.stringMatching(/check adapters\.default\.defaultRequest\.headers\.X-Api-Key$/) });
    const none = createHttpAdapter({ baseUrl: api.baseUrl, configPath: 'adapters.default', requests: { csmsSend: { path: 'send' } } });
    await expect(none.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toMatchObject({ status: 'failed', reason: expect.stringMatching(/no headers are configured: add the API's credentials under adapters\.default\.headers \(e\.g\. Authorization\)$/) });
  });
});

describe('http adapter: templates', () => {
  it('maps an action onto a route with a lookup table and a case helper', async () => {
    const api = await startApi(answer(200));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: 'stations/{{config.stationId}}/{{lookup config.tables.route params.action}}?op={{lowerCamel params.action}}' } } });
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toMatchObject({ status: 'done' });
    expect(api.received.map((request) => request.url)).toEqual(['/api/v1/stations/CS-1/remote-start?op=requestStartTransaction']);
  });

  it('fails without sending anything when the table has no entry for the action, naming it', async () => {
    const api = await startApi(answer(200));
    const adapter = createHttpAdapter({ baseUrl: api.baseUrl, requests: { csmsSend: { path: '{{lookup config.tables.route params.action}}' } } });
    const clearCache: DeviceAction = { name: 'csmsSend', params: { action: 'ClearCache' } };
    await expect(adapter.perform(clearCache, contextFor(clearCache))).resolves.toEqual({
      status: 'failed',
      reason: 'cannot build the HTTP request for "csmsSend": template "{{lookup config.tables.route params.action}}": lookup: the table has no entry "ClearCache" (it has: RequestStartTransaction, Reset)',
    });
    expect(api.received).toEqual([]);
  });

  it('leaves an optional field out of the body when its param is absent, and tests presence with #if', async () => {
    const api = await startApi(answer(200));
    const adapter = createHttpAdapter({
      baseUrl: api.baseUrl,
      requests: { csmsSend: { path: '{{#if params.transactionId}}transactions/{{params.transactionId}}/stop{{else}}send{{/if}}', body: { action: '{{params.action}}', transactionId: '{{optional params.transactionId}}', payload: '{{optional params.payload}}' } } },
    });
    const stop: DeviceAction = { name: 'csmsSend', params: { action: 'RequestStopTransaction', transactionId: 'TX-1' } };
    const clearCache: DeviceAction = { name: 'csmsSend', params: { action: 'ClearCache' } };
    await expect(adapter.perform(stop, contextFor(stop))).resolves.toMatchObject({ status: 'done' });
    await expect(adapter.perform(clearCache, contextFor(clearCache))).resolves.toMatchObject({ status: 'done' });
    expect(api.received.map((request) => [request.url, JSON.parse(request.body)])).toEqual([
      ['/api/v1/transactions/TX-1/stop', { action: 'RequestStopTransaction', transactionId: 'TX-1' }],
      ['/api/v1/send', { action: 'ClearCache' }],
    ]);
  });

  it('sends an object param given as a string body template as JSON, and text bodies as text', async () => {
    const api = await startApi(answer(200));
    const adapter = createHttpAdapter({
      baseUrl: api.baseUrl,
      requests: { csmsSend: { path: 'send', body: '{{params.payload}}' }, plugIn: { path: 'plug', body: 'payload={{params.payload}}', headers: { 'content-type': 'text/plain' } } },
    });
    const plugIn: DeviceAction = { name: 'plugIn', params: { payload: { evseId: 1 } } };
    await expect(adapter.perform(CSMS_SEND, contextFor(CSMS_SEND))).resolves.toMatchObject({ status: 'done' });
    await expect(adapter.perform(plugIn, contextFor(plugIn))).resolves.toMatchObject({ status: 'done' });
    expect(api.received.map((request) => [request.headers['content-type'], request.body])).toEqual([
      ['application/json', JSON.stringify(CSMS_SEND.params['payload'])],
      ['text/plain', 'payload={"evseId":1}'],
    ]);
  });
});
