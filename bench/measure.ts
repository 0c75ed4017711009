// Timing loops shared by the benchmarks. They loop until a time budget is spent, checking
// performance.now(), and never sleep: the figures are operations per second of wall-clock time.

/** How many operations ran in how long. */
export interface Rate {
  operations: number;
  durationMs: number;
  operationsPerSecond: number;
}

/** A synchronous loop checks the clock once per batch, so reading it costs next to nothing. */
const SYNC_BATCH_SIZE = 100;

/** Runs `operation` for `warmupMs` (discarded), then for `durationMs`, and reports the rate. */
export function measureSync(operation: () => void, warmupMs: number, durationMs: number): Rate {
  loopSync(operation, warmupMs);
  return loopSync(operation, durationMs);
}

function loopSync(operation: () => void, durationMs: number): Rate {
  const startMs = performance.now();
  let nowMs = startMs;
  let operations = 0;
  while (nowMs - startMs < durationMs) {
    for (let i = 0; i < SYNC_BATCH_SIZE; i++) operation();
    operations += SYNC_BATCH_SIZE;
    nowMs = performance.now();
  }
  return rateOf(operations, nowMs - startMs);
}

/** Runs an asynchronous operation again and again, each after the previous one finished, for `durationMs`. */
export async function loopAsync(operation: () => Promise<void>, durationMs: number): Promise<Rate> {
  const startMs = performance.now();
  let nowMs = startMs;
  let operations = 0;
  while (nowMs - startMs < durationMs) {
    await operation();
    operations++;
    nowMs = performance.now();
  }
  return rateOf(operations, nowMs - startMs);
}

function rateOf(operations: number, durationMs: number): Rate {
  return { operations, durationMs: round(durationMs, 1), operationsPerSecond: Math.round((operations * 1000) / durationMs) };
}

/** The smallest, middle and largest of some values, rounded to `decimals`. */
export function spread(values: readonly number[], decimals = 0): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: round(sorted[0] ?? NaN, decimals), median: round(median, decimals), max: round(sorted[sorted.length - 1] ?? NaN, decimals) };
}

/** Rounds to the given number of decimals. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Progress and diagnostics go to stderr; stdout carries only the JSON report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
