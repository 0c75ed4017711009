import { createHash } from 'node:crypto';
import type { Crash } from './crash.js';
import { mutate } from './mutators.js';
import { Random } from './random.js';
import type { FuzzInput, FuzzTarget } from './targets.js';
import { INPUT_TIME_LIMIT_MS, WatchedTarget, hangSignature } from './watchdog.js';

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

/** How a fuzz run reports and limits: each new crash as it is found, the time limit per input. */
export interface FuzzOptions {
  onCrash?: (crash: Crash) => void;
  /** Default INPUT_TIME_LIMIT_MS. */
  inputLimitMs?: number;
}

/**
 * Mutates seeds of the target's corpus, the same inputs for the same seed, and runs each one in a
 * worker thread under a watchdog; stops at the budget. The property: every input ends as a result
 * or as the harness's own error, within the time limit; one that does not is a `hang` crash, and
 * the run goes on.
 */
export async function fuzzTarget(target: FuzzTarget, seed: number, budget: FuzzBudget, options: FuzzOptions = {}): Promise<FuzzReport> {
  const random = new Random(seed);
  const seeds = target.seeds();
  const crashes = new Map<string, Crash>();
  const watched = new WatchedTarget(target, options.inputLimitMs ?? INPUT_TIME_LIMIT_MS);
  // The budget is for inputs: loading the harness into the worker comes first.
  await watched.open();
  const started = performance.now();
  let inputs = 0;
  let slowestMs = 0;
  try {
    while ((budget.inputs === undefined || inputs < budget.inputs) && (budget.ms === undefined || performance.now() - started < budget.ms)) {
      const { crash, ms } = await watched.run(nextInput(target, seeds, random));
      inputs++;
      slowestMs = Math.max(slowestMs, ms);
      if (crash && !crashes.has(crash.signature)) {
        crashes.set(crash.signature, crash);
        options.onCrash?.(crash);
      }
    }
  } finally {
    await watched.close();
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
 * smaller slices, within a time budget. A small fixture shows the cause at a glance. A hang is kept
 * as found: every try would cost the whole time limit.
 */
export async function minimize(target: FuzzTarget, crash: Crash, budgetMs = 10_000, inputLimitMs = INPUT_TIME_LIMIT_MS): Promise<Crash> {
  if (crash.signature === hangSignature(inputLimitMs)) return crash;
  const deadline = performance.now() + budgetMs;
  let best = crash;
  const watched = new WatchedTarget(target, inputLimitMs);
  const attempt = async (bytes: Buffer): Promise<boolean> => {
    if (bytes.length >= best.input.bytes.length || performance.now() > deadline) return false;
    const { crash: again } = await watched.run({ place: best.input.place, bytes });
    if (again?.signature !== crash.signature) return false;
    best = again;
    return true;
  };
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
    await watched.close();
  }
  return best;
}
