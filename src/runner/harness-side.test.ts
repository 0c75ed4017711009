import { describe, expect, it } from 'vitest';
import type { Sut } from '../testcase/index.js';
import { harnessSideAgainst, roleOf, type HarnessSide } from './harness-side.js';

describe('harness side', () => {
  it('is the other end of the SUT, and plays the other OCPP role on the wire', () => {
    expect(harnessSideAgainst('cs')).toBe('as-csms');
    expect(harnessSideAgainst('csms')).toBe('as-station');
    expect((['cs', 'csms'] as const).map((sut) => roleOf(harnessSideAgainst(sut)))).toEqual(['csms', 'cs']);
  });

  it('cannot be given where the SUT\'s side is meant, nor the other way round (tsc checks these lines)', () => {
    const sut: Sut = 'cs';
    const side: HarnessSide = harnessSideAgainst(sut);
    // @ts-expect-error a Sut is not what the harness plays
    const wrongSide: HarnessSide = sut;
    // @ts-expect-error what the harness plays is not a Sut
    const wrongSut: Sut = side;
    expect([wrongSide, wrongSut]).toEqual(['cs', 'as-csms']);
  });
});
