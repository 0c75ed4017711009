import type { Payload } from '../../../protocol/index.js';
import { AuthCache } from '../auth-cache.js';
import type { StationContext } from '../context.js';
import type { Configuration } from './configuration.js';

/**
 * OCPP 1.6 authorization (§3.5, §4.1): from the Authorization Cache when LocalPreAuthorize allows
 * it or when offline (LocalAuthorizeOffline), otherwise with an Authorize.req.
 */
export class Authorizer16 {
  readonly cache = new AuthCache();

  constructor(private readonly context: StationContext, private readonly configuration: Configuration) {}

  /** The AuthorizationStatus of an idTag. */
  async check(idTag: string): Promise<string> {
    const cached = this.cacheEnabled() ? this.cache.get(idTag, this.context.now()) : undefined;
    const online = this.context.isOnline() && this.context.registration() === 'Accepted';
    if (online) {
      if (cached?.status === 'Accepted' && this.configuration.flag('LocalPreAuthorize')) return 'Accepted';
      if (this.context.hasFault('no-authorize')) return 'Accepted';
      const outcome = await this.context.send('Authorize', { idTag });
      if (outcome.kind === 'result') {
        const status = this.remember(idTag, outcome.payload['idTagInfo']);
        // behaviour:charge-despite-invalid-tag goes on as if any answer were Accepted (breaks §4.1).
        return this.context.hasFault('charge-despite-invalid-tag') ? 'Accepted' : status;
      }
    }
    // behaviour:no-offline-authorization refuses every idTag while offline, whatever the cache says.
    if (cached?.status === 'Accepted' && this.configuration.flag('LocalAuthorizeOffline') && !this.context.hasFault('no-offline-authorization')) return 'Accepted';
    return 'Invalid';
  }

  /** §4.8, §4.10: an IdTagInfo from the Central System updates the cache; returns its status. */
  remember(idTag: string, info: unknown): string {
    const idTagInfo = (info ?? {}) as Payload;
    const status = String(idTagInfo['status'] ?? 'Invalid');
    if (this.cacheEnabled()) {
      this.cache.put(idTag, status, this.context.now(), { expiresAt: idTagInfo['expiryDate'] as string | undefined, groupId: idTagInfo['parentIdTag'] as string | undefined });
    }
    return status;
  }

  private cacheEnabled(): boolean {
    return this.configuration.flag('AuthorizationCacheEnabled');
  }
}
