/**
 * Every timer of one reference station, so that `stop()` can clear them all at once and no
 * callback ever throws out of a timer (a failing callback is reported, never rethrown).
 */
export class Timers {
  private readonly handles = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly onProblem: (error: unknown) => void) {}

  /** Runs `action` once after `delayMs`; returns a function that cancels it. */
  after(delayMs: number, action: () => void | Promise<void>): () => void {
    if (this.stopped) return () => undefined;
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      this.run(action);
    }, Math.max(0, delayMs));
    this.handles.add(handle);
    return () => {
      clearTimeout(handle);
      this.handles.delete(handle);
    };
  }

  /** Runs `action` on the next turn of the event loop (after the current reply went out). */
  soon(action: () => void | Promise<void>): void {
    this.after(0, action);
  }

  /** Runs `action` now, reporting instead of throwing what it throws or rejects with. */
  run(action: () => void | Promise<void>): void {
    if (this.stopped) return;
    try {
      const result = action();
      if (result instanceof Promise) result.catch((error: unknown) => this.onProblem(error));
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
    for (const handle of this.handles) clearTimeout(handle);
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
  set(delayMs: number, action: () => void | Promise<void>): void {
    this.clear();
    this.cancel = this.timers.after(delayMs, () => {
      this.cancel = undefined;
      return action();
    });
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
