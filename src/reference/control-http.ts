import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionOutcome, PerformOptions, ReferenceControl } from './control.js';

/** Where the control endpoint listens. */
export interface ControlHttpOptions {
  /** Default 127.0.0.1: the endpoint has no authentication, so it stays local unless asked otherwise. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
}

/** A running control endpoint. */
export interface ControlHttpServer {
  /** e.g. `http://127.0.0.1:8181`; actions are under `<url>/actions/<name>`. */
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

// How each outcome reads to an HTTP client: the harness's http adapter takes 501 as unsupported, and
// a lab's `success` test can also read the body's "status".
const STATUS_OF: Record<ActionOutcome['status'], number> = { done: 200, failed: 500, unsupported: 501, aborted: 409 };

/**
 * Serves a reference implementation's control API over HTTP, for `ocpp-harness simulate` and
 * for the harness's `http` adapter against a reference started on its own:
 *
 *   GET  /actions          → 200 {"actions": [...]}
 *   GET  /status           → 200 what the idle state consists of (connection, registration, connectors, transactions)
 *   POST /actions/<name>   JSON object of params (empty body: no params)
 *                          → 200 {"status":"done",...}; 404 unknown action; 400 body not a JSON
 *                            object or a bad query; 413 body over 1 MiB; 500 failed; 501 unsupported; 409 aborted
 *   POST /actions/<name>?wait=true[&timeoutMs=N]
 *                          answers only once the OCPP exchange the action caused has finished (every
 *                          CALL it made the reference send answered), like a synchronous device API;
 *                          after timeoutMs (default 30000; or `waitTimeoutMs` in the body) 500 failed
 *
 * A harness configuration that drives a reference CSMS started with `ocpp-harness simulate csms`
 * (control endpoint on its default port 9100) through the http adapter (fixtures/config/simulated-csms.yaml is a whole one):
 *
 *   adapters:
 *     default:
 *       kind: http
 *       baseUrl: http://127.0.0.1:9100
 *       success: { status: [200], body: { path: status, equals: done } }
 *       requests:
 *         csmsSend: { path: /actions/csmsSend, body: { stationId: "{{config.stationId}}", action: "{{params.action}}", payload: "{{optional params.payload}}" } }
 *         csmsSetBootResult: { path: /actions/csmsSetBootResult, body: { status: "{{params.status}}" } }
 *         csmsAddIdToken: { path: /actions/csmsAddIdToken, body: { idToken: "{{params.idToken}}", status: "{{params.status}}" } }
 */
export function serveControl(control: ReferenceControl, options: ControlHttpOptions = {}): Promise<ControlHttpServer> {
  const server = createServer((request, response) => {
    handle(control, request, response).catch((error: unknown) => reply(response, 500, { status: 'failed', reason: (error as Error).message }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

async function handle(control: ReferenceControl, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://control');
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/actions' || path === '/status') {
    if (request.method !== 'GET') return reply(response, 405, { error: `use GET ${path}` }, { allow: 'GET' });
    return reply(response, 200, path === '/status' ? control.status() : { actions: control.actions });
  }
  const match = /^\/actions\/([^/]+)$/.exec(path);
  if (!match) return reply(response, 404, { error: `no such endpoint ${path}; use GET /actions or POST /actions/<name>` });
  if (request.method !== 'POST') return reply(response, 405, { error: 'use POST /actions/<name>' }, { allow: 'POST' });
  const name = decodeURIComponent(match[1]!);
  if (!control.actions.includes(name)) return reply(response, 404, { status: 'unsupported', reason: `unknown action "${name}"; known: ${control.actions.join(', ')}` });
  const body = await readBody(request);
  if (body === undefined) return reply(response, 413, { error: `the request body is larger than ${MAX_BODY_BYTES} bytes` });
  const params = parseParams(body);
  if (typeof params === 'string') return reply(response, 400, { error: params });
  const options = performOptions(url.searchParams, params);
  if (typeof options === 'string') return reply(response, 400, { error: options });
  const outcome = await control.perform(name, params, options);
  return reply(response, STATUS_OF[outcome.status], outcome);
}

/** `?wait=true` and the wait's bound (`?timeoutMs=`, or `waitTimeoutMs` in the body, which is no action parameter); or what is wrong. */
function performOptions(query: URLSearchParams, params: Record<string, unknown>): PerformOptions | string {
  const wait = query.get('wait');
  if (wait !== null && wait !== 'true' && wait !== 'false') return `wait must be true or false, not "${wait}"`;
  const bodyTimeout = params['waitTimeoutMs'];
  delete params['waitTimeoutMs'];
  const timeout = query.get('timeoutMs') ?? bodyTimeout;
  if (timeout === undefined) return { wait: wait === 'true' };
  const timeoutMs = Number(timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) return `timeoutMs must be a whole number of milliseconds of at least 1, not ${JSON.stringify(timeout)}`;
  return { wait: wait === 'true', timeoutMs };
}

/** The params object of a request body, or why the body is not one. */
function parseParams(body: string): Record<string, unknown> | string {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return `the request body is not JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'the request body must be a JSON object of action parameters';
  return value as Record<string, unknown>;
}

/** The body as text, or undefined when it is too large. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Read to the end even when too large, so the socket stays usable for the answer.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return bytes > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(`${JSON.stringify(body)}\n`);
}
