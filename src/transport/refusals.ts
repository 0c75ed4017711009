import type { KeyedCertificatePem, SecurityProfile } from './connection-security.js';
import { endpointPathOf } from './station-path.js';

/**
 * What the harness, as CSMS, presents in the TLS handshake instead of its own side, for a
 * station to refuse (the negative cases of A00): an invalid server certificate, or TLS 1.0/1.1 only.
 */
export interface TlsPresentation {
  /** Says what is presented, for the verdict: e.g. "an expired server certificate". */
  label: string;
  certificate?: KeyedCertificatePem;
  legacyTls?: 'only';
}

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
 * that password admits the station, at every endpoint; for a CSMS that pins a station to one
 * client certificate, the only certificate that admits it; and the security profile a station was
 * upgraded to (A05): from then on an endpoint of a lower profile turns it away.
 */
export class RefusalBook {
  #rules: RefusalRule[] = [];
  readonly #passwords = new Map<string, string>();
  readonly #pinnedCertificates = new Map<string, string>();
  readonly #profileFloors = new Map<string, SecurityProfile>();
  #presentation: { presentation: TlsPresentation; count: number } | undefined;

  /**
   * The next `count` TLS handshakes, at any server of the book, get `presentation`. A TLS
   * handshake comes before the station names itself, so whichever station connects gets it.
   */
  present(presentation: TlsPresentation, count: number): void {
    this.#presentation = { presentation, count };
  }

  /** The presentation for a TLS handshake starting now, which then counts it; undefined for the normal side. */
  takePresentation(): TlsPresentation | undefined {
    const pending = this.#presentation;
    if (!pending) return undefined;
    pending.count -= 1;
    if (pending.count <= 0) this.#presentation = undefined;
    return pending.presentation;
  }

  /** Forgets a presentation not used up (a test case ended). */
  clearPresentation(): void {
    this.#presentation = undefined;
  }

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

  /** From now on only the client certificate of this SHA-256 fingerprint admits the station (profile 3). */
  pinClientCertificate(stationId: string, fingerprintSha256: string): void {
    this.#pinnedCertificates.set(stationId, fingerprintSha256);
  }

  /** The SHA-256 fingerprint of the only client certificate that admits the station, if it is pinned to one. */
  pinnedClientCertificateOf(stationId: string): string | undefined {
    return this.#pinnedCertificates.get(stationId);
  }

  /** The password a case set for the station, if any. */
  passwordOf(stationId: string): string | undefined {
    return this.#passwords.get(stationId);
  }

  /**
   * A05.FR.07 (1.6 whitepaper A05.FR.09): the station connected at `profile` after an upgrade; no
   * endpoint of a lower profile admits it any more. A floor only rises.
   */
  raiseProfileFloor(stationId: string, profile: SecurityProfile): void {
    const floor = this.#profileFloors.get(stationId);
    if (floor === undefined || profile > floor) this.#profileFloors.set(stationId, profile);
  }

  /** The lowest security profile that still admits the station, once it was upgraded. */
  profileFloorOf(stationId: string): SecurityProfile | undefined {
    return this.#profileFloors.get(stationId);
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
