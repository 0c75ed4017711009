// The worker thread a fuzz run's inputs run in (watchdog.ts): it imports the target from its
// module, opens it, then runs each input it is sent and answers with the outcome. A hang here
// stops only this thread, which the watchdog terminates.
import { parentPort, workerData } from 'node:worker_threads';
import { tryInput } from './crash.js';
import type { FuzzInput, FuzzTarget } from './targets.js';

/** What the watchdog sends: an input to run, or the order to close the target and end. */
export type WorkerRequest = { input: { place: string; bytes: Uint8Array } } | { close: true };

/** What the worker answers: it is ready (the target is open), an input's outcome, or it has closed. */
export type WorkerReply = { ready: true } | { outcome: Awaited<ReturnType<typeof tryInput>> } | { closed: true };

/** Where the worker finds its target: the module that exports it, and the target's name. */
export interface WorkerData {
  module: string;
  target: string;
}

async function targetOf({ module, target }: WorkerData): Promise<FuzzTarget> {
  const exports = (await import(module)) as Record<string, unknown>;
  const found = Object.values(exports).find((value): value is FuzzTarget => typeof value === 'object' && value !== null && (value as FuzzTarget).name === target && typeof (value as FuzzTarget).run === 'function');
  if (!found) throw new Error(`${module} exports no fuzz target named "${target}"`);
  return found;
}

const port = parentPort!;
const target = await targetOf(workerData as WorkerData);
await target.open();
const reply = (message: WorkerReply) => port.postMessage(message);
port.on('message', async (request: WorkerRequest) => {
  if ('close' in request) {
    await target.close();
    reply({ closed: true });
    port.close();
    return;
  }
  const input: FuzzInput = { place: request.input.place, bytes: Buffer.from(request.input.bytes) };
  reply({ outcome: await tryInput(target, input) });
});
reply({ ready: true });
