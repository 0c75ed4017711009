import type { Payload } from '../../../protocol/index.js';
import { AuthCache } from '../auth-cache.js';
import type { StationContext } from '../context.js';
import type { DeviceModel } from './device-model.js';

/** IdTokenType. */
export interface IdToken {
  idToken: string;
  type: string;
}

/** The outcome of an authorization: AuthorizationStatusEnumType and the group, if any. */
export interface AuthorizationResult {
  status: string;
  groupId?: string;
}

/**
 * Decides whether an id token may charge (C01, C10, C12): without authorization when
 * AuthCtrlr.Enabled is false, from the cache when LocalPreAuthorize allows it or when offline
 * (LocalAuthorizeOffline), otherwise by asking the CSMS with an AuthorizeRequest (C01.FR.02).
 */
export class Authorizer {
  readonly cache = new AuthCache();

  constructor(private readonly context: StationContext, private readonly model: DeviceModel) {}

  /** Authorizes a token, asking the CSMS when the rules say so. */
  async check(token: IdToken): Promise<AuthorizationResult> {
    if (!this.model.flag('AuthCtrlr', 'Enabled')) return { status: 'Accepted' };
    const cached = this.cacheEnabled() ? this.cache.get(token.idToken, this.context.now()) : undefined;
    const online = this.context.isOnline() && this.context.registration() === 'Accepted';
    if (online) {
      // C10.FR.03: a cached token that is not Accepted is always checked with the CSMS.
      if (cached?.status === 'Accepted' && this.model.flag('AuthCtrlr', 'LocalPreAuthorize')) return resultOf(cached);
      if (this.context.hasFault('no-authorize')) return { status: 'Accepted' };
      const outcome = await this.context.send('Authorize', { idToken: { idToken: token.idToken, type: token.type } });
      if (outcome.kind === 'result') return this.remember(token, outcome.payload['idTokenInfo']);
    }
    if (cached?.status === 'Accepted' && this.model.flag('AuthCtrlr', 'LocalAuthorizeOffline')) return resultOf(cached);
    return { status: 'Unknown' };
  }

  /** Stores an IdTokenInfoType the CSMS sent (C10.FR.04/05) and returns it as a result. */
  remember(token: IdToken, info: unknown): AuthorizationResult {
    const idTokenInfo = (info ?? {}) as Payload;
    const status = String(idTokenInfo['status'] ?? 'Unknown');
    const groupId = (idTokenInfo['groupIdToken'] as Payload | undefined)?.['idToken'] as string | undefined;
    if (this.cacheEnabled()) {
      this.cache.put(token.idToken, status, this.context.now(), {
        groupId, expiresAt: idTokenInfo['cacheExpiryDateTime'] as string | undefined, lifetimeS: this.model.integer('AuthCacheCtrlr', 'LifeTime'),
      });
    }
    return groupId ? { status, groupId } : { status };
  }

  private cacheEnabled(): boolean {
    return this.model.flag('AuthCacheCtrlr', 'Enabled');
  }
}

function resultOf(cached: { status: string; groupId?: string }): AuthorizationResult {
  return cached.groupId ? { status: cached.status, groupId: cached.groupId } : { status: cached.status };
}
