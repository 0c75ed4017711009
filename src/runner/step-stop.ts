import type { Finding } from '../protocol/index.js';
import type { Verdict } from './results.js';

/** Why a step stopped the case: the verdict it leads to, and the expected/actual pair that explains it. */
export class StepStop extends Error {
  constructor(
    readonly verdict: Exclude<Verdict, 'pass' | 'not-applicable' | 'skipped'>,
    readonly expected: string[],
    readonly actual: string,
    /** A side-by-side comparison of expected and actual, one row per line in aligned columns (results.json `failure.table`). */
    readonly table?: string,
  ) {
    super(`${verdict}: expected ${expected.join(' | ')}; actual ${actual}`);
    this.name = 'StepStop';
  }
}

/** A violation on a frame the SUT sent stopped the running step (issue 13: it fails the case at once). */
export class ProtocolStop extends StepStop {
  constructor(readonly finding: Finding) {
    super('fail', [`no protocol violation (${finding.rule})`], finding.message);
    this.name = 'ProtocolStop';
  }
}

/** The SUT did something else than the step requires. */
export function failStep(expected: string | string[], actual: string, table?: string): StepStop {
  return new StepStop('fail', ([] as string[]).concat(expected), actual, table);
}

/** The harness or its environment could not carry out the step. */
export function errorStep(expected: string | string[], actual: string): StepStop {
  return new StepStop('error', ([] as string[]).concat(expected), actual);
}

/** The step could not be judged (an operator aborted, an adapter cannot act). */
export function inconclusiveStep(expected: string | string[], actual: string): StepStop {
  return new StepStop('inconclusive', ([] as string[]).concat(expected), actual);
}

/** A value as single-line JSON, whole: results.json and HTML keep `actual:` uncut (the console shortens it). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A short, single-line JSON rendering of a value for a passing step's detail. */
export function preview(value: unknown, maxLength = 160): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}
