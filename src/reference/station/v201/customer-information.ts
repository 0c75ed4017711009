import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { V201Parts } from './parts.js';

const REFERENCES = ['idToken', 'customerCertificate', 'customerIdentifier'] as const;

/**
 * CustomerInformation (N09, N10). The customer data the reference station holds is the
 * Authorization Cache entry of an id token (there is no Local Authorization List to spare,
 * N10.FR.03/06); it holds no customer certificates or identifiers. The answer goes out first,
 * then one NotifyCustomerInformationRequest: the data found or "no data found" when a report is
 * asked (N09.FR.05/06, N10.FR.03/04), "cleared" when only clearing is (N10.FR.06).
 */
export function customerInformation(parts: V201Parts, payload: Payload): CallReply {
  // N09.FR.09: exactly one of idToken, customerCertificate, customerIdentifier.
  const given = REFERENCES.filter((reference) => payload[reference] !== undefined);
  if (given.length !== 1) return { payload: { status: 'Invalid' } };
  const report = payload['report'] === true;
  const clear = payload['clear'] === true;
  // N09.FR.07, N10.FR.07: nothing to do.
  if (!report && !clear) return { payload: { status: 'Rejected' } };
  const { cache } = parts.authorizer;
  const now = parts.context.now();
  const token = (payload['idToken'] as { idToken?: string } | undefined)?.idToken;
  const cached = token === undefined ? undefined : cache.get(token, now);
  const who = token !== undefined ? `idToken ${token}` : given[0] === 'customerIdentifier' ? `customerIdentifier ${String(payload['customerIdentifier'])}` : 'customerCertificate';
  // N10.FR.03/06: the data is removed before the answer goes out.
  if (clear && token !== undefined) cache.delete(token);
  let data: string;
  if (report) data = cached ? `${who}: authorization cache entry, status ${cached.status}${cached.groupId ? `, group ${cached.groupId}` : ''}${clear ? ' (cleared)' : ''}` : `${who}: no data found`;
  else data = `${who}: customer data cleared`;
  const requestId = Number(payload['requestId']);
  parts.context.timers.soon(() => void parts.context.send('NotifyCustomerInformation', { data, seqNo: 0, generatedAt: now.toISOString(), requestId }));
  return { payload: { status: 'Accepted' } };
}
