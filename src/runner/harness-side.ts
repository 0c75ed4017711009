import type { Role } from '../protocol/index.js';
import type { Sut } from '../testcase/index.js';

/**
 * What the harness plays against the SUT: the CSMS of a charging station under test, or the
 * station of a CSMS under test. Its own words, apart from a Sut's 'cs' | 'csms' (the side under
 * test, as test cases and results spell it), so that the compiler refuses one for the other.
 */
export type HarnessSide = 'as-csms' | 'as-station';

/** The side the harness plays against a SUT: the other end of the connection. */
export function harnessSideAgainst(sut: Sut): HarnessSide {
  return sut === 'cs' ? 'as-csms' : 'as-station';
}

/** The OCPP role the harness plays on the wire (its sessions, the direction of its frames). */
export function roleOf(side: HarnessSide): Role {
  return side === 'as-csms' ? 'csms' : 'cs';
}
