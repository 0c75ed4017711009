import type { CsmsContext } from './context.js';
import type { IdTokenInfo, IdTokenRef } from './id-tokens.js';

/** What the CSMS knows of the transaction event a token came with. */
export interface StopContext {
  /** transactionInfo.stoppedReason of an Ended event. */
  stoppedReason?: string;
  /** The token the transaction was authorized with before this event, if any. */
  authorizedWith?: string;
}

/**
 * The idTokenInfo the CSMS answers for a token (C16: a master pass token is Accepted and named
 * with the MasterPassGroupId group, and may end any transaction), as the master pass behaviour
 * faults bend it when they are switched on.
 */
export function masterPassAnswer(context: CsmsContext, token: IdTokenRef, info: IdTokenInfo, event?: StopContext): IdTokenInfo {
  if (context.behaviours.has('no-master-pass-group') && context.tokens.isMasterPass(token.idToken)) return { status: info.status };
  const stoppedByAnother = event?.stoppedReason === 'MasterPass' && event.authorizedWith !== undefined && event.authorizedWith !== token.idToken;
  if (context.behaviours.has('master-pass-stop-rejected') && stoppedByAnother) return { ...info, status: 'Invalid' };
  return info;
}
