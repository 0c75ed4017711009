/** The largest OCPP integer: Part 2 defines `integer` as 32 bits, signed. */
const MAX_OCPP_INTEGER = 2 ** 31 - 1;
/** The clock's tick: a series drawn at most ten times a second on average stays ahead of it. */
const TICK_MS = 100;

/**
 * Integers for the identifiers a station makes up (NotifyEvent's eventId, transaction ids): per
 * named series, each larger than the last, and unique across cases and runs. A CSMS keeps them per
 * station (one was found with UNIQUE(stationId, eventId)), so a fixed value breaks the second case
 * that sends it, and a counter restarting at 1 breaks the second run.
 *
 * A series starts at the clock, counted in tenths of a second, and counts up from there; a later
 * run starts at its own, later clock. To fit an OCPP integer the count wraps around from 2^31 - 1
 * to 1 (every 6.8 years by the clock): the only place where a value is not larger than the last.
 */
export class UniqueIntegers {
  /** Per series, the last count drawn: clock ticks, before the wrap into the OCPP range. */
  private readonly last = new Map<string, number>();

  constructor(private readonly clockMs: () => number = Date.now) {}

  /** The next integer of `series`, between 1 and 2^31 - 1. */
  next(series: string): number {
    const ticks = Math.floor(this.clockMs() / TICK_MS);
    const previous = this.last.get(series);
    const count = previous === undefined ? ticks : Math.max(previous + 1, ticks);
    this.last.set(series, count);
    return (count % MAX_OCPP_INTEGER) + 1;
  }
}

/** The process's series: every case and every worker of a run draws from the same ones. */
export const RUN_UNIQUE_INTEGERS = new UniqueIntegers();
