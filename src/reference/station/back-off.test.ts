import { describe, expect, it } from 'vitest';
import { backOffDelayMs } from './csms-connection.js';

describe('reconnection back-off (OCPP-J 2.0.1 §5.3)', () => {
  const backOff = { waitMinimumS: 2, randomRangeS: 3, repeatTimes: 2, doubling: true };

  it('waits the minimum plus a random part, doubles after each failed attempt, and stops doubling after RepeatTimes', () => {
    const noRandom = () => 0;
    expect([0, 1, 2, 3, 4].map((failures) => backOffDelayMs(backOff, failures, noRandom))).toEqual([2000, 4000, 8000, 8000, 8000]);
    expect(backOffDelayMs(backOff, 0, () => 0.5)).toBe(3500);
    expect(backOffDelayMs(backOff, 3, () => 0.999)).toBeCloseTo(10_997);
  });

  it('without doubling (behaviour:back-off-not-doubled) every attempt waits the minimum', () => {
    expect([0, 1, 2].map((failures) => backOffDelayMs({ ...backOff, doubling: false }, failures, () => 0))).toEqual([2000, 2000, 2000]);
  });
});
