import type { ExchangeTracker } from '../exchanges.js';

/**
 * Every timer of one reference station, so that `stop()` can clear them all at once and no
 * callback ever throws out of a timer (a failing callback is reported, never rethrown).
 */
export class Timers {
  /** Each pending timer, with the release of its part in an exchange (see `after`). */
  private readonly handles = new Map<NodeJS.Timeout, (() => void) | undefined>();
  private stopped = false;

  constructor(private readonly onProblem: (error: unknown) => void, private readonly exchanges?: ExchangeTracker) {}

  /**
   * Runs `action` once after `delayMs`; returns a function that cancels it. A timer named `tracked`
   * is part of the exchange of the control action that set it, until its action has finished.
   */
  after(delayMs: number, action: () => void | Promise<void>, tracked?: string): () => void {
    if (this.stopped) return () => undefined;
    const release = tracked ? this.exchanges?.hold(tracked) : undefined;
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      void this.run(action).finally(release);
    }, Math.max(0, delayMs));
    this.handles.set(handle, release);
    return () => {
      clearTimeout(handle);
      this.handles.delete(handle);
      release?.();
    };
  }

  /** Runs `action` on the next turn of the event loop (after the current reply went out), as part of the current exchange. */
  soon(action: () => void | Promise<void>): void {
    this.after(0, action, 'a follow-up message');
  }

  /** Runs `action` now, reporting instead of throwing what it throws or rejects with; resolves once it has finished. */
  async run(action: () => void | Promise<void>): Promise<void> {
    if (this.stopped) return;
    try {
      await action();
    } catch (error) {
      this.onProblem(error);
    }
  }

  /** A named slot holding at most one pending timer: setting it again replaces the previous one. */
  slot(): TimerSlot {
    return new TimerSlot(this);
  }

  /** Clears every pending timer and refuses new ones. */
  stop(): void {
    this.stopped = true;
    // A control action waiting for a timer of a stopped station is not kept waiting.
    for (const [handle, release] of this.handles) {
      clearTimeout(handle);
      release?.();
    }
    this.handles.clear();
  }

  /** True once stopped. */
  get isStopped(): boolean {
    return this.stopped;
  }
}

/** One replaceable timer (heartbeat, boot retry, reconnect, periodic meter values). */
export class TimerSlot {
  private cancel: (() => void) | undefined;

  constructor(private readonly timers: Timers) {}

  /** Schedules `action` after `delayMs`, cancelling what the slot held. */
  set(delayMs: number, action: () => void | Promise<void>, tracked?: string): void {
    this.clear();
    this.cancel = this.timers.after(delayMs, () => {
      this.cancel = undefined;
      return action();
    }, tracked);
  }

  /** Cancels the pending timer, if any. */
  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** True while a timer is pending. */
  get isSet(): boolean {
    return this.cancel !== undefined;
  }
}
