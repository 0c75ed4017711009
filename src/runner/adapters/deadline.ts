import { AdapterConfigError, type ActionContext, type ActionOutcome } from './adapter.js';

/** Why an action stopped waiting before it finished. */
export type Interruption = { kind: 'timeout'; timeoutMs: number } | { kind: 'cancelled'; reason: string };

// setTimeout fires at once for delays above 2^31 - 1 ms, so longer ones count as "no timeout".
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `onInterrupt` once, when `context.timeoutMs` passes or `context.signal` aborts, and
 * returns the function that disarms both. An already aborted signal fires on the next microtask,
 * so the caller always holds the disarm function before `onInterrupt` runs.
 */
export function armDeadline(context: ActionContext, onInterrupt: (why: Interruption) => void): () => void {
  const { timeoutMs, signal } = context;
  checkTimeout(timeoutMs);
  let armed = true;
  const fire = (why: Interruption) => {
    if (!armed) return;
    disarm();
    onInterrupt(why);
  };
  const onAbort = () => fire({ kind: 'cancelled', reason: reasonOf(signal) });
  const timer = timeoutMs <= MAX_TIMER_MS ? setTimeout(() => fire({ kind: 'timeout', timeoutMs }), timeoutMs) : undefined;
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  function disarm(): void {
    armed = false;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  return disarm;
}

/** The outcome of an action the run cancelled: inconclusive, like an operator's abort. */
export function cancelledOutcome(reason: string): ActionOutcome {
  return { status: 'aborted', reason: `cancelled: ${reason}` };
}

/**
 * Checks an action's context before any side effect: the outcome for a signal that was aborted
 * before the action started, or undefined. Throws AdapterConfigError for a timeout that is not positive.
 */
export function cancelledBeforeStart(context: ActionContext): ActionOutcome | undefined {
  checkTimeout(context.timeoutMs);
  return context.signal?.aborted ? cancelledOutcome(reasonOf(context.signal)) : undefined;
}

function reasonOf(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'aborted' : String(reason);
}

function checkTimeout(timeoutMs: number): void {
  if (Number.isNaN(timeoutMs) || timeoutMs <= 0) throw new AdapterConfigError(`timeoutMs must be positive, got ${timeoutMs}`);
}
