import type { CaseFailure, CaseResult } from './results.js';

/** A case's reason, undefined for a pass: lets a test compare reasons across verdicts in one line. */
export function reasonOf(result: CaseResult | undefined): string | undefined {
  return result && result.verdict !== 'pass' ? result.reason : undefined;
}

/** A case's failure, undefined for the verdicts that carry none. */
export function failureOf(result: CaseResult | undefined): CaseFailure | undefined {
  return result && 'failure' in result ? result.failure : undefined;
}

/** A pass's relayed mark, undefined for other verdicts. */
export function relayedOf(result: CaseResult | undefined): true | undefined {
  return result?.verdict === 'pass' ? result.relayed : undefined;
}
