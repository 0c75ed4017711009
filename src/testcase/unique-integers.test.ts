import { describe, expect, it } from 'vitest';
import { UniqueIntegers } from './unique-integers.js';

const AT = Date.parse('2026-12-03T09:00:00Z');

describe('UniqueIntegers', () => {
  it('starts a series at the clock and counts up, each series on its own', () => {
    let now = AT;
    const integers = new UniqueIntegers(() => now);
    const first = integers.next('eventId');
    expect([integers.next('eventId'), integers.next('eventId')]).toEqual([first + 1, first + 2]);
    expect(integers.next('transaction')).toBe(first);
    // The clock moved on further than the series: the series follows it.
    now += 60_000;
    expect(integers.next('eventId')).toBe(first + 600);
  });

  it('a later run starts above the values of an earlier one that drew up to ten a second', () => {
    let now = AT;
    const earlier = new UniqueIntegers(() => now);
    const drawn: number[] = [];
    for (let second = 0; second < 30; second++, now += 1000) for (let i = 0; i < 10; i++) drawn.push(earlier.next('eventId'));
    const later = new UniqueIntegers(() => now);
    expect(later.next('eventId')).toBeGreaterThan(Math.max(...drawn));
    expect(new Set(drawn).size).toBe(drawn.length);
  });

  it('stays within the OCPP integer (32 bits, signed), wrapping around at its end', () => {
    const integers = new UniqueIntegers(() => (2 ** 31 - 2) * 100);
    expect([integers.next('eventId'), integers.next('eventId'), integers.next('eventId')]).toEqual([2 ** 31 - 1, 1, 2]);
    // Today's clock is past one wrap already.
    const today = new UniqueIntegers(() => AT).next('eventId');
    expect(today).toBeGreaterThanOrEqual(1);
    expect(today).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});
