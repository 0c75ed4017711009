import type { Payload } from '../../protocol/index.js';

/** A SecurityEventNotification payload (2.0.1 A04; the 1.6 security whitepaper's has the same fields). */
export function securityEvent(type: string, now: Date, techInfo?: string): Payload {
  return { type, timestamp: now.toISOString(), ...(techInfo ? { techInfo } : {}) };
}
