import { isDeepStrictEqual } from 'node:util';
import type { HttpOutcomeTests, HttpResponseTest } from '../../config/index.js';
import { readPath, templateVariables } from '../../testcase/index.js';
import { AdapterConfigError, ownEntry, type ActionContext, type ActionOutcome, type Adapter } from './adapter.js';
import { armDeadline, cancelledBeforeStart, cancelledOutcome, type Interruption } from './deadline.js';

/**
 * One HTTP request per action. `path`, header values and the strings inside `body` are templates
 * (see ActionContext): a string that is one expression, such as `{{params.payload}}`, keeps its
 * value's JSON type, so an object passes through whole, and `{{optional params.x}}` leaves the
 * field out when x is absent. `success` and `unsupported` replace the adapter's for this request.
 */
export interface HttpRequestTemplate extends HttpOutcomeTests {
  /** Default POST. */
  method?: string;
  /** Appended to the adapter's base URL; an absolute http(s) URL is used as it is. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The API an HTTP adapter calls, the request per action name, and how to read its answers. */
export interface HttpAdapterOptions extends HttpOutcomeTests {
  /** e.g. `https://csms.example/api/v1` */
  baseUrl: string;
  requests: Record<string, HttpRequestTemplate>;
  /** Sent for actions without an entry in `requests`; without it, those are unsupported. */
  defaultRequest?: HttpRequestTemplate;
  /** Sent with every request (an API key, say); a request's own headers win. */
  headers?: Record<string, string>;
  /** Where the adapter sits in the configuration (`adapters.actions.csmsSend`), to name the field a lab must fix. */
  configPath?: string;
}

const EXCERPT_CHARS = 200;
/** Header names that usually carry credentials, named first when an API refuses them. */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie/i;

/** Creates an adapter that sends an HTTP request to a device's or CSMS's API per action. */
export function createHttpAdapter(options: HttpAdapterOptions): Adapter {
  if (!URL.canParse(options.baseUrl)) throw new AdapterConfigError(`http adapter: baseUrl "${options.baseUrl}" is not a URL`);
  return {
    kind: 'http',
    async perform(action, context) {
      const own = ownEntry(options.requests, action.name);
      const template = own ?? options.defaultRequest;
      if (template === undefined) return { status: 'unsupported', reason: `no HTTP request is configured for "${action.name}"` };
      const early = cancelledBeforeStart(context);
      if (early) return early;
      let request: PreparedRequest;
      try {
        request = prepareRequest(template, options, context);
      } catch (error) {
        return { status: 'failed', reason: `cannot build the HTTP request for "${action.name}": ${(error as Error).message}` };
      }
      const tests: HttpOutcomeTests = { success: template.success ?? options.success, unsupported: template.unsupported ?? options.unsupported };
      const credentials = credentialFields(options, own ? `requests.${action.name}` : 'defaultRequest', template);
      return send(request, context, (answer) => outcomeOf(answer, tests, credentials));
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

function prepareRequest(template: HttpRequestTemplate, options: HttpAdapterOptions, context: ActionContext): PreparedRequest {
  const method = (template.method ?? 'POST').toUpperCase();
  const path = context.render(template.path);
  const url = /^https?:\/\//i.test(path) ? path : `${options.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...options.headers, ...template.headers })) headers[name.toLowerCase()] = context.render(value);
  const value = template.body === undefined ? undefined : context.renderValue(template.body);
  // A text body goes as it is; anything else (an object, a number) as JSON.
  const body = value === undefined || typeof value === 'string' ? value : JSON.stringify(value);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  return { method, url, headers, body };
}

/** What the API answered. */
interface Answer {
  status: number;
  text: string;
  /** `METHOD url`, for messages. */
  what: string;
}

/**
 * Reads an answer: 501 or the declared `unsupported` test → unsupported; 401/403 → failed, naming
 * the configured credentials; the `success` test (default: any 2xx) → done; anything else → failed.
 */
function outcomeOf(answer: Answer, tests: HttpOutcomeTests, credentials: string): ActionOutcome {
  const excerpt = answer.text ? `: ${answer.text.slice(0, EXCERPT_CHARS)}` : '';
  const said = `HTTP ${answer.status}${excerpt}`;
  if (answer.status === 501 || (tests.unsupported && mismatchOf(tests.unsupported, answer) === undefined)) return { status: 'unsupported', reason: `${said} (${answer.what})` };
  if (answer.status === 401 || answer.status === 403) return { status: 'failed', reason: `${said} (${answer.what}): the API refused the credentials; ${credentials}` };
  const mismatch = tests.success ? mismatchOf(tests.success, answer) : answer.status >= 200 && answer.status < 300 ? undefined : '';
  if (mismatch === undefined) return { status: 'done', detail: said };
  return { status: 'failed', reason: `${said} (${answer.what})${mismatch ? `: ${mismatch}` : ''}` };
}

/** Why an answer fails a test, or undefined when it passes. */
function mismatchOf(test: HttpResponseTest, answer: Answer): string | undefined {
  if (test.status && !test.status.includes(answer.status)) return `the status is not ${test.status.join(' or ')}`;
  // 204 No Content has no body by definition (RFC 9110 §15.3.5): its status says it all.
  if (!test.body || answer.status === 204) return undefined;
  const { path, equals } = test.body;
  const where = path === '' ? 'the body' : `the body's ${path}`;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `the body is not JSON, so ${where} is not ${JSON.stringify(equals)}`;
  }
  const found = readPath(body, path);
  if (!found.found) return `${where} is missing, expected ${JSON.stringify(equals)}`;
  return isDeepStrictEqual(found.value, equals) ? undefined : `${where} is ${JSON.stringify(found.value)}, expected ${JSON.stringify(equals)}`;
}

/** The configuration fields a lab should check when the API refuses its credentials. */
function credentialFields(options: HttpAdapterOptions, requestKey: string, template: HttpRequestTemplate): string {
  const at = options.configPath ?? 'the http adapter';
  const fields = [
    ...Object.keys(options.headers ?? {}).map((name) => `${at}.headers.${name}`),
    ...Object.keys(template.headers ?? {}).map((name) => `${at}.${requestKey}.headers.${name}`),
  ];
  if (fields.length === 0) return `no headers are configured: add the API's credentials under ${at}.headers (e.g. Authorization)`;
  const likely = fields.filter((field) => CREDENTIAL_HEADER.test(field.slice(field.lastIndexOf('.') + 1)));
  return `check ${(likely.length > 0 ? likely : fields).join(', ')}`;
}

async function send(request: PreparedRequest, context: ActionContext, judge: (answer: Answer) => ActionOutcome): Promise<ActionOutcome> {
  const controller = new AbortController();
  let interruption: Interruption | undefined;
  const disarm = armDeadline(context, (why) => {
    interruption = why;
    controller.abort();
  });
  const what = `${request.method} ${request.url}`;
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: controller.signal });
    return judge({ status: response.status, text: (await response.text()).trim(), what });
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
