import type { CsmsContext } from './context.js';

// How old a StartTransaction's timestamp must be for `behaviour:queued-transaction-refused` to take
// it for one the station queued while offline.
const QUEUED_AGE_MS = 60_000;

/**
 * Acts out `behaviour:queued-transaction-refused`: true when the CSMS, against 1.6 §3.7 (a queued
 * transaction-related message SHOULD be processed as any other), would refuse a transaction that
 * started a while ago because it cannot have authorized it. Without the fault: false.
 */
export function refusesQueuedStart(context: CsmsContext, startedAt: string): boolean {
  if (!context.behaviours.has('queued-transaction-refused')) return false;
  const started = Date.parse(startedAt);
  return Number.isFinite(started) && context.clock().getTime() - started > QUEUED_AGE_MS;
}
