import type { HarnessConfig } from '../config/index.js';
import type { Step } from '../testcase/index.js';
import type { CaseRun, StepScope } from './case-run.js';
import { errorStep } from './step-stop.js';
import type { StepKind } from './steps/index.js';

/**
 * The one timeout rule (issue 12): a step waits for its own `timeoutMs` (a number or a template),
 * else for the configured timeout its kind names; `--timeout-scale` multiplies the result, whichever
 * it was. Templates see the configured timeouts unscaled, so a scale applies once. 0: the kind
 * waits for nothing of its own.
 */
export function stepTimeoutMs(step: Step, kind: StepKind, run: CaseRun, scope: StepScope): number {
  const name = typeof kind.timeout === 'function' ? kind.timeout(step) : kind.timeout;
  if (name === undefined) return 0;
  const { env } = run;
  const base = step.timeoutMs === undefined ? (env.baseTimeouts ?? env.config.timeouts)[name] : Number(run.render(step.timeoutMs, scope));
  if (!Number.isFinite(base) || base <= 0) throw errorStep('a timeout in milliseconds', `timeoutMs "${String(step.timeoutMs)}" gives ${base}`);
  return Math.round(base * (env.timeoutScale ?? 1));
}

/**
 * `--timeout-scale` on the configured timeouts the harness waits for on its own account
 * (connections, between cases, the built-in reference's start); steps scale theirs in stepTimeoutMs.
 */
export function scaleTimeouts(config: HarnessConfig, scale: number): HarnessConfig {
  if (scale === 1) return config;
  const { messageMs, longOperationMs, connectMs, closeMs, handshakeMs } = config.timeouts;
  return { ...config, timeouts: { messageMs: messageMs * scale, longOperationMs: longOperationMs * scale, connectMs: connectMs * scale, closeMs: closeMs * scale, handshakeMs: handshakeMs * scale, timeToleranceMs: config.timeouts.timeToleranceMs } };
}
