import type { StationContext } from './context.js';
import { downloadFile } from './download.js';

const DOWNLOAD_TIMEOUT_MS = 30_000;

/** A firmware update under way, as far as its waits care: given up once cancelled or aborted. */
export interface WaitingRun {
  readonly cancelled: boolean;
  readonly abort: AbortController;
}

/**
 * The two waits of a firmware update, alike in OCPP 1.6 (§5.19) and 2.0.1 (L01): for a moment
 * (retrieveDate, installDateTime, a retry), and for the last running transaction to end before
 * installing (1.6 §5.19, L01.FR.33). Either ends without resolving when the update is given up.
 */
export class FirmwareWaits {
  private transactionsEnded: (() => void) | undefined;

  constructor(private readonly context: StationContext, private readonly runningTransactions: () => number) {}

  /** Resolves at `at` (never, when the update is aborted or the station stops). */
  until(run: WaitingRun, at: Date): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.context.timers.after(at.getTime() - this.context.now().getTime(), resolve);
      run.abort.signal.addEventListener('abort', cancel, { once: true });
    });
  }

  /** Resolves once no transaction runs (at once when none does, or the update was cancelled). */
  untilNoTransactions(run: WaitingRun): Promise<void> {
    if (this.runningTransactions() === 0 || run.cancelled) return Promise.resolve();
    return new Promise((resolve) => (this.transactionsEnded = () => {
      this.transactionsEnded = undefined;
      resolve();
    }));
  }

  /**
   * Fetches the firmware with the request's retries, retryInterval apart (1.6 §5.19, L01):
   * `attempting` reports each attempt (Downloading) before it. Undefined once every attempt failed
   * or the update was given up.
   */
  async download(run: WaitingRun, request: { location: string; retries: number; retryIntervalS: number }, attempting: () => Promise<void>): Promise<Uint8Array | undefined> {
    for (let attempt = 0; attempt <= request.retries && !run.cancelled; attempt++) {
      if (attempt > 0) await this.until(run, new Date(this.context.now().getTime() + request.retryIntervalS * 1000));
      await attempting();
      const image = await downloadFile(request.location, { timeoutMs: DOWNLOAD_TIMEOUT_MS, signal: run.abort.signal });
      if (image) return image;
    }
    return undefined;
  }

  /** A transaction ended: the wait for the last one is over when it was the last. */
  onTransactionEnded(): void {
    if (this.runningTransactions() === 0) this.transactionsEnded?.();
  }
}
