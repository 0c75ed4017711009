import { renderText, text, type Step } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { errorStep, inconclusiveStep } from '../step-stop.js';
import { perItem, type StepKind } from './step-kind.js';

/** Ask an adapter to perform a device action (plug in, present a token, make the CSMS send X...). */
export interface ActionStep extends Step {
  kind: 'action';
  action: string;
  params: Record<string, unknown>;
  prompt?: string;
}

/** `action: plugIn` with its params: a device action through the configured adapter. */
export const actionKind: StepKind<ActionStep> = {
  name: 'action',
  summary: 'Perform a device action through the configured adapter (operator prompt, command, HTTP, built-in).',
  fields: {
    action: text('Device action performed by an adapter (plugIn, presentIdToken, reboot, csmsSend, ...).'),
    params: { type: 'object', description: 'Parameters of the device action (templates allowed).' },
    prompt: text('Operator text for the prompt adapter (templates allowed).'),
  },
  // A device action may take as long as a reboot.
  timeout: 'longOperationMs',
  normalise: (raw, common) => {
    const action: ActionStep = { ...common, kind: 'action', action: String(raw['action']), params: (raw['params'] ?? {}) as Record<string, unknown> };
    if (typeof raw['prompt'] === 'string') action.prompt = raw['prompt'];
    return action;
  },
  check: (raw, path, check) => {
    check.templates(raw['params'], [...path, 'params']);
    // A prompt may name the action's own parameters as {{params.x}}.
    check.templates(raw['prompt'], [...path, 'prompt'], Object.keys((raw['params'] ?? {}) as Record<string, unknown>));
  },
  describe: (step) => `device action ${step.action}`,
  run: perItem(runAction),
};

/** Runs a device action through the configured adapter (operator prompt, command, HTTP, built-in). */
export async function runAction(step: ActionStep, run: CaseRun, scope: StepScope, timeoutMs: number): Promise<string> {
  const params = run.render(step.params, scope) as Record<string, unknown>;
  // In a prompt, {{params.x}} also reaches the action's own parameters.
  const promptScope = { ...scope, params: { ...scope.params, ...params } };
  const action = { name: step.action, params, ...(step.prompt ? { prompt: String(run.render(step.prompt, promptScope)) } : {}) };
  run.relay.hand(params, run.env.adapter.forwardedParams?.(action));
  const controller = new AbortController();
  const unsubscribe = run.onStop(() => controller.abort());
  try {
    const outcome = await run.env.adapter.perform(action, {
      timeoutMs,
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
