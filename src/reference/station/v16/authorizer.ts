import type { Payload } from '../../../protocol/index.js';
import { AuthCache, type CachedAuthorization } from '../auth-cache.js';
import type { StationContext } from '../context.js';
import type { Configuration } from './configuration.js';
import type { ListEntry, LocalAuthList } from './local-list.js';

/**
 * OCPP 1.6 authorization (§3.5, §4.1): from the Local Authorization List or the Authorization
 * Cache when LocalPreAuthorize allows it or when offline (LocalAuthorizeOffline), otherwise with
 * an Authorize.req.
 */
export class Authorizer16 {
  readonly cache = new AuthCache();
  /** §3.10, §5.13: the latest parentIdTag the Central System gave for each idTag (its group; reservations match by it too). */
  private readonly parents = new Map<string, string>();

  constructor(private readonly context: StationContext, private readonly configuration: Configuration, private readonly localList: LocalAuthList) {}

  /** The AuthorizationStatus of an idTag. */
  async check(idTag: string): Promise<string> {
    const local = this.localEntry(idTag);
    const online = this.context.isOnline() && this.context.registration() === 'Accepted';
    if (online) {
      // §9.1.13: a locally valid identifier starts without waiting for the Central System
      // (behaviour:cache-not-used asks the Central System even for a tag cached as Accepted).
      const cacheIgnored = this.context.hasFault('cache-not-used') && !this.localList.has(idTag);
      if (local?.status === 'Accepted' && this.configuration.flag('LocalPreAuthorize') && !cacheIgnored) return 'Accepted';
      if (this.context.hasFault('no-authorize')) return 'Accepted';
      const outcome = await this.context.send('Authorize', { idTag });
      if (outcome.kind === 'result') {
        const status = this.remember(idTag, outcome.payload['idTagInfo']);
        // behaviour:charge-despite-invalid-tag goes on as if any answer were Accepted (breaks §4.1).
        return this.context.hasFault('charge-despite-invalid-tag') ? 'Accepted' : status;
      }
    }
    // §3.5.4: when offline an identifier known locally with another status than Accepted is refused
    // (behaviour:no-offline-authorization refuses every idTag while offline, whatever it knows).
    if (local?.status === 'Accepted' && this.configuration.flag('LocalAuthorizeOffline') && !this.context.hasFault('no-offline-authorization')) return 'Accepted';
    return 'Invalid';
  }

  /** §4.8, §4.10: an IdTagInfo from the Central System updates the cache; returns its status. */
  remember(idTag: string, info: unknown): string {
    const idTagInfo = (info ?? {}) as Payload;
    const status = String(idTagInfo['status'] ?? 'Invalid');
    if (typeof idTagInfo['parentIdTag'] === 'string') this.parents.set(idTag, idTagInfo['parentIdTag']);
    else this.parents.delete(idTag);
    // §3.5.3: identifiers on the Local Authorization List are not added to the cache.
    if (this.cacheEnabled() && !this.localList.has(idTag)) {
      this.cache.put(idTag, status, this.context.now(), { expiresAt: idTagInfo['expiryDate'] as string | undefined, groupId: idTagInfo['parentIdTag'] as string | undefined });
    }
    return status;
  }

  /** The group (parentIdTag) the Central System last gave an idTag, if any. */
  parentOf(idTag: string): string | undefined {
    return this.parents.get(idTag);
  }

  // §3.5.3: an entry of the Local Authorization List has priority over the cache's for the same identifier.
  private localEntry(idTag: string): ListEntry | CachedAuthorization | undefined {
    return this.localList.lookup(idTag) ?? (this.cacheEnabled() ? this.cache.get(idTag, this.context.now()) : undefined);
  }

  private cacheEnabled(): boolean {
    return this.configuration.flag('AuthorizationCacheEnabled');
  }
}
