import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

/**
 * Downloads a file over HTTP or HTTPS (GET), as a station fetches its firmware: resolves with the
 * bytes, or undefined when the location cannot be read (bad URL, another protocol, no answer, a
 * status other than 200, a timeout, or `signal` aborted). No connection is kept alive afterwards.
 */
export function downloadFile(location: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<Uint8Array | undefined> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return Promise.resolve(undefined);
  }
  const get = url.protocol === 'http:' ? httpGet : url.protocol === 'https:' ? httpsGet : undefined;
  if (!get || options.signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: options.timeoutMs, signal: options.signal }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return resolve(undefined);
      }
      void readAll(response).then(resolve);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${options.timeoutMs} ms`)));
    request.on('error', () => resolve(undefined));
  });
}

function readAll(response: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(response.complete ? Buffer.concat(chunks) : undefined));
    // A connection lost mid-body (or a timeout) closes the response without a complete end.
    response.on('close', () => resolve(undefined));
    response.on('error', () => resolve(undefined));
  });
}
