import type { HarnessConfig } from '../config/index.js';
import { defaultReply, describeViolations, schemasOf, type OcppVersion, type Payload } from '../protocol/index.js';
import type { CallReply } from '../session/index.js';
import type { MessageExpectation } from '../testcase/index.js';
import type { AnsweredWith, PendingCall } from './sut-link.js';

/** What the harness needs to choose a reply outside any step's own answer. */
export interface ReplyBasis {
  version: OcppVersion;
  config: HarnessConfig;
  /** The configured background replies of the version, per action (templates allowed). */
  backgroundReplies: Record<string, unknown>;
  /** Renders the templates of a reply (a case's scope, or the configuration alone between cases). */
  render: (template: unknown) => unknown;
  clock: () => Date;
}

/** A reply the case or the configuration gave that its schema rejects: a case or config bug, never sent. */
export interface InvalidReply {
  action: string;
  source: 'case' | 'background';
  /** A template that could not be rendered (it names a value not captured yet), or a schema that rejects the payload. */
  kind: 'template' | 'schema';
  problem: string;
}

/**
 * Answers a CALL from the SUT, in this order of precedence: the expectation's own answer (reply,
 * CALLERROR or silence), the configured background reply of the action, the default reply of the
 * protocol layer. Issue 11: no reply leaves unless its response schema accepts it; an invalid
 * case or background reply is replaced by the default reply and reported. Returns that report.
 */
export function answerCall(pending: PendingCall, expectation: MessageExpectation | undefined, renderCase: (template: unknown) => unknown, basis: ReplyBasis): InvalidReply | undefined {
  if (pending.answered) return undefined;
  const { action } = pending.call;
  if (expectation?.noReply) return respond(pending, { noReply: true }, 'silence');
  if (expectation?.replyError) return respond(pending, { error: expectation.replyError.code, description: expectation.replyError.description ?? '' }, 'case');
  if (expectation?.reply !== undefined) return respondChecked(pending, () => renderCase(expectation.reply), 'case', basis);
  const background = basis.backgroundReplies[action];
  if (background !== undefined) return respondChecked(pending, () => basis.render(background), 'background', basis);
  respond(pending, { payload: fallbackReply(pending, basis) }, 'default');
  return undefined;
}

/** Answers with the configured background reply, else the default reply (a CALL no step may take). */
export function answerAsBackground(pending: PendingCall, basis: ReplyBasis): InvalidReply | undefined {
  return answerCall(pending, undefined, basis.render, basis);
}

/** How a kept CALL was answered, for "meanwhile" and "received instead" lines. */
export function describeAnswer(pending: PendingCall): string {
  switch (pending.answeredWith) {
    case 'case': return 'answered per the case';
    case 'silence': return 'left unanswered, as the case says';
    case 'background': return 'answered with the configured background reply';
    case 'default': return 'answered with the default reply';
    default: return 'not answered yet';
  }
}

function respondChecked(pending: PendingCall, render: () => unknown, source: 'case' | 'background', basis: ReplyBasis): InvalidReply | undefined {
  const { action } = pending.call;
  let payload: Payload;
  try {
    payload = render() as Payload;
  } catch (error) {
    respond(pending, { payload: fallbackReply(pending, basis) }, 'default');
    return { action, source, kind: 'template', problem: (error as Error).message };
  }
  const violations = schemasOf(basis.version).validate(action, 'response', payload);
  if (!violations) return respond(pending, { payload }, source);
  respond(pending, { payload: fallbackReply(pending, basis) }, 'default');
  return { action, source, kind: 'schema', problem: describeViolations(violations) };
}

function respond(pending: PendingCall, reply: CallReply, answeredWith: AnsweredWith): undefined {
  pending.answeredWith = answeredWith;
  pending.respond(reply);
  return undefined;
}

// OCPP 1.6 StartTransaction needs a transaction id from the CSMS: each default answer hands out a
// fresh one, starting from the clock so that ids of consecutive runs differ too.
let nextTransactionId = Math.floor(Date.now() / 1000) % 1_000_000_000;

function fallbackReply(pending: PendingCall, basis: ReplyBasis): Payload {
  const { action, payload } = pending.call;
  const context = { now: basis.clock(), heartbeatIntervalS: basis.config.timing.heartbeatIntervalS, request: payload, ...(action === 'StartTransaction' ? { transactionId: nextTransactionId++ } : {}) };
  // The session refuses actions the version lacks before they reach the runner; {} is unreachable.
  return defaultReply(basis.version, action, context) ?? {};
}
