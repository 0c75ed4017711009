import chromium from '@sparticuz/chromium';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { WebSocket } from 'ws';

// A small Chrome DevTools Protocol client over `ws`, driving the headless Chromium that the
// @sparticuz/chromium package carries inside itself (issue 15): no system browser, no download at
// run time. The package unpacks its binary, fonts and SwiftShader into the temporary folder; the
// NSS libraries the binary links against come with it too, and are unpacked here, since the
// package does that only on Amazon Linux.

/** A browser executable and the environment it needs. */
interface PackagedChromium {
  executable: string;
  env: NodeJS.ProcessEnv;
}

let unpacked: Promise<PackagedChromium> | undefined;

/** Unpacks the packaged Chromium once per process; a failure names what went wrong, it is never a skip. */
export function packagedChromium(): Promise<PackagedChromium> {
  unpacked ??= (async () => {
    const executable = await chromium.executablePath();
    const libraries = unpackLibraries();
    return {
      executable,
      env: { ...process.env, LD_LIBRARY_PATH: [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_PATH: join(tmpdir(), 'fonts') },
    };
  })().catch((error: unknown) => {
    throw new Error(`cannot unpack the Chromium of @sparticuz/chromium (run npm ci): ${(error as Error).message}`);
  });
  return unpacked;
}

// The package's al2023.tar.br: the NSS and expat libraries its binary needs, as a brotli tarball.
function unpackLibraries(): string {
  const target = join(tmpdir(), 'ocpp-harness-chromium-libs');
  if (existsSync(join(target, 'lib', 'libnss3.so'))) return join(target, 'lib');
  const archive = createRequire(import.meta.url).resolve('@sparticuz/chromium').replace(/build\/.*$/, 'bin/al2023.tar.br');
  for (const entry of tarEntries(brotliDecompressSync(readFileSync(archive)))) {
    mkdirSync(dirname(join(target, entry.name)), { recursive: true });
    writeFileSync(join(target, entry.name), entry.data, { mode: 0o755 });
  }
  return join(target, 'lib');
}

/** The regular files of a ustar archive. */
function* tarEntries(archive: Buffer): Generator<{ name: string; data: Buffer }> {
  for (let offset = 0; offset + 512 <= archive.length;) {
    const header = archive.subarray(offset, offset + 512);
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    if (!name) return;
    const size = Number.parseInt(header.toString('utf8', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = header.toString('utf8', 345, 500).replace(/\0.*$/s, '');
    if (type === '0' || type === '\0') yield { name: prefix ? `${prefix}/${name}` : name, data: archive.subarray(offset + 512, offset + 512 + size) };
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A headless Chromium and one page in it, driven over the DevTools protocol. */
export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: Array<(method: string, params: Record<string, unknown>) => void> = [];
  private sessionId = '';

  private constructor(private readonly child: ChildProcess, private readonly socket: WebSocket, private readonly profile: string) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown> };
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`CDP: ${message.error.message}`));
        else waiter?.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.listeners) listener(message.method, message.params ?? {});
      }
    });
  }

  /** Starts Chromium headless with a throw-away profile and opens a blank page of the given size. */
  static async launch(width = 1280, height = 900): Promise<Browser> {
    const { executable, env } = await packagedChromium();
    const profile = mkdtempSync(join(tmpdir(), 'ocpp-harness-chromium-'));
    const args = [
      '--headless=new', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check',
      '--disable-gpu', '--disable-dev-shm-usage', '--disable-extensions', '--disable-background-networking', `--window-size=${width},${height}`,
      // Chromium refuses to run as root with its sandbox; CI runs as root in a throw-away machine.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      'about:blank',
    ];
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port within 20 s: ${stderr.slice(-2000)}`)), 20_000);
      const poll = setInterval(() => {
        const file = join(profile, 'DevToolsActivePort');
        if (!existsSync(file)) return;
        const [port, path] = readFileSync(file, 'utf8').split('\n');
        if (!port || !path) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve(`ws://127.0.0.1:${port}${path}`);
      }, 50);
      child.once('exit', (code) => {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`Chromium exited with ${code} before it was ready: ${stderr.slice(-2000)}`));
      });
    });
    const socket = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const browser = new Browser(child, socket, profile);
    const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    browser.sessionId = ((await browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }).sessionId;
    // A page in the background records no paint timing: bring it to the front.
    await browser.page('Page.bringToFront');
    await browser.page('Page.enable');
    await browser.page('Runtime.enable');
    await browser.page('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    return browser;
  }

  /** Sends a browser-level command. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** Sends a command to the page. */
  page(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    return this.send(method, params, this.sessionId);
  }

  /** Opens a URL and waits for its load event. */
  async navigate(url: string, timeoutMs = 30_000): Promise<void> {
    const loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${url} did not load within ${timeoutMs} ms`)), timeoutMs);
      this.listeners.push((method) => {
        if (method === 'Page.loadEventFired') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const result = (await this.page('Page.navigate', { url })) as { errorText?: string };
    if (result.errorText) throw new Error(`cannot open ${url}: ${result.errorText}`);
    await loaded;
    this.listeners.length = 0;
  }

  /** Evaluates an expression in the page (promises awaited) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const result = (await this.page('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: { exception?: { description?: string }; text: string } };
    if (result.exceptionDetails) throw new Error(`in the page: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    return result.result.value;
  }

  /** When the page first painted content (ms after navigation start), waiting for the entry if it is not there yet. */
  firstContentfulPaint(): Promise<number> {
    return this.evaluate<number>(`new Promise((resolve, reject) => {
      new PerformanceObserver((list) => {
        const entry = list.getEntries().find((e) => e.name === 'first-contentful-paint');
        if (entry) resolve(entry.startTime);
      }).observe({ type: 'paint', buffered: true });
      setTimeout(() => reject(new Error('no first-contentful-paint entry within 10 s')), 10000);
    })`);
  }

  /** A PNG of the viewport (or the whole page). */
  async screenshot(fullPage = false): Promise<Buffer> {
    const result = (await this.page('Page.captureScreenshot', { format: 'png', captureBeyondViewport: fullPage })) as { data: string };
    return Buffer.from(result.data, 'base64');
  }

  /** Stops Chromium and removes its profile. */
  async close(): Promise<void> {
    this.socket.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    // Chromium's helper processes may still be writing the profile for a moment after it exits.
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // A leftover folder under the temporary directory is harmless.
    }
  }
}
