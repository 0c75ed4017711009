import type { IdTokenStatus, MasterPassSetup } from './types.js';

/** The OCPP 1.6 IdTagInfo statuses (1.6 §7.1 AuthorizationStatus). */
const STATUSES_16 = new Set<IdTokenStatus>(['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx']);

/** An id token as 2.0.1 carries it: the text and its type. */
export interface IdTokenRef {
  idToken: string;
  type: string;
}

/** The OCPP 2.0.1 IdTokenInfoType as the reference CSMS fills it in. */
export interface IdTokenInfo {
  status: string;
  groupIdToken?: IdTokenRef;
}

/** The CSMS's authorization list: which token has which status, and what type it was seen with. */
export class IdTokenBook {
  private readonly statuses = new Map<string, IdTokenStatus>();
  private readonly types = new Map<string, string>();
  /** Token → the group identifier it shares with other tokens (C09.FR.02). */
  private readonly groups = new Map<string, string>();

  constructor(initial: Record<string, IdTokenStatus>, private readonly acceptUnknown: boolean, private readonly masterPass?: MasterPassSetup) {
    for (const [token, status] of Object.entries(initial)) this.statuses.set(token, status);
    // C16: a master pass token is a valid token whose group is the MasterPassGroupId.
    for (const token of masterPass?.idTokens ?? []) this.set(token, this.statuses.get(token) ?? 'Accepted', undefined, masterPass!.groupIdToken.idToken);
  }

  /** Adds or changes a token, optionally with the group it belongs to. */
  set(idToken: string, status: IdTokenStatus, type?: string, groupIdToken?: string): void {
    this.statuses.set(idToken, status);
    if (type) this.types.set(idToken, type);
    if (groupIdToken) this.groups.set(idToken, groupIdToken);
  }

  /** True for a token of the MasterPassGroupId group (C16), which may stop any transaction. */
  isMasterPass(idToken: string): boolean {
    return this.masterPass !== undefined && this.groups.get(idToken) === this.masterPass.groupIdToken.idToken;
  }

  /** Remembers the type a station used for a token, so CSMS-made requests use the same one. */
  noteType(idToken: string, type: string): void {
    if (!this.types.has(idToken)) this.types.set(idToken, type);
  }

  /** The OCPP 1.6 idTagInfo for an idTag: tokens not on the list are Invalid (1.6 §7.1); a grouped one names its parentIdTag (§7.23). */
  idTagInfo(idTag: string): { status: string; parentIdTag?: string } {
    const status = this.statuses.get(idTag) ?? (this.acceptUnknown ? 'Accepted' : 'Invalid');
    // 1.6 has no Unknown, NoCredit, ... statuses; a token that is not usable is Invalid there.
    const group = this.groups.get(idTag);
    return { status: STATUSES_16.has(status) ? status : 'Invalid', ...(group === undefined ? {} : { parentIdTag: group }) };
  }

  /** The OCPP 2.0.1 idTokenInfo for an idToken (C01.FR.07, E01.FR.12), with its group when it has one (C09.FR.02). */
  idTokenInfo(token: IdTokenRef): IdTokenInfo {
    // A NoAuthorization token carries nothing to check: the station needs no authorization.
    if (token.type === 'NoAuthorization') return { status: 'Accepted' };
    const status = this.statuses.get(token.idToken) ?? (this.acceptUnknown ? 'Accepted' : 'Unknown');
    const group = this.groups.get(token.idToken);
    // C09.FR.02, E01.FR.12: tokens of one group share the groupIdToken of their IdTokenInfo; C16:
    // the master pass group is named as the stations know it (MasterPassGroupId).
    if (group === undefined) return { status };
    const master = this.masterPass?.groupIdToken;
    return { status, groupIdToken: master?.idToken === group ? { ...master } : { idToken: group, type: 'Central' } };
  }

  /** The first Accepted token, with the type it is known by (ISO14443 when never seen). */
  firstAccepted(): IdTokenRef | undefined {
    for (const [idToken, status] of this.statuses) if (status === 'Accepted') return { idToken, type: this.typeOf(idToken) };
    return undefined;
  }

  /** Every token with its status and type, in insertion order. */
  entries(): Array<IdTokenRef & { status: IdTokenStatus }> {
    return [...this.statuses].map(([idToken, status]) => ({ idToken, status, type: this.typeOf(idToken) }));
  }

  private typeOf(idToken: string): string {
    return this.types.get(idToken) ?? 'ISO14443';
  }
}
