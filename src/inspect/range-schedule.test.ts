import { describe, expect, it } from 'vitest';
import { RangeSchedule } from './range-schedule.js';

// Issue 14, trace speed: the main thread reads a share of the ranges itself, learned as it goes.
function takes(schedule: RangeSchedule, count: number): string {
  return Array.from({ length: count }, () => (schedule.nextToWorkers() ? 'W' : 'M')).join('');
}

describe('RangeSchedule', () => {
  it('starts with one range in three for the main thread, never more than the workers may hold for them', () => {
    const schedule = new RangeSchedule(4);
    expect(takes(schedule, 6)).toBe('WWMWWM');
    // Six ranges out, four of them with the workers and none back: the next ones stay with the main thread.
    expect(takes(schedule, 3)).toBe('MMM');
    schedule.arrived();
    expect(schedule.nextToWorkers()).toBe(true);
  });

  it('gives the main thread more when it waits for the workers, and less when the workers run dry', () => {
    const schedule = new RangeSchedule(100);
    for (let count = 0; count < 10; count++) schedule.waited();
    expect(schedule.share).toBeCloseTo(1 / 3 + 0.2);
    expect(takes(schedule, 30).split('M').length - 1).toBe(16);
    const drained = new RangeSchedule(1);
    drained.nextToWorkers();
    drained.arrived();
    drained.nextToWorkers();
    expect(drained.share).toBeCloseTo(1 / 3 - 0.02);
  });

  it('keeps the share between none and all', () => {
    const busy = new RangeSchedule(2);
    for (let count = 0; count < 100; count++) busy.waited();
    expect(busy.share).toBe(1);
    expect(takes(busy, 5)).toBe('MMMMM');
    const idle = new RangeSchedule(1);
    for (let count = 0; count < 100; count++) {
      if (idle.nextToWorkers()) idle.arrived();
    }
    expect(idle.share).toBe(0);
    expect(takes(idle, 1)).toBe('W');
  });
});
