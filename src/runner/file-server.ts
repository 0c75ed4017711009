import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { createFirmwareImage } from '../reference/index.js';
import type { FILE_TEMPLATE_NAMES } from '../testcase/index.js';

/** What the file server offers test cases, as `{{files.*}}` in templates. */
export interface FileServerUrls extends Record<string, unknown> {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A firmware image the station can download (GET). */
  firmwareUrl: string;
  /** A firmware image that downloads and is signed like the other, but fails the installation's own verification (TC_L_08). */
  uninstallableFirmwareUrl: string;
  /** Where a station uploads a log (PUT or POST; a file name is appended by the station or not). */
  logUrl: string;
  /** A log location whose path does not exist: every upload there is answered 404 (TC_N_26_CS). */
  missingLogUrl: string;
}

/** One request the file server answered. */
export interface FileRequest {
  method: string;
  /** The URL as requested, with the server's base. */
  url: string;
  /** The decoded path, without the scope prefix. */
  path: string;
  /** Bytes of the request body. */
  bytes: number;
  /** The HTTP status the server answered with. */
  status: number;
  /** Where an upload was kept, relative to the output folder (uploads/...). */
  storedAs?: string;
}

/** The run's file server: serves firmware images and keeps uploaded logs under `<outDir>/uploads`. */
export interface FileServer {
  urls: FileServerUrls;
  /** The bytes served as the firmware image (what firmware signatures sign). */
  firmwareImage: Buffer;
  /** The bytes served at `uninstallableFirmwareUrl`. */
  uninstallableFirmwareImage: Buffer;
  /** Every request received, in order, for reports and assertions. */
  requests: FileRequest[];
  /**
   * The same files under `/sut/<name>/`, for one SUT identity: its requests are also reported to
   * `onRequest` (the station lane records them in the case's trace) and its uploads kept in
   * `uploads/<name>/`, so that station lanes running side by side never mix their files.
   */
  scope(name: string, onRequest: (request: FileRequest) => void): FileServerUrls;
  close(): Promise<void>;
}

// Deterministic stand-in images in the format the reference station installs: firmware cases need
// files to fetch, not a real firmware. Any other name under /firmware/ is 404 (TC_L_07: DownloadFailed).
const FIRMWARE_IMAGES: Record<string, Buffer> = {
  '/firmware/ocpp-harness-firmware.bin': createFirmwareImage('2.0.0'),
  '/firmware/ocpp-harness-firmware-uninstallable.bin': createFirmwareImage('2.0.0', { damaged: true }),
};
const SCOPE_PREFIX = '/sut/';

interface Scope {
  folder: string;
  onRequest: (request: FileRequest) => void;
}

/**
 * Starts the HTTP file server firmware (L) and log (N) cases need: GET of a firmware path returns
 * its test image, PUT or POST /logs[/<name>] stores the body, anything else is answered 404 (so
 * /no-such-path/logs is a log location that does not exist). It listens on the host the harness
 * listens on, so a station in the lab network can reach it.
 */
export async function startFileServer(options: { host: string; port?: number; outDir: string }): Promise<FileServer> {
  const served: Served = { outDir: options.outDir, requests: [], scopes: new Map(), base: '' };
  const server = createServer((request, response) => void handle(request, response, served));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  served.base = url;
  return {
    urls: urlsUnder(url, url),
    firmwareImage: FIRMWARE_IMAGES['/firmware/ocpp-harness-firmware.bin']!,
    uninstallableFirmwareImage: FIRMWARE_IMAGES['/firmware/ocpp-harness-firmware-uninstallable.bin']!,
    requests: served.requests,
    scope: (name, onRequest) => {
      served.scopes.set(name, { folder: basename(name) || 'sut', onRequest });
      return urlsUnder(url, `${url}${SCOPE_PREFIX}${encodeURIComponent(name)}`);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function urlsUnder(url: string, root: string): FileServerUrls {
  // Exactly the names `check` accepts under `files.`.
  const urls = {
    url, firmwareUrl: `${root}/firmware/ocpp-harness-firmware.bin`, uninstallableFirmwareUrl: `${root}/firmware/ocpp-harness-firmware-uninstallable.bin`,
    logUrl: `${root}/logs`, missingLogUrl: `${root}/no-such-path/logs`,
  } satisfies Record<(typeof FILE_TEMPLATE_NAMES)[number], string>;
  return urls;
}

interface Served {
  outDir: string;
  requests: FileRequest[];
  scopes: Map<string, Scope>;
  base: string;
}

async function handle(request: IncomingMessage, response: ServerResponse, served: Served): Promise<void> {
  const body = await readBody(request);
  const method = request.method ?? 'GET';
  const { scope, path } = locate(request.url ?? '/', served.scopes);
  let answer: Answer;
  try {
    answer = respond(method, path, body, scope, served);
  } catch (error) {
    answer = { status: 500, headers: { 'content-type': 'text/plain' }, body: `ocpp-harness file server: ${(error as Error).message}\n` };
  }
  response.writeHead(answer.status, answer.headers).end(answer.body);
  const record: FileRequest = { method, url: `${served.base}${request.url ?? '/'}`, path, bytes: body.length, status: answer.status, ...(answer.storedAs ? { storedAs: answer.storedAs } : {}) };
  served.requests.push(record);
  scope?.onRequest(record);
}

/** The scope a request path names (`/sut/<name>/...`), and the path within it. */
function locate(rawUrl: string, scopes: Map<string, Scope>): { scope?: Scope; path: string } {
  let path: string;
  try {
    path = decodeURIComponent(rawUrl.split('?')[0] ?? '/');
  } catch {
    return { path: rawUrl };
  }
  if (!path.startsWith(SCOPE_PREFIX)) return { path };
  const rest = path.slice(SCOPE_PREFIX.length);
  const cut = rest.indexOf('/');
  const scope = scopes.get(cut < 0 ? rest : rest.slice(0, cut));
  return scope ? { scope, path: cut < 0 ? '/' : rest.slice(cut) } : { path };
}

interface Answer {
  status: number;
  headers: Record<string, string | number>;
  body?: Buffer | string;
  storedAs?: string;
}

function respond(method: string, path: string, body: Buffer, scope: Scope | undefined, served: Served): Answer {
  const image = method === 'GET' ? FIRMWARE_IMAGES[path] : undefined;
  if (image) return { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': image.length }, body: image };
  if ((method === 'PUT' || method === 'POST') && (path === '/logs' || path.startsWith('/logs/'))) {
    const folder = scope ? join('uploads', scope.folder) : 'uploads';
    mkdirSync(join(served.outDir, folder), { recursive: true });
    // basename: an uploaded name never escapes the uploads folder.
    const given = basename(path.slice('/logs'.length));
    const name = given && given !== '..' && given !== '.' ? given : `upload-${served.requests.length + 1}.log`;
    writeFileSync(join(served.outDir, folder, name), body);
    return { status: 201, headers: {}, storedAs: `${folder}/${name}` };
  }
  return { status: 404, headers: { 'content-type': 'text/plain' }, body: `ocpp-harness file server: nothing at ${method} ${path}\n` };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => resolve(Buffer.concat(chunks)));
  });
}
