import Handlebars from 'handlebars';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterConfigError, createHttpAdapter, type ActionContext, type DeviceAction } from './index.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const contextFor = (action: DeviceAction, timeoutMs = 5_000): ActionContext => ({
  timeoutMs,
  render: (template) => Handlebars.compile(template, { noEscape: true })({ action: action.name, params: action.params, config: { stationId: 'CS-1', token: 's3cret' } }),
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Starts an API on 127.0.0.1 that records each request and answers with `reply`. */
async function startApi(reply: (response: ServerResponse) => void): Promise<{ baseUrl: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      reply(response);
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
      defaultRequest: { path: 'actions/{{action}}' },
    });
    await expect(adapter.perform(plugIn, contextFor(plugIn))).resolves.toEqual({ status: 'done', detail: 'HTTP 204' });
    const reboot: DeviceAction = { name: 'reboot', params: {} };
    await expect(adapter.perform(reboot, contextFor(reboot))).resolves.toEqual({ status: 'done', detail: 'HTTP 204' });
    expect(api.received.map((r) => [r.method, r.url, r.headers['content-type'], r.body])).toEqual([
      ['POST', '/api/v1/evse/2/plug', 'text/plain', 'evse=2'],
      ['POST', '/api/v1/actions/reboot', undefined, ''],
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
