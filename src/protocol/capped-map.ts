/**
 * Sets `key` in a map that may hold at most `cap` entries: over the cap the oldest entry goes.
 * Per-conversation bookkeeping (awaited answers, transactions) uses it so that a peer, or a
 * trace of any length, cannot grow it without bound. Returns the key it forgot, if any.
 */
export function setCapped<K, V>(map: Map<K, V>, key: K, value: V, cap: number): K | undefined {
  map.set(key, value);
  if (map.size <= cap) return undefined;
  const oldest = map.keys().next().value as K;
  map.delete(oldest);
  return oldest;
}

/** How many entries per-conversation bookkeeping keeps by default (see CorrelatorOptions.memory). */
export const DEFAULT_CONVERSATION_MEMORY = 10_000;
