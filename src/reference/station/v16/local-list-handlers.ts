import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { V16Parts } from './parts.js';

/** The Local Auth List Management operations the reference Charge Point answers (§5.10, §5.15). */
export const LOCAL_LIST_HANDLERS_16: Record<string, (parts: V16Parts, payload: Payload) => CallReply> = {
  GetLocalListVersion: (parts) => ({ payload: { listVersion: parts.localList.reportedVersion() } }),
  SendLocalList: (parts, payload) => ({ payload: { status: parts.localList.update(payload) } }),
};
