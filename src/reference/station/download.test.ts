import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from './download.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/file') return void response.writeHead(200).end('content');
    // Says 100 bytes, sends 4, then hangs up: an incomplete body.
    if (request.url === '/cut') return void response.writeHead(200, { 'content-length': 100 }).write('part', () => response.destroy());
    if (request.url === '/silent') return;
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = () => ({ timeoutMs: 300, signal: new AbortController().signal });

describe('the reference station downloads a file over HTTP', () => {
  it('returns the bytes of a 200 answer', async () => {
    expect(Buffer.from((await downloadFile(`${base}/file`, options()))!).toString()).toBe('content');
  });

  it('returns nothing for a 404, a cut body, silence past the timeout, another protocol or an aborted download', async () => {
    expect(await downloadFile(`${base}/missing`, options())).toBeUndefined();
    expect(await downloadFile(`${base}/cut`, options())).toBeUndefined();
    expect(await downloadFile(`${base}/silent`, options())).toBeUndefined();
    expect(await downloadFile('ftp://127.0.0.1/file', options())).toBeUndefined();
    expect(await downloadFile('not a url', options())).toBeUndefined();
    const abort = new AbortController();
    const pending = downloadFile(`${base}/silent`, { timeoutMs: 10_000, signal: abort.signal });
    abort.abort();
    expect(await pending).toBeUndefined();
  });
});
