import { renderText, type ActionStep } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { errorStep, inconclusiveStep } from '../step-stop.js';

/** Runs a device action through the configured adapter (operator prompt, command, HTTP, built-in). */
export async function runAction(step: ActionStep, run: CaseRun, scope: StepScope): Promise<string> {
  const params = run.render(step.params, scope) as Record<string, unknown>;
  // In a prompt, {{params.x}} also reaches the action's own parameters.
  const promptScope = { ...scope, params: { ...scope.params, ...params } };
  const action = { name: step.action, params, ...(step.prompt ? { prompt: String(run.render(step.prompt, promptScope)) } : {}) };
  run.relay.hand(params, run.env.adapter.forwardedParams?.(action));
  const controller = new AbortController();
  const unsubscribe = run.onStop(() => controller.abort());
  try {
    const outcome = await run.env.adapter.perform(action, {
      timeoutMs: run.env.config.timeouts.longOperationMs,
      signal: AbortSignal.any([controller.signal, run.env.signal]),
      render: (template) => renderText(template, run.templateContext(promptScope)),
      renderValue: (template) => run.render(template, promptScope),
    });
    if (run.pendingStop) throw run.pendingStop;
    const expected = `device action ${step.action} performed`;
    if (outcome.status === 'done') return `${step.action} done${outcome.detail ? `: ${outcome.detail}` : ''}`;
    if (outcome.status === 'failed') throw errorStep(expected, `${step.action} failed: ${outcome.reason}`);
    throw inconclusiveStep(expected, `${step.action} ${outcome.status}: ${outcome.reason}`);
  } finally {
    unsubscribe();
  }
}
