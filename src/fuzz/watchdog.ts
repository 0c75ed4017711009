import { existsSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageInfo } from '../api.js';
import type { Crash } from './crash.js';
import type { FuzzInput, FuzzTarget } from './targets.js';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker.js';

/** How long one input may take before it counts as a hang (generous: a loaded CI host is slow, a hang is not). */
export const INPUT_TIME_LIMIT_MS = 10_000;

/** How long a worker may take to load and open its target, or to close it (it loads the whole harness). */
const WORKER_LIMIT_MS = 60_000;

/** The signature of an input that gave no result in time. */
export function hangSignature(limitMs: number): string {
  return `hang: no result within ${limitMs} ms`;
}

/** The worker ended on its own (an uncaught error, process.exit in the target). */
class WorkerEnded extends Error {}

type Delivery = WorkerReply | Error | 'timeout';

/**
 * Runs a target's inputs in a worker thread, each within a time limit. A synchronous endless loop
 * cannot be interrupted in its own thread, and a promise that never settles never returns: at the
 * limit the worker is terminated, the input is a `hang` crash, and the next input starts a new
 * worker. The caller's thread never runs the target, so no input can hang the fuzz run.
 */
export class WatchedTarget {
  private worker: Worker | undefined;
  private waiting: ((delivery: Delivery) => void) | undefined;

  constructor(private readonly target: FuzzTarget, private readonly limitMs = INPUT_TIME_LIMIT_MS) {}

  /** Starts the worker and opens the target in it (else the first input does). */
  async open(): Promise<void> {
    this.worker ??= await this.start();
  }

  /** Runs one input; a crash when it threw something not the harness's own, or gave no result within the limit. */
  async run(input: FuzzInput): Promise<{ ms: number; crash?: Crash }> {
    const worker = this.worker ?? (await this.start());
    const started = performance.now();
    const delivery = await this.exchange(worker, { input: { place: input.place, bytes: input.bytes } }, this.limitMs);
    if (delivery === 'timeout') {
      await this.stop();
      return { ms: performance.now() - started, crash: { input, signature: hangSignature(this.limitMs), detail: 'the worker thread running it was terminated at the time limit' } };
    }
    if (delivery instanceof Error) {
      await this.stop();
      return { ms: performance.now() - started, crash: { input, signature: `worker ended: ${delivery.message.split('\n')[0]}`, detail: delivery.stack ?? delivery.message } };
    }
    if (!('outcome' in delivery)) throw new Error(`fuzz worker of ${this.target.name}: unexpected reply ${JSON.stringify(delivery)}`);
    const { ms, crash } = delivery.outcome;
    return { ms, ...(crash ? { crash: { input, ...crash } } : {}) };
  }

  /** Closes the target in its worker (it removes its scratch files) and ends the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await this.exchange(worker, { close: true }, WORKER_LIMIT_MS);
    await this.stop();
  }

  private async start(): Promise<Worker> {
    const workerData: WorkerData = { module: runnableUrl(this.target.module).href, target: this.target.name };
    const worker = new Worker(runnableUrl(new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)), { workerData });
    worker.on('message', (reply: WorkerReply) => this.deliver(reply));
    worker.on('error', (error) => this.deliver(error));
    worker.on('exit', (code) => {
      // A worker that ended between inputs is replaced by the next input, not waited for.
      if (this.worker === worker) this.worker = undefined;
      this.deliver(new WorkerEnded(`the worker exited with code ${code}`));
    });
    this.worker = worker;
    const ready = await this.exchange(worker, undefined, WORKER_LIMIT_MS);
    if (ready === 'timeout' || ready instanceof Error || !('ready' in ready)) {
      await this.stop();
      // Not the input's fault: the target could not be loaded or opened.
      throw new Error(`fuzz target ${this.target.name} did not start in a worker: ${ready instanceof Error ? ready.message : String(ready)}`);
    }
    return worker;
  }

  /** Sends a request (if any) and waits for the worker's next reply, its end, or the time limit. */
  private exchange(worker: Worker, request: WorkerRequest | undefined, limitMs: number): Promise<Delivery> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish('timeout'), limitMs);
      const finish = (delivery: Delivery) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(delivery);
      };
      this.waiting = finish;
      if (request) worker.postMessage(request);
    });
  }

  private deliver(delivery: WorkerReply | Error): void {
    this.waiting?.(delivery);
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.waiting = undefined;
    if (worker) {
      worker.removeAllListeners();
      await worker.terminate();
    }
  }
}

/**
 * A worker thread runs JavaScript: the module itself when it is (`npm run fuzz`), its build under
 * dist/ when it is TypeScript (the tests, which `npm test` runs after the build).
 */
function runnableUrl(moduleUrl: string | URL): URL {
  const url = new URL(moduleUrl);
  const path = fileURLToPath(url);
  if (extname(path) !== '.ts') return url;
  const { root } = packageInfo();
  const built = join(root, 'dist', relative(root, path).replace(/\.ts$/, '.js'));
  if (!existsSync(built)) throw new Error(`fuzz: ${relative(root, path)} runs in a worker thread from its build ${relative(root, built)}: build first (npx tsc -p tsconfig.json)`);
  return pathToFileURL(built);
}
