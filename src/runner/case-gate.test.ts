import { describe, expect, it } from 'vitest';
import { CaseGate } from './case-gate.js';

describe('the run\'s case gate', () => {
  it('lets ordinary cases run side by side, a case presenting in TLS handshakes only alone, and lets no later case overtake it', async () => {
    const gate = new CaseGate();
    const order: string[] = [];
    const leaveA = await gate.enter(false);
    const leaveB = await gate.enter(false);
    const alone = gate.enter(true).then((leave) => (order.push('alone starts'), leave));
    const later = gate.enter(false).then((leave) => (order.push('later starts'), leave));
    order.push('A ends');
    leaveA();
    await Promise.resolve();
    order.push('B ends');
    leaveB();
    const leaveAlone = await alone;
    expect(order).toEqual(['A ends', 'B ends', 'alone starts']);
    order.push('alone ends');
    leaveAlone();
    (await later)();
    expect(order).toEqual(['A ends', 'B ends', 'alone starts', 'alone ends', 'later starts']);
  });
});
