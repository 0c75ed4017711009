/** Credentials of HTTP Basic authentication (OCPP security profile 1 and 2). */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** The Authorization header value for the credentials: `Basic base64(username:password)`. */
export function formatBasicAuth({ username, password }: BasicCredentials): string {
  // OCPP 2.0.1 A00.FR.205/304: the password is sent as UTF-8.
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Reads an Authorization header; undefined when it is absent or not Basic. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  // OCPP-J 2.0.1 §3.1.1: the station identity may not contain ":", so the first one separates.
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The header with its secret replaced, for traces and reports: `Basic <redacted user="CS1">`. */
export function redactAuthorization(header: string): string {
  const credentials = parseBasicAuth(header);
  if (credentials) return `Basic <redacted user=${JSON.stringify(credentials.username)}>`;
  const scheme = header.split(/\s+/)[0] ?? '';
  return `${scheme} <redacted>`;
}

/**
 * What is wrong with the form of a Basic-auth password (A00.FR.205: 16 to 40 characters of
 * passwordString: letters, digits and * - _ = : + | @ .), or undefined. Never says the password
 * or its length: the text goes into traces.
 */
export function passwordFormProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < 16) return 'A00.FR.205: the password is shorter than 16 characters';
  if (length > 40) return 'A00.FR.205: the password is longer than 40 characters';
  if (!/^[A-Za-z0-9*\-_=:+|@.]*$/.test(password)) return 'A00.FR.205: the password has characters passwordString does not allow (letters, digits and * - _ = : + | @ . only)';
  return undefined;
}
