import { createHash } from 'node:crypto';
import { isHarnessError } from '../api.js';
import { mutate } from './mutators.js';
import { Random } from './random.js';
import type { FuzzInput, FuzzTarget } from './targets.js';

/** How long one input may take before it counts as a hang (generous: a loaded CI host is slow, a hang is not). */
export const INPUT_TIME_LIMIT_MS = 10_000;

/** An input that broke the property: it threw something that is not the harness's own error, or took too long. */
export interface Crash {
  input: FuzzInput;
  /** One line: the error's name and message, or how long the input took. */
  signature: string;
  /** The stack, to find the place to fix. */
  detail: string;
}

/** The outcome of one fuzz run. */
export interface FuzzReport {
  target: string;
  seed: number;
  inputs: number;
  durationMs: number;
  /** The slowest input's time. */
  slowestMs: number;
  /** One crash per signature, the first input that showed it. */
  crashes: Crash[];
}

/** When to stop: after so many inputs, or so much time, whichever comes first. */
export interface FuzzBudget {
  inputs?: number;
  ms?: number;
}

/** Runs one input and tells whether it broke the property. */
export async function tryInput(target: FuzzTarget, input: FuzzInput): Promise<{ crash?: Crash; ms: number }> {
  const started = performance.now();
  let crash: Crash | undefined;
  try {
    await target.run(input);
  } catch (error) {
    if (!isHarnessError(error)) crash = crashOf(input, error);
  }
  const ms = performance.now() - started;
  if (!crash && ms > INPUT_TIME_LIMIT_MS) crash = { input, signature: `took ${Math.round(ms)} ms (limit ${INPUT_TIME_LIMIT_MS} ms)`, detail: '' };
  return { ms, ...(crash ? { crash } : {}) };
}

function crashOf(input: FuzzInput, error: unknown): Crash {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  // Numbers and quoted text vary from input to input; the kind of failure does not.
  const signature = `${name}: ${message.split('\n')[0]!.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 160)}`;
  return { input, signature, detail: error instanceof Error ? (error.stack ?? message) : message };
}

/**
 * Mutates seeds of the target's corpus, the same inputs for the same seed, and runs each one;
 * stops at the budget. The property: every input ends as a result or as the harness's own error,
 * within INPUT_TIME_LIMIT_MS.
 */
export async function fuzzTarget(target: FuzzTarget, seed: number, budget: FuzzBudget, onCrash?: (crash: Crash) => void): Promise<FuzzReport> {
  const random = new Random(seed);
  const seeds = target.seeds();
  const crashes = new Map<string, Crash>();
  const started = performance.now();
  let inputs = 0;
  let slowestMs = 0;
  await target.open();
  try {
    while ((budget.inputs === undefined || inputs < budget.inputs) && (budget.ms === undefined || performance.now() - started < budget.ms)) {
      const { crash, ms } = await tryInput(target, nextInput(target, seeds, random));
      inputs++;
      slowestMs = Math.max(slowestMs, ms);
      if (crash && !crashes.has(crash.signature)) {
        crashes.set(crash.signature, crash);
        onCrash?.(crash);
      }
    }
  } finally {
    await target.close();
  }
  return { target: target.name, seed, inputs, durationMs: performance.now() - started, slowestMs, crashes: [...crashes.values()] };
}

/** The next input: a seed of the corpus, mutated. */
function nextInput(target: FuzzTarget, seeds: readonly FuzzInput[], random: Random): FuzzInput {
  const base = random.pick(seeds);
  return { place: base.place, bytes: mutate(base.bytes, random, target.syntaxOf(base.place)) };
}

/** The first `count` inputs a fuzz run with this seed tries, without running them. */
export function inputsOf(target: FuzzTarget, seed: number, count: number): FuzzInput[] {
  const random = new Random(seed);
  const seeds = target.seeds();
  return Array.from({ length: count }, () => nextInput(target, seeds, random));
}

/** A crash fixture's name: its content's hash, so the same input is saved once. */
export function fixtureName(input: FuzzInput): string {
  return createHash('sha256').update(input.bytes).digest('hex').slice(0, 12);
}

/**
 * Shrinks a crashing input while it still crashes the same way: whole lines first, then ever
 * smaller slices, within a time budget. A small fixture shows the cause at a glance.
 */
export async function minimize(target: FuzzTarget, crash: Crash, budgetMs = 10_000): Promise<Crash> {
  const deadline = performance.now() + budgetMs;
  let best = crash;
  const attempt = async (bytes: Buffer): Promise<boolean> => {
    if (bytes.length >= best.input.bytes.length || performance.now() > deadline) return false;
    const { crash: again } = await tryInput(target, { place: best.input.place, bytes });
    if (again?.signature !== crash.signature) return false;
    best = again;
    return true;
  };
  await target.open();
  try {
    const lines = () => best.input.bytes.toString('latin1').split('\n');
    for (let at = lines().length - 1; at >= 0; at--) {
      const kept = lines();
      kept.splice(at, 1);
      await attempt(Buffer.from(kept.join('\n'), 'latin1'));
    }
    for (let size = best.input.bytes.length >> 1; size >= 1 && performance.now() < deadline; size >>= 1) {
      for (let from = 0; from + size <= best.input.bytes.length && performance.now() < deadline; ) {
        const bytes = best.input.bytes;
        if (!(await attempt(Buffer.concat([bytes.subarray(0, from), bytes.subarray(from + size)])))) from += size;
      }
    }
  } finally {
    await target.close();
  }
  return best;
}
