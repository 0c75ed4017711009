import { answerOwedTo, directionFrom, schemasOf, type OwedAnswer } from '../../protocol/index.js';
import { waitForRecord, type Session, type TraceRecord } from '../../session/index.js';
import { text, type Step } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { errorStep, failStep, jsonText } from '../step-stop.js';
import { perItem, type StepKind } from './step-kind.js';

/**
 * Send a frame that is invalid on purpose, and judge the SUT's answer (issue 14's negative
 * tests). The harness never sends an invalid frame anywhere else: this kind is the one way, its
 * frame must break an OCPP-J rule, and its record is marked `deliberate` in the trace.
 */
export interface SendInvalidStep extends Step {
  kind: 'sendInvalid';
  /** The frame, as raw text (templates rendered), sent exactly so. */
  frame: string;
}

export const sendInvalidKind: StepKind<SendInvalidStep> = {
  name: 'sendInvalid',
  summary: 'Send a frame that is invalid on purpose (a negative test) and check that the SUT answers it as OCPP-J says and keeps the connection.',
  fields: {
    sendInvalid: text(
      'The frame to send, as raw text (templates allowed), e.g. \'[2,"{{uuid}}","NoSuchAction",{}]\'. It must break an OCPP-J rule: '
      + 'the answer it is owed (CALLERROR code and message id, or none) follows from the rule it breaks, for the case\'s OCPP version.',
    ),
  },
  timeout: 'messageMs',
  normalise: (raw, common) => ({ ...common, kind: 'sendInvalid', frame: String(raw['sendInvalid']) }),
  check: (raw, path, check) => check.templates(raw['sendInvalid'], [...path, 'sendInvalid']),
  describe: (step) => `send the invalid frame ${cut(step.frame, 70)}`,
  run: perItem(runSendInvalid),
};

/** Sends the frame on the current connection, then waits for the answer it is owed, if any. */
async function runSendInvalid(step: SendInvalidStep, run: CaseRun, scope: StepScope, timeoutMs: number): Promise<string> {
  const session = await run.env.link.waitForSession(run.env.config.timeouts.connectMs);
  if (run.pendingStop) throw run.pendingStop;
  if (!session) throw failStep('a connection from the SUT to send the invalid frame on', `no connection within ${run.env.config.timeouts.connectMs} ms`);
  const frame = String(run.render(step.frame, scope));
  const owed = answerOwedTo(schemasOf(run.testCase.ocpp), frame);
  if (!owed) throw errorStep('a frame that breaks an OCPP-J rule (sendInvalid sends nothing else)', `${cut(frame, 100)} is a valid frame, or no CALL: use send`);
  const sut = directionFrom(run.testCase.sut);
  // Listening before the frame leaves: the answer cannot be missed.
  const answer = owed.owed ? waitForRecord(session, (record) => record.direction === sut && isResponse(record), timeoutMs) : Promise.resolve(undefined);
  run.judged([session.sendRaw(frame, { deliberate: true })]);
  const sentAt = performance.now();
  const received = await answer;
  if (run.pendingStop) throw run.pendingStop;
  if (received) run.judged([received]);
  const expected = expectedLine(owed);
  if (owed.owed) judgeAnswer(owed, received, expected, session, timeoutMs, run.meanwhile(sentAt));
  if (!session.isOpen) throw failStep(expected, `the SUT closed the connection${received ? ' after answering' : ''}`);
  return owed.owed ? `CALLERROR ${received!.error!.code} with message id "${received!.messageId}" (${owed.fault})` : `no answer owed (${owed.fault})`;
}

function isResponse(record: TraceRecord): boolean {
  return record.messageType === 'CALLRESULT' || record.messageType === 'CALLERROR' || record.messageType === 'INVALID';
}

/** The answer must be a CALLERROR with one of the rule's codes, carrying the rule's message id. */
function judgeAnswer(owed: OwedAnswer, received: TraceRecord | undefined, expected: string, session: Session, timeoutMs: number, meanwhile: string): void {
  if (!received) {
    throw failStep(expected, session.isOpen ? `no answer within ${timeoutMs} ms${meanwhile}` : 'the SUT closed the connection instead of answering');
  }
  if (received.messageType === 'INVALID') throw failStep(expected, `an invalid frame: ${cut(received.raw ?? '', 120)}`);
  if (received.messageType === 'CALLRESULT') throw failStep(expected, `CALLRESULT ${jsonText(received.payload)}: the SUT processed the invalid CALL`);
  const code = received.error?.code ?? '';
  if (received.messageId !== owed.messageId) throw failStep(expected, `CALLERROR ${code} with message id "${received.messageId}"`);
  if (!owed.codes.includes(code)) throw failStep(expected, `CALLERROR ${code} "${received.error?.description ?? ''}"`);
}

function expectedLine(owed: OwedAnswer): string {
  const kept = 'the connection kept open';
  if (!owed.owed) return `no answer to a frame the version ignores (${owed.fault}), ${kept}`;
  return `CALLERROR ${owed.codes.join(' or ')} with message id "${owed.messageId}" (${owed.fault}), ${kept}`;
}

/** A frame as text for a report line, cut to `max` characters: frames may be long, or not JSON at all. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
