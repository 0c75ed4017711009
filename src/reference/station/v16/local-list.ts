import type { Payload } from '../../../protocol/index.js';
import type { StationContext } from '../context.js';
import type { Configuration } from './configuration.js';

/** What the list holds for one idTag: the IdTagInfo the Central System sent with it (1.6 §7.1 AuthorizationData). */
export interface ListEntry {
  status: string;
  expiresAtMs?: number;
  parentIdTag?: string;
}

/** UpdateStatus of SendLocalList.conf (1.6 §7.47). */
type UpdateStatus = 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch';

const PROFILE = 'LocalAuthListManagement';

/**
 * The Local Authorization List of OCPP 1.6 (§3.5.2): identifiers with the status the Central
 * System gave them, changed only by SendLocalList (Full replaces, Differential adds, updates and
 * deletes), under a version number the Central System chooses.
 */
export class LocalAuthList {
  private version = 0;
  private entries = new Map<string, ListEntry>();
  /** Set by the `blockLocalListStorage` device action: storing a list fails (TC_043_3_CS's precondition). */
  storageBlocked = false;

  constructor(private readonly context: StationContext, private readonly configuration: Configuration) {}

  /** §3.5.2: supported when SupportedFeatureProfiles names the profile; in use while LocalAuthListEnabled. */
  enabled(): boolean {
    return this.configuration.list('SupportedFeatureProfiles').includes(PROFILE) && this.configuration.flag('LocalAuthListEnabled');
  }

  /** §5.10: -1 without a list in use, 0 for an empty list, else the version of the last update. */
  reportedVersion(): number {
    if (!this.enabled()) return -1;
    return this.entries.size === 0 ? 0 : this.version;
  }

  /** The entry of an idTag while the list is in use; an entry past its expiryDate reads Expired (§3.5.4). */
  lookup(idTag: string): ListEntry | undefined {
    if (!this.enabled() || this.context.hasFault('local-list-ignored')) return undefined;
    const entry = this.entries.get(idTag);
    if (entry?.expiresAtMs !== undefined && entry.expiresAtMs <= this.context.now().getTime()) return { ...entry, status: 'Expired' };
    return entry;
  }

  /** §3.5.3: identifiers on the list stay out of the Authorization Cache. */
  has(idTag: string): boolean {
    return this.entries.has(idTag);
  }

  /** §5.15, §6.41: applies a SendLocalList.req and says how it went. */
  update(request: Payload): UpdateStatus {
    // The test-case document (TC_042_1, TC_043_1) treats a disabled list like an unsupported one.
    if (!this.enabled()) return 'NotSupported';
    const items = (request['localAuthorizationList'] as Payload[] | undefined) ?? [];
    const listVersion = Number(request['listVersion']);
    if (this.storageBlocked || !this.acceptable(items)) return 'Failed';
    if (request['updateType'] === 'Full') return this.replace(items, listVersion);
    // UpdateStatus VersionMismatch: a differential update must raise the version.
    if (listVersion <= this.version && !this.context.hasFault('local-list-no-version-check')) return 'VersionMismatch';
    if (this.context.hasFault('local-list-differential-ignored')) return 'Accepted';
    const next = new Map(this.entries);
    for (const item of items) {
      // §7.1: with idTagInfo the entry is added or updated, without it deleted.
      if (item['idTagInfo'] === undefined) next.delete(String(item['idTag']));
      else next.set(String(item['idTag']), entryOf(item['idTagInfo'] as Payload));
    }
    return this.install(next, listVersion);
  }

  // §6.41: at most SendLocalListMaxLength entries, every idTag once; a Full list gives every idTagInfo.
  private acceptable(items: Payload[]): boolean {
    const idTags = new Set(items.map((item) => String(item['idTag'])));
    return items.length <= this.configuration.integer('SendLocalListMaxLength') && idTags.size === items.length;
  }

  private replace(items: Payload[], listVersion: number): UpdateStatus {
    if (items.some((item) => item['idTagInfo'] === undefined)) return 'Failed';
    return this.install(new Map(items.map((item) => [String(item['idTag']), entryOf(item['idTagInfo'] as Payload)])), listVersion);
  }

  // §9.2.2: a list longer than LocalAuthListMaxLength cannot be stored; the old one stays.
  private install(next: Map<string, ListEntry>, listVersion: number): UpdateStatus {
    if (next.size > this.configuration.integer('LocalAuthListMaxLength')) return 'Failed';
    this.entries = next;
    this.version = listVersion;
    return 'Accepted';
  }
}

function entryOf(idTagInfo: Payload): ListEntry {
  const entry: ListEntry = { status: String(idTagInfo['status']) };
  const expiresAtMs = typeof idTagInfo['expiryDate'] === 'string' ? Date.parse(idTagInfo['expiryDate']) : Number.NaN;
  if (!Number.isNaN(expiresAtMs)) entry.expiresAtMs = expiresAtMs;
  if (typeof idTagInfo['parentIdTag'] === 'string') entry.parentIdTag = idTagInfo['parentIdTag'];
  return entry;
}
