import { templateVariables } from '../../testcase/index.js';
import { AdapterConfigError, ownEntry, type ActionContext, type ActionOutcome, type Adapter, type DeviceAction } from './adapter.js';
import { armDeadline, cancelledBeforeStart, cancelledOutcome, type Interruption } from './deadline.js';

/**
 * One HTTP request per action. `path`, header values and the strings inside `body` are Handlebars
 * templates; a body string that is exactly `{{params.NAME}}` takes that param's value with its
 * JSON type, so an object such as csmsSend's `payload` passes through whole. A string `body` is
 * rendered and sent as it is.
 */
export interface HttpRequestTemplate {
  /** Default POST. */
  method?: string;
  /** Appended to the adapter's base URL; an absolute http(s) URL is used as it is. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The API an HTTP adapter calls, and the request per action name. */
export interface HttpAdapterOptions {
  /** e.g. `https://csms.example/api/v1` */
  baseUrl: string;
  requests: Record<string, HttpRequestTemplate>;
  /** Sent for actions without an entry in `requests`; without it, those are unsupported. */
  defaultRequest?: HttpRequestTemplate;
  /** Sent with every request (an API key, say); a request's own headers win. */
  headers?: Record<string, string>;
}

const EXCERPT_CHARS = 200;
const WHOLE_PARAM = /^\{\{\{?\s*params\.([\w$.-]+)\s*\}?\}\}$/;

/** Creates an adapter that sends an HTTP request to a device's or CSMS's API per action. */
export function createHttpAdapter(options: HttpAdapterOptions): Adapter {
  if (!URL.canParse(options.baseUrl)) throw new AdapterConfigError(`http adapter: baseUrl "${options.baseUrl}" is not a URL`);
  return {
    kind: 'http',
    async perform(action, context) {
      const template = ownEntry(options.requests, action.name) ?? options.defaultRequest;
      if (template === undefined) return { status: 'unsupported', reason: `no HTTP request is configured for "${action.name}"` };
      const early = cancelledBeforeStart(context);
      if (early) return early;
      let request: PreparedRequest;
      try {
        request = prepareRequest(template, action, options, context);
      } catch (error) {
        return { status: 'failed', reason: `cannot build the HTTP request for "${action.name}": ${(error as Error).message}` };
      }
      return send(request, context);
    },
    // The request carries exactly the params its templates read.
    forwardedParams(action) {
      const template = ownEntry(options.requests, action.name) ?? options.defaultRequest;
      if (template === undefined) return undefined;
      try {
        const read = templateVariables([template.path, template.headers, template.body, options.headers]);
        if (read.includes('params')) return undefined;
        return read.filter((name) => name.startsWith('params.')).map((name) => name.slice('params.'.length));
      } catch {
        return undefined;
      }
    },
  };
}

interface PreparedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function prepareRequest(template: HttpRequestTemplate, action: DeviceAction, options: HttpAdapterOptions, context: ActionContext): PreparedRequest {
  const method = (template.method ?? 'POST').toUpperCase();
  const path = context.render(template.path);
  const url = /^https?:\/\//i.test(path) ? path : `${options.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...options.headers, ...template.headers })) headers[name.toLowerCase()] = context.render(value);
  let body: string | undefined;
  if (template.body !== undefined) {
    body = typeof template.body === 'string' ? context.render(template.body) : JSON.stringify(renderValue(template.body, action, context));
    headers['content-type'] ??= 'application/json';
  }
  return { method, url, headers, body };
}

function renderValue(value: unknown, action: DeviceAction, context: ActionContext): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PARAM.exec(value);
    return whole ? paramAt(action.params, whole[1] ?? '') : context.render(value);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, action, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, action, context)]));
  }
  return value;
}

function paramAt(params: Record<string, unknown>, dottedPath: string): unknown {
  let value: unknown = params;
  for (const key of dottedPath.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

async function send(request: PreparedRequest, context: ActionContext): Promise<ActionOutcome> {
  const controller = new AbortController();
  let interruption: Interruption | undefined;
  const disarm = armDeadline(context, (why) => {
    interruption = why;
    controller.abort();
  });
  const what = `${request.method} ${request.url}`;
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: controller.signal });
    const text = (await response.text()).trim();
    const excerpt = text ? `: ${text.slice(0, EXCERPT_CHARS)}` : '';
    if (response.ok) return { status: 'done', detail: `HTTP ${response.status}${excerpt}` };
    return { status: 'failed', reason: `HTTP ${response.status}${excerpt} (${what})` };
  } catch (error) {
    if (interruption?.kind === 'timeout') return { status: 'failed', reason: `no result within ${interruption.timeoutMs} ms (${what})` };
    if (interruption?.kind === 'cancelled') return cancelledOutcome(interruption.reason);
    return { status: 'failed', reason: `${what}: ${networkReason(error)}` };
  } finally {
    disarm();
  }
}

/** fetch reports every network problem as "fetch failed"; the useful part is in its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
