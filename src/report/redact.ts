// A defensive second pass over everything a report embeds. The transport already redacts the
// Authorization header before it is traced, but reports also embed other producers' traces,
// reasons and payloads, and a report is mailed around far more freely than a trace.

const BASIC = /\bBasic(\s+)([A-Za-z0-9+/_-]+={0,2})/g;
const PASSWORD_IN_JSON = /("basicAuthPassword"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** What replaces a secret. */
export const REDACTED = '<redacted>';

/** Replaces `Basic <base64 credentials>` and JSON `"basicAuthPassword": "..."` values in a text. */
export function redactText(text: string): string {
  if (!text.includes('Basic') && !/basicAuthPassword/i.test(text)) return text;
  return text
    .replace(BASIC, (whole, space: string, token: string) => (looksLikeCredentials(token) ? `Basic${space}${REDACTED}` : whole))
    .replace(PASSWORD_IN_JSON, `$1"${REDACTED}"`);
}

/** A copy of a JSON value with every string redacted and every `basicAuthPassword` field's value replaced. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = key.toLowerCase() === 'basicauthpassword' ? REDACTED : redactValue(field);
  return copy;
}

// Basic credentials are base64 of "user:password" (RFC 7617). Anything that decodes to a colon,
// or has the digits and symbols of base64, is treated as a secret; a plain word ("Basic auth")
// is left alone so prose stays readable.
function looksLikeCredentials(token: string): boolean {
  if (/[0-9+/=_-]/.test(token)) return true;
  return Buffer.from(token, 'base64').toString('latin1').includes(':');
}
