import type { Payload } from '../protocol/index.js';

/** What a password gives way to in a trace. */
const REDACTED = '<redacted>';

interface ValueItem {
  variable?: { name?: unknown };
  attributeValue?: unknown;
}

/**
 * A CALL that sets the station's Basic-auth password, with that password replaced: 2.0.1
 * SetVariables of BasicAuthPassword (A01.FR.09/12: the password never goes into a log) and 1.6
 * ChangeConfiguration of AuthorizationKey (security whitepaper, use case A01). The trace then holds
 * the redacted frame, re-serialised, instead of the bytes that crossed the wire. Undefined when the
 * frame carries no password.
 */
export function withoutPassword(action: string, payload: Payload, raw: string | undefined): { payload: Payload; raw?: string } | undefined {
  const redacted = redactedPayload(action, payload);
  if (!redacted) return undefined;
  if (raw === undefined) return { payload: redacted };
  // Only a frame that parsed as JSON has a payload, so its text re-serialises to the same frame.
  const parsed = JSON.parse(raw) as unknown[];
  parsed[3] = redacted;
  return { payload: redacted, raw: JSON.stringify(parsed) };
}

function redactedPayload(action: string, payload: Payload): Payload | undefined {
  if (action === 'SetVariables' && Array.isArray(payload['setVariableData'])) {
    const items = payload['setVariableData'] as ValueItem[];
    if (!items.some(isPasswordItem)) return undefined;
    return { ...payload, setVariableData: items.map((item) => (isPasswordItem(item) ? { ...item, attributeValue: REDACTED } : item)) };
  }
  if (action === 'ChangeConfiguration' && payload['key'] === 'AuthorizationKey' && payload['value'] !== undefined) return { ...payload, value: REDACTED };
  return undefined;
}

function isPasswordItem(item: ValueItem): boolean {
  return typeof item === 'object' && item !== null && item.variable?.name === 'BasicAuthPassword' && item.attributeValue !== undefined;
}
