/** What the cache remembers of one id token. */
export interface CachedAuthorization {
  status: string;
  groupId?: string;
  expiresAtMs?: number;
}

/**
 * The Authorization Cache (C10, OCPP 1.6 §3.5.1): the latest status the CSMS gave for each id
 * token, whatever it was (C10.FR.01), forgotten once expired (C10.FR.10).
 */
export class AuthCache {
  private readonly entries = new Map<string, CachedAuthorization>();

  /** Stores the status of an answer (C10.FR.04/05); without an expiry, `lifetimeS` from now (C10.FR.08). */
  put(idToken: string, status: string, now: Date, extra: { groupId?: string | undefined; expiresAt?: string | undefined; lifetimeS?: number | undefined } = {}): void {
    const expiresAtMs = extra.expiresAt ? Date.parse(extra.expiresAt) : extra.lifetimeS ? now.getTime() + extra.lifetimeS * 1000 : undefined;
    const entry: CachedAuthorization = { status };
    if (extra.groupId) entry.groupId = extra.groupId;
    if (expiresAtMs !== undefined && !Number.isNaN(expiresAtMs)) entry.expiresAtMs = expiresAtMs;
    this.entries.delete(idToken);
    this.entries.set(idToken, entry);
  }

  /** The cached status, unless expired. */
  get(idToken: string, now: Date): CachedAuthorization | undefined {
    const entry = this.entries.get(idToken);
    if (entry?.expiresAtMs !== undefined && entry.expiresAtMs <= now.getTime()) {
      this.entries.delete(idToken);
      return undefined;
    }
    return entry;
  }

  /** Forgets one id token (CustomerInformation with clear, N10). */
  delete(idToken: string): void {
    this.entries.delete(idToken);
  }

  /** Empties the cache (ClearCache). */
  clear(): void {
    this.entries.clear();
  }
}
