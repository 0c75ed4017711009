/**
 * How deep a payload may nest: `{}` is one level, `{"a":{}}` two. No OCPP schema comes near it
 * (the deepest 2.1 payloads nest about ten levels), so anything deeper is abuse; it is judged
 * before any recursive walk (ajv, deep equality, JSON.stringify) could exhaust the stack.
 */
export const MAX_PAYLOAD_DEPTH = 64;

/**
 * True when `value` nests more than `levels` objects or arrays deep. The recursion stops at the
 * limit, however deep the value goes, so it is safe on any parsed JSON and allocates nothing.
 */
export function isNestedDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (isNestedDeeperThan(item, levels - 1)) return true;
    return false;
  }
  for (const key in value) if (isNestedDeeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}

/** The one-line description of a payload past MAX_PAYLOAD_DEPTH. */
export function tooDeepDescription(where: string): string {
  return `${where} is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
}
