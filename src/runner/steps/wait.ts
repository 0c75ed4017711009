import type { Session } from '../../session/index.js';
import type { CloseInfo } from '../../transport/index.js';
import { numberOrTemplate, type Step } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { errorStep, failStep } from '../step-stop.js';
import { perItem, type StepKind } from './step-kind.js';

/** Wait for a duration or for the connection to go down or come up. */
export interface WaitStep extends Step {
  kind: 'wait';
  durationMs?: number | string;
  until?: 'disconnected' | 'connected';
}

/** `wait: { durationMs }` or `wait: { until: connected | disconnected }`. */
export const waitKind: StepKind<WaitStep> = {
  name: 'wait',
  summary: 'Wait for a duration, or until the connection is down or up.',
  fields: {
    wait: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        durationMs: numberOrTemplate('Wait this long (a number or a template).'),
        until: { enum: ['disconnected', 'connected'], description: 'Wait until the connection is down or up.' },
      },
    },
  },
  // A station coming back takes as long as a connection; a close, as long as a message.
  timeout: (step) => (step.until === 'connected' ? 'connectMs' : 'messageMs'),
  normalise: (raw, common) => ({ ...common, kind: 'wait', ...(raw['wait'] as { durationMs?: number | string; until?: 'disconnected' | 'connected' }) }),
  check: (raw, path, check) => check.templates(raw['wait'], [...path, 'wait']),
  describe: (step) => (step.until ? `wait until ${step.until}` : `wait ${String(step.durationMs)} ms`),
  run: perItem(runWait),
};

/** Waits the duration the test case prescribes, or for the connection to go down or come up. */
export async function runWait(step: WaitStep, run: CaseRun, scope: StepScope, timeoutMs: number): Promise<string> {
  if (step.until === 'connected') {
    const session = await run.env.link.waitForSession(timeoutMs);
    if (run.pendingStop) throw run.pendingStop;
    if (!session) throw failStep('the SUT connected', `no connection within ${timeoutMs} ms`);
    return 'connected';
  }
  if (step.until === 'disconnected') {
    const session = run.env.link.session;
    if (!session) return 'already disconnected';
    const closed = await closedWithin(session, timeoutMs, run);
    if (run.pendingStop) throw run.pendingStop;
    if (!closed) throw failStep('the connection closed', `still open after ${timeoutMs} ms`);
    return `closed with code ${closed.code}`;
  }
  const durationMs = Number(run.render(step.durationMs ?? 0, scope));
  if (!Number.isFinite(durationMs) || durationMs < 0) throw errorStep('a duration in milliseconds', `"${String(step.durationMs)}" gives ${durationMs}`);
  await delay(durationMs, run);
  if (run.pendingStop) throw run.pendingStop;
  return `waited ${durationMs} ms`;
}

/** How the session's connection closed, if it does within `timeoutMs` (undefined when not, or the case was stopped). */
export async function closedWithin(session: Session, timeoutMs: number, run: CaseRun): Promise<CloseInfo | undefined> {
  const deadline = cancellableDelay(timeoutMs, run);
  const closed = await Promise.race([session.whenClosed(), deadline.promise.then(() => undefined)]);
  deadline.cancel();
  return closed;
}

/** Resolves after `ms`, or earlier when the case is stopped. */
export function delay(ms: number, run: CaseRun): Promise<void> {
  return cancellableDelay(ms, run).promise;
}

/** A delay that can also be cancelled, so a race it lost leaves no timer behind. */
function cancellableDelay(ms: number, run: CaseRun): { promise: Promise<void>; cancel: () => void } {
  let cancel = () => undefined as void;
  const promise = new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    const unsubscribe = run.onStop(done);
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    cancel = done;
  });
  return { promise, cancel };
}
