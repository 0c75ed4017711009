import { renderText, renderValue, type TemplateContext } from '../../testcase/index.js';
import type { ActionContext, DeviceAction } from './adapter.js';

/** The context the runner's action step gives an adapter: templates rendered by the test-case engine over the action's params and `config`. */
export function actionContextFor(action: DeviceAction, config: Record<string, unknown> = {}, timeoutMs = 5_000): ActionContext {
  const templates: TemplateContext = { config, captured: {}, params: action.params, clock: () => new Date() };
  return { timeoutMs, render: (template) => renderText(template, templates), renderValue: (template) => renderValue(template, templates) };
}
