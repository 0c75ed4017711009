/**
 * A small seeded pseudo-random generator (a 32-bit xorshift-multiply mixer over a Weyl sequence):
 * the same seed gives the same inputs on every machine, so a fuzz run can be replayed from the seed
 * it printed. Not for cryptography.
 */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    return ((mixed ^ (mixed >>> 16)) >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[this.below(items.length)]!;
  }
}

/** A fresh seed for a run that was not given one (printed, so the run can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000);
}
