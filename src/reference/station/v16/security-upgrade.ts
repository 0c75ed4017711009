import type { SecurityProfile } from '../../../transport/index.js';
import type { EndpointPlan } from '../csms-connection.js';
import type { StationContext } from '../context.js';
import type { Configuration } from './configuration.js';

/** The slot of the endpoint at the raised profile; slot 0 is the one the Charge Point connected with before. */
const UPGRADED_SLOT = 1;

/**
 * A05 (1.6 security whitepaper): the Charge Point raises its SecurityProfile. 1.6 has no key for
 * the Central System's URL, so the URL for a higher profile comes from outside OCPP (device action
 * setCentralSystemUrl, as a lab sets it at the Charge Point); without one the Charge Point keeps
 * its endpoint. Having accepted a higher SecurityProfile it disconnects (A05.FR.06) and connects
 * at the new profile (A05.FR.07); until that works it may fall back to the previous one
 * (A05.FR.08), once it did it never goes back (TC_083_CS).
 */
export class SecurityUpgrade16 {
  private readonly urls = new Map<number, string>();
  /** The profile of the last connection that worked. */
  private connectedProfile: SecurityProfile;
  /** The profile to fall back to while the raised one has not connected (A05.FR.08). */
  private fallback: SecurityProfile | undefined;

  constructor(private readonly context: StationContext, private readonly configuration: Configuration) {
    this.connectedProfile = this.delivered();
  }

  /** Device action setCentralSystemUrl: where to connect at `profile` (without the identity). */
  setUrl(profile: number, url: string): void {
    this.urls.set(profile, url);
  }

  /** SecurityProfile changed: a raised one ends the connection, the next uses it (A05.FR.06/07). */
  changed(): void {
    if (this.current() <= this.connectedProfile) return;
    this.fallback = this.connectedProfile;
    this.context.timers.soon(() => this.context.reconnect());
  }

  /** The endpoints to try: the raised profile's, then the previous one while it may still be needed. */
  plan(): EndpointPlan {
    const current = this.current();
    // behaviour:upgrade-keeps-old-profile connects as before, whatever SecurityProfile says (breaks A05.FR.07).
    const profile = this.context.hasFault('upgrade-keeps-old-profile') ? this.connectedProfile : current;
    const raised = { slot: UPGRADED_SLOT, url: this.urlAt(profile), securityProfile: profile };
    const previous = this.fallback === undefined || profile === this.fallback ? [] : [{ slot: 0, url: this.urlAt(this.fallback), securityProfile: this.fallback }];
    return { candidates: [raised, ...previous], attemptsEach: 1 };
  }

  /** Connected with a candidate of the plan; true when that changed the plan (no fallback any more). */
  connectedTo(slot: number): boolean {
    if (slot !== UPGRADED_SLOT || this.fallback === undefined || this.context.hasFault('upgrade-keeps-old-profile')) return false;
    this.connectedProfile = this.current();
    // behaviour:upgrade-fallback-kept keeps falling back to the old profile after the new one worked (breaks A05.FR.07, TC_083_CS).
    if (this.context.hasFault('upgrade-fallback-kept')) return false;
    this.fallback = undefined;
    return true;
  }

  /** Device action restoreSecurityProfile: the delivered profile and endpoint again (A05 has no way back over OCPP). */
  restore(): void {
    this.urls.clear();
    this.fallback = undefined;
    this.connectedProfile = this.delivered();
    this.configuration.restore('SecurityProfile', String(this.connectedProfile));
  }

  private urlAt(profile: number): string {
    return profile === this.delivered() ? this.context.options.endpoint : (this.urls.get(profile) ?? this.context.options.endpoint);
  }

  private current(): SecurityProfile {
    return this.configuration.integer('SecurityProfile') as SecurityProfile;
  }

  private delivered(): SecurityProfile {
    return this.context.options.security?.profile ?? 0;
  }
}
