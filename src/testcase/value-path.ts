/** The outcome of reading a path: the value found there, or the fact that nothing is there. */
export type PathReading = { found: true; value: unknown } | { found: false };

const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

/**
 * Splits a dotted path such as `getVariableResult.0.attributeValue` into its segments; the empty
 * path is the value itself. Keys containing dots cannot be addressed, which OCPP never needs.
 */
export function parsePath(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

/** Joins a parent path and one key or index, so that the root's children have no leading dot. */
export function appendPath(path: string, segment: string | number): string {
  return path === '' ? String(segment) : `${path}.${segment}`;
}

/**
 * Reads a dotted path (numeric segments index arrays) from a JSON-like value and never throws.
 * A key holding `undefined` counts as absent, as it would after a JSON round trip.
 */
export function readPath(value: unknown, path: string): PathReading {
  return readSegments(value, parsePath(path));
}

/** Reads already split segments; see `readPath`. Inherited properties such as "constructor" are never found. */
export function readSegments(value: unknown, segments: readonly string[]): PathReading {
  let current: unknown = value;
  for (const segment of segments) {
    const next = childOf(current, segment);
    if (!next.found) return next;
    current = next.value;
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}

function childOf(parent: unknown, segment: string): PathReading {
  if (Array.isArray(parent)) {
    // "01" or "-1" are not indices: reading them would silently address another element.
    if (!ARRAY_INDEX.test(segment)) return { found: false };
    const index = Number(segment);
    return index < parent.length && parent[index] !== undefined ? { found: true, value: parent[index] } : { found: false };
  }
  if (typeof parent !== 'object' || parent === null) return { found: false };
  if (!Object.hasOwn(parent, segment)) return { found: false };
  const child = (parent as Record<string, unknown>)[segment];
  return child === undefined ? { found: false } : { found: true, value: child };
}
