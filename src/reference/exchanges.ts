import { AsyncLocalStorage } from 'node:async_hooks';

/** Releases one piece of work held by an exchange; calling it twice is harmless. */
export type Release = () => void;

const NOTHING: Release = () => undefined;

/**
 * The OCPP exchange one control action caused: the work still open (a CALL awaiting its answer,
 * a reconnect about to happen, a message queued for delivery), by what it is.
 */
class Exchange {
  private readonly pending = new Map<number, string>();
  private nextId = 0;
  private onChange: (() => void) | undefined;
  private open = true;

  hold(what: string): Release {
    if (!this.open) return NOTHING;
    const id = this.nextId++;
    this.pending.set(id, what);
    return () => {
      if (this.pending.delete(id)) this.onChange?.();
    };
  }

  /**
   * Resolves once nothing is pending and nothing new came in the next turn of the event loop (the
   * answer to one CALL may make the reference send the next, e.g. Authorize then TransactionEvent);
   * resolves with what is still pending when `deadline` comes first.
   */
  settled(deadlineMs: number): Promise<string[]> {
    return new Promise((resolve) => {
      let confirming: NodeJS.Immediate | undefined;
      const finish = (left: string[]) => {
        clearTimeout(timer);
        if (confirming) clearImmediate(confirming);
        this.onChange = undefined;
        this.open = false;
        resolve(left);
      };
      const timer = setTimeout(() => finish([...this.pending.values()]), Math.max(0, deadlineMs - Date.now()));
      const check = () => {
        if (this.pending.size > 0 || confirming) return;
        confirming = setImmediate(() => {
          confirming = undefined;
          if (this.pending.size === 0) finish([]);
        });
      };
      this.onChange = check;
      check();
    });
  }
}

/** How a control action ended when its caller waited for the exchange it caused. */
export type Awaited<T> = { settled: true; value: T } | { settled: false; pending: string[] };

/**
 * Follows the OCPP exchange each control action causes, for `?wait=true`: work started while the
 * action runs, or later in its continuations (the answer to its CALL, a timer it set), belongs to
 * its exchange. The reference registers its CALLs and short pending work with `track` and `hold`;
 * work outside any waited action is not followed.
 */
export class ExchangeTracker {
  private readonly current = new AsyncLocalStorage<Exchange>();

  /** Registers open work with the exchange of the action this code runs for, if any. */
  hold(what: string): Release {
    return this.current.getStore()?.hold(what) ?? NOTHING;
  }

  /** Registers a CALL (or other work) until its promise settles; returns the same promise. */
  track<T>(what: string, work: Promise<T>): Promise<T> {
    const release = this.hold(what);
    work.then(release, release);
    return work;
  }

  /** Runs the action and waits until the exchange it caused has finished, at most until `timeoutMs` from now. */
  async run<T>(action: () => T | Promise<T>, timeoutMs: number): Promise<Awaited<T>> {
    const deadline = Date.now() + timeoutMs;
    const exchange = new Exchange();
    // The action itself is pending work: nothing it starts may be judged finished before it returns.
    const releaseAction = exchange.hold('the action itself');
    let value!: T;
    const ran = this.current.run(exchange, async () => {
      try {
        value = await action();
      } finally {
        releaseAction();
      }
    });
    const pending = await exchange.settled(deadline);
    if (pending.length > 0) {
      ran.catch(() => undefined);
      return { settled: false, pending };
    }
    await ran;
    return { settled: true, value };
  }
}
