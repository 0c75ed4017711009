import type { Payload } from '../../protocol/index.js';
import { capturesSchema, describePattern, matchPayload, patternSchema, payloadTemplateSchema, text, type Capture, type Pattern, type PayloadTemplate, type Step } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { errorStep, failStep, jsonText, preview } from '../step-stop.js';
import { captureValues } from './capture-values.js';
import { perItem, type StepKind } from './step-kind.js';

/** Send a CALL to the SUT and check its answer. */
export interface SendStep extends Step {
  kind: 'send';
  action: string;
  payload: PayloadTemplate;
  /** Pattern for the CALLRESULT payload. */
  match?: Pattern;
  capture?: Record<string, Capture>;
  /** The answer must be a CALLERROR with one of these codes. */
  error?: string[];
}

/** `send: Action` with its payload, and what the answer must look like. */
export const sendKind: StepKind<SendStep> = {
  name: 'send',
  summary: 'Send a CALL to the SUT and check its answer.',
  fields: {
    send: text('Send this CALL to the SUT (action name) and check the answer.'),
    payload: payloadTemplateSchema,
    match: { ...patternSchema, description: 'Pattern the CALLRESULT payload must match.' },
    capture: capturesSchema,
    error: { description: 'The answer must be a CALLERROR with this code (or one of these codes); with match as well, either answer is accepted.', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
  },
  timeout: 'messageMs',
  normalise: (raw, common) => {
    const send: SendStep = { ...common, kind: 'send', action: String(raw['send']), payload: (raw['payload'] ?? {}) as PayloadTemplate };
    if (raw['match'] !== undefined) send.match = raw['match'];
    if (raw['capture'] !== undefined) send.capture = raw['capture'] as Record<string, Capture>;
    if (raw['error'] !== undefined) send.error = ([] as string[]).concat(raw['error'] as string | string[]);
    return send;
  },
  check: (raw, path, check) => {
    check.action(String(raw['send']), [...path, 'send']);
    check.templates(raw['payload'], [...path, 'payload']);
    check.match(raw['match'], [...path, 'match']);
    check.captures(raw['capture'], [...path, 'capture']);
  },
  describe: (step) => `send ${step.action}Request`,
  captures: (step) => Object.keys(step.capture ?? {}),
  sends: (step) => [step.action],
  run: perItem(runSend),
};

/** Runs a send step: sends a CALL to the SUT, then judges its CALLRESULT or CALLERROR. */
export async function runSend(step: SendStep, run: CaseRun, scope: StepScope, timeoutMs: number): Promise<string> {
  const session = await run.env.link.waitForSession(run.env.config.timeouts.connectMs);
  if (run.pendingStop) throw run.pendingStop;
  if (!session) throw failStep(`a connection from the SUT to send ${step.action}Request on`, `no connection within ${run.env.config.timeouts.connectMs} ms`);
  const payload = run.render(step.payload, scope) as Payload;
  await run.env.beforeSend?.(session, step.action, payload);
  const sentAt = performance.now();
  const outcome = await run.call(session, step.action, payload, { timeoutMs });
  if (run.pendingStop) throw run.pendingStop;
  const expected = expectedLine(step, run, scope);
  switch (outcome.kind) {
    case 'timeout':
      throw failStep(expected, `no answer to ${step.action}Request within ${timeoutMs} ms${run.meanwhile(sentAt)}`);
    case 'closed':
      throw failStep(expected, `the connection closed before ${step.action}Request was answered${run.meanwhile(sentAt)}`);
    case 'error':
      if (step.error?.includes(outcome.errorCode)) return `CALLERROR ${outcome.errorCode}`;
      throw failStep(expected, `CALLERROR ${outcome.errorCode} "${outcome.errorDescription}"`);
    default:
      break;
  }
  // With a match as well, a CALLRESULT is the other accepted answer (1.6 TC_042_1_CS: -1 or NotSupported).
  if (step.error && step.match === undefined) throw failStep(expected, `${step.action}Response ${jsonText(outcome.payload)}`);
  if (outcome.problem) throw failStep(`a valid ${step.action}Response`, `${step.action}Response breaks its schema: ${outcome.problem.description} [${outcome.problem.finding.rule}]`);
  if (step.match !== undefined) {
    const pattern = run.render(step.match, scope);
    const mismatches = matchPayload(pattern, outcome.payload, run.matchOptions);
    if (mismatches.length > 0) {
      const details = mismatches.slice(0, 4).map((m) => `${m.path || '(payload)'}: expected ${m.expected}, got ${m.actual}`).join('; ');
      throw failStep(expected, `${step.action}Response ${jsonText(outcome.payload)} (${details})`);
    }
    run.relay.noteResponse(step.action, pattern, outcome.payload, outcome.messageId);
  }
  captureValues(step.capture, outcome.payload, run, scope, `${step.action}Response`);
  return `${step.action}Response ${preview(outcome.payload, 100)}`;
}

function expectedLine(step: SendStep, run: CaseRun, scope: StepScope): string[] {
  const errors = (step.error ?? []).map((code) => `CALLERROR ${code}`);
  if (step.match === undefined) return errors.length > 0 ? errors : [`a ${step.action}Response`];
  try {
    return [`${step.action}Response matching ${describePattern(run.render(step.match, scope))}`, ...errors];
  } catch (error) {
    throw errorStep(`${step.action}Response`, (error as Error).message);
  }
}
