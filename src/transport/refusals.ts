import { endpointPathOf } from './station-path.js';

/** Connection attempts to turn away on purpose: a CSMS that is unreachable for a while (TC_B_46, TC_B_57). */
export interface RefusalRule {
  stationId: string;
  /** How many attempts to refuse; the rule ends after the last. */
  count: number;
  /** Only attempts at this CSMS endpoint path (the URL path without the identity, see endpointPathOf). */
  endpointPath?: string;
}

/**
 * The refusals in force. Servers that stand for one CSMS (its plain and TLS endpoints, or the
 * endpoint with another root) share one book, so a rule counts attempts wherever they arrive.
 * It also holds the Basic-auth password a case has set on a station (A01): from then on only
 * that password admits the station, at every endpoint.
 */
export class RefusalBook {
  #rules: RefusalRule[] = [];
  readonly #passwords = new Map<string, string>();

  add(rule: RefusalRule): void {
    this.#rules.push({ ...rule });
  }

  /** Forgets the refusals still pending for a station and the password a case set (a test case ended). */
  clear(stationId: string): void {
    this.#rules = this.#rules.filter((rule) => rule.stationId !== stationId);
    this.#passwords.delete(stationId);
  }

  /** A01.FR.03: the station's password is now this one; the configured one no longer admits it. */
  setPassword(stationId: string, password: string): void {
    this.#passwords.set(stationId, password);
  }

  /** The password a case set for the station, if any. */
  passwordOf(stationId: string): string | undefined {
    return this.#passwords.get(stationId);
  }

  /** True when a rule covers this attempt (request target `url`), which then counts it. */
  take(stationId: string, url: string): boolean {
    const rule = this.#rules.find((candidate) => candidate.stationId === stationId && (candidate.endpointPath === undefined || endpointPathOf(url) === candidate.endpointPath));
    if (!rule) return false;
    rule.count -= 1;
    if (rule.count <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
    return true;
  }
}
