import type { Verdict } from './results.js';

/** Why a step stopped the case: the verdict it leads to, and the expected/actual pair that explains it. */
export class StepStop extends Error {
  constructor(
    readonly verdict: Exclude<Verdict, 'pass' | 'not-applicable' | 'skipped'>,
    readonly expected: string[],
    readonly actual: string,
  ) {
    super(`${verdict}: expected ${expected.join(' | ')}; actual ${actual}`);
    this.name = 'StepStop';
  }
}

/** The SUT did something else than the step requires. */
export function failStep(expected: string | string[], actual: string): StepStop {
  return new StepStop('fail', ([] as string[]).concat(expected), actual);
}

/** The harness or its environment could not carry out the step. */
export function errorStep(expected: string | string[], actual: string): StepStop {
  return new StepStop('error', ([] as string[]).concat(expected), actual);
}

/** The step could not be judged (an operator aborted, an adapter cannot act). */
export function inconclusiveStep(expected: string | string[], actual: string): StepStop {
  return new StepStop('inconclusive', ([] as string[]).concat(expected), actual);
}

/** A short, single-line JSON rendering of a value for Actual: lines. */
export function preview(value: unknown, maxLength = 160): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}
