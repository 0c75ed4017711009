import type { TimerSlot, Timers } from './timers.js';

/** Sends a Heartbeat every interval once the boot is accepted (B01.FR.04, OCPP 1.6 §4.6). */
export class Heartbeat {
  private readonly slot: TimerSlot;
  private running = false;

  constructor(
    timers: Timers,
    private readonly beat: () => void,
    private readonly intervalS: () => number,
    /** behaviour:ignore-heartbeat-interval */
    private readonly halve: boolean,
  ) {
    this.slot = timers.slot();
  }

  /** (Re)starts the timer with the current interval. */
  start(): void {
    this.running = true;
    // Never faster than once a second, whatever the configuration says.
    const intervalMs = Math.max(1, this.intervalS()) * 1000;
    this.slot.set(this.halve ? intervalMs / 2 : intervalMs, () => {
      this.beat();
      if (this.running) this.start();
    });
  }

  /** Restarts only when running (a changed HeartbeatInterval takes effect at once). */
  restart(): void {
    if (this.running) this.start();
  }

  /** Stops the timer. */
  stop(): void {
    this.running = false;
    this.slot.clear();
  }
}
