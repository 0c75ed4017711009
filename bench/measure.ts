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

/** Like `measureSync`, for an operation that must finish before the next one starts. */
export async function measureAsync(operation: () => Promise<void>, warmupMs: number, durationMs: number): Promise<Rate> {
  await loopAsync(operation, warmupMs);
  return loopAsync(operation, durationMs);
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

async function loopAsync(operation: () => Promise<void>, durationMs: number): Promise<Rate> {
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

/** Rounds to the given number of decimals. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Progress and diagnostics go to stderr; stdout carries only the JSON report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
