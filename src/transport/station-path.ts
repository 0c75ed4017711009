/**
 * The charging station identity in a connection path: its last segment, percent-decoded
 * (OCPP-J 1.6 §3.1.1, OCPP-J 2.0.1 §3.1.1 and errata §4.1). Undefined when there is none.
 */
export function stationIdFromPath(path: string): string | undefined {
  const pathname = path.split('?')[0] ?? '';
  const segment = pathname.split('/').filter((part) => part.length > 0).pop();
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The CSMS endpoint path a station connected at: its URL path without the query and the trailing
 * identity segment, without a trailing slash ('' for `/CS1`, `/ocpp` for `/ocpp/CS1`).
 */
export function endpointPathOf(path: string): string {
  const pathname = path.split('?')[0] ?? '';
  return pathname.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
}

/** The URL a station connects to: the CSMS endpoint plus "/" and the percent-encoded identity. */
export function stationUrl(endpoint: string, stationId: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(stationId)}`;
}
