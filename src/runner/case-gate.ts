import type { Step, TestCase } from '../testcase/index.js';

/**
 * Lets cases of a run's lanes run side by side, except those that need the harness's servers to
 * themselves: a TLS handshake comes before the station names itself, so what a case presents in
 * it (`connection: present`, an invalid server certificate, old TLS) would meet whichever lane's
 * station connected first. Such a case waits until no other case runs, and no case starts while
 * it runs; one waiting goes before cases that come later, so it is not starved.
 */
export class CaseGate {
  #running = 0;
  #alone = false;
  #aloneWaiting = 0;
  #waiters: Array<() => void> = [];

  /** Resolves once the case may start; call the returned function when it has ended. */
  async enter(alone: boolean): Promise<() => void> {
    if (alone) this.#aloneWaiting++;
    while (!(alone ? this.#running === 0 && !this.#alone : !this.#alone && this.#aloneWaiting === 0)) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (alone) {
      this.#aloneWaiting--;
      this.#alone = true;
    }
    this.#running++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#running--;
      if (alone) this.#alone = false;
      for (const wake of this.#waiters.splice(0)) wake();
    };
  }
}

/** True when a case presents something in the station's TLS handshakes (`connection: present`) and so must run alone. */
export function presentsInTlsHandshakes(testCase: TestCase): boolean {
  return [...testCase.before.states, ...testCase.steps].some(presents);
}

function presents(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(presents);
  if (!value || typeof value !== 'object') return false;
  const step = value as Partial<Step> & { operation?: unknown };
  if (step.kind === 'connection' && step.operation === 'present') return true;
  return Object.values(value).some(presents);
}
