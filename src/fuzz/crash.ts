import { isHarnessError } from '../api.js';
import type { FuzzInput, FuzzTarget } from './targets.js';

/** An input that broke the property: it threw something that is not the harness's own error, or did not end in time. */
export interface Crash {
  input: FuzzInput;
  /** One line: the error's name and message, or that no result came within the time limit. */
  signature: string;
  /** The stack, to find the place to fix. */
  detail: string;
}

/** How one input went, as a worker reports it: the crash's signature and detail, if it broke the property. */
export interface InputOutcome {
  ms: number;
  crash?: Omit<Crash, 'input'>;
}

/**
 * Runs one input in this thread and tells whether it broke the property. It has no time limit:
 * an input that hangs hangs the caller, so fuzz runs call it in a worker (watchdog.ts).
 */
export async function tryInput(target: FuzzTarget, input: FuzzInput): Promise<InputOutcome> {
  const started = performance.now();
  try {
    await target.run(input);
    return { ms: performance.now() - started };
  } catch (error) {
    const ms = performance.now() - started;
    return isHarnessError(error) ? { ms } : { ms, crash: crashOf(error) };
  }
}

function crashOf(error: unknown): Omit<Crash, 'input'> {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  // Numbers and quoted text vary from input to input; the kind of failure does not.
  const signature = `${name}: ${message.split('\n')[0]!.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 160)}`;
  return { signature, detail: error instanceof Error ? (error.stack ?? message) : message };
}
