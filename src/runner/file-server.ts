import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { createFirmwareImage } from '../reference/index.js';

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
}

/** The run's file server: serves firmware images and keeps uploaded logs under `<outDir>/uploads`. */
export interface FileServer {
  urls: FileServerUrls;
  /** The bytes served as the firmware image (what firmware signatures sign). */
  firmwareImage: Buffer;
  /** The bytes served at `uninstallableFirmwareUrl`. */
  uninstallableFirmwareImage: Buffer;
  /** Every request received, in order (method, path, bytes), for reports and assertions. */
  requests: Array<{ method: string; path: string; bytes: number }>;
  close(): Promise<void>;
}

// Deterministic stand-in images in the format the reference station installs: firmware cases need
// files to fetch, not a real firmware. Any other name under /firmware/ is 404 (TC_L_07: DownloadFailed).
const FIRMWARE_IMAGES: Record<string, Buffer> = {
  '/firmware/ocpp-harness-firmware.bin': createFirmwareImage('2.0.0'),
  '/firmware/ocpp-harness-firmware-uninstallable.bin': createFirmwareImage('2.0.0', { damaged: true }),
};

/**
 * Starts the HTTP file server firmware (L) and log (N) cases need: GET of a firmware path returns
 * its test image, PUT or POST /logs/<name> stores the body. It listens on the host the harness
 * listens on, so a station in the lab network can reach it.
 */
export async function startFileServer(options: { host: string; outDir: string }): Promise<FileServer> {
  const uploads = join(options.outDir, 'uploads');
  const requests: FileServer['requests'] = [];
  const server = createServer((request, response) => void handle(request, response, uploads, requests));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    urls: {
      url, firmwareUrl: `${url}/firmware/ocpp-harness-firmware.bin`,
      uninstallableFirmwareUrl: `${url}/firmware/ocpp-harness-firmware-uninstallable.bin`, logUrl: `${url}/logs`,
    },
    firmwareImage: FIRMWARE_IMAGES['/firmware/ocpp-harness-firmware.bin']!,
    uninstallableFirmwareImage: FIRMWARE_IMAGES['/firmware/ocpp-harness-firmware-uninstallable.bin']!,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, uploads: string, requests: FileServer['requests']): Promise<void> {
  const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
  const body = await readBody(request);
  requests.push({ method: request.method ?? 'GET', path, bytes: body.length });
  const image = request.method === 'GET' ? FIRMWARE_IMAGES[path] : undefined;
  if (image) {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': image.length }).end(image);
    return;
  }
  if ((request.method === 'PUT' || request.method === 'POST') && path.startsWith('/logs')) {
    mkdirSync(uploads, { recursive: true });
    // basename: an uploaded name never escapes the uploads folder.
    const name = basename(path.slice('/logs'.length)) || `upload-${requests.length}.log`;
    writeFileSync(join(uploads, name), body);
    response.writeHead(201).end();
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end(`ocpp-harness file server: nothing at ${request.method} ${path}\n`);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => resolve(Buffer.concat(chunks)));
  });
}
