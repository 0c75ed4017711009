/**
 * Who reads each byte range of a trace, a worker or the main thread (issue 14, trace speed). The
 * main thread applies every record in order, and between those of the workers' ranges it reads
 * ranges itself: on two CPUs the work is balanced when the worker reads about two ranges in three.
 * The share is learned as the reading goes: it rises each time the main thread had to wait for a
 * worker's reading, and falls each time the workers ran out of ranges. Pure bookkeeping.
 */
export class RangeSchedule {
  private mainShare = INITIAL_MAIN_SHARE;
  private credit = 0;
  private pending = 0;
  private workersIdled = false;

  /** `capacity`: how many ranges the workers may hold at once. */
  constructor(private readonly capacity: number) {}

  /** Whether the next range goes to the workers (then `arrived` follows once its reading is back). */
  nextToWorkers(): boolean {
    if (this.workersIdled) this.mainShare = Math.max(0, this.mainShare - SHARE_STEP);
    this.workersIdled = false;
    this.credit += this.mainShare;
    if (this.pending >= this.capacity || this.credit >= 1) {
      this.credit = Math.max(0, this.credit - 1);
      return false;
    }
    this.pending++;
    return true;
  }

  /** A worker's reading came back. */
  arrived(): void {
    if (--this.pending === 0) this.workersIdled = true;
  }

  /** The main thread reached a worker's range before its reading was back. */
  waited(): void {
    this.mainShare = Math.min(1, this.mainShare + SHARE_STEP);
  }

  /** The share of ranges the main thread reads now. */
  get share(): number {
    return this.mainShare;
  }
}

// One range in three, the balance measured on two CPUs (docs/performance.md); a step small enough
// that one slow range does not swing it.
const INITIAL_MAIN_SHARE = 1 / 3;
const SHARE_STEP = 0.02;
