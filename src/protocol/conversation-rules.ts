import { DEFAULT_CONVERSATION_MEMORY, setCapped } from './capped-map.js';
import { checkDatatypes } from './datatypes.js';
import { checkAnswerToFaultyCall, expectationOfBrokenFrame, expectationOfCall, type ErrorExpectation } from './error-expectations.js';
import type { Finding } from './findings.js';
import { UNREADABLE_MESSAGE_ID, answerIdOf, parseFrame } from './frame.js';
import type { SchemaRegistry } from './schemas.js';
import { StreamRules, type StreamRuleOptions } from './stream-rules.js';
import { oppositeOf, type Direction } from './versions.js';

/** One frame as a trace record describes it, after correlation (a response carries its CALL's action). */
export interface ObservedFrame {
  direction: Direction;
  messageType: string;
  messageId?: string;
  action?: string;
  payload?: unknown;
  raw?: string;
  errorCode?: string;
  /** Whether the payload met its schema, when the caller has validated it already. */
  schemaValid?: boolean;
  /** The Part 2 datatype findings of the payload, when the caller has checked it already (under the same action and kind). */
  datatypeFindings?: Finding[];
}

/**
 * The rules beyond framing, schema and correlation, applied the same way by a live session and by
 * the trace inspector: Part 2 §2.1.4 datatypes, the error code an answer to a faulty CALL must
 * carry (OCPP-J §4.3, §4.4), and the stream rules of the conversation. Fed every frame in order.
 */
export class ConversationRules {
  private readonly stream: StreamRules;
  /** Faulty CALLs awaiting their answer, keyed by direction and message id; the oldest go past the memory cap. */
  private readonly faultyCalls = new Map<string, ErrorExpectation>();

  constructor(private readonly registry: SchemaRegistry, options: StreamRuleOptions = {}) {
    this.stream = new StreamRules(registry.version, options);
  }

  /** The findings against the sender of one frame that arrived (or left) at `atMs`. */
  check(frame: ObservedFrame, atMs: number): Finding[] {
    const { direction, messageId = UNREADABLE_MESSAGE_ID, action } = frame;
    switch (frame.messageType) {
      case 'CALL': {
        if (action === undefined) return [];
        const expectation = expectationOfCall(this.registry, action, frame.payload, frame.schemaValid);
        if (expectation) setCapped(this.faultyCalls, `${direction}|${messageId}`, expectation, DEFAULT_CONVERSATION_MEMORY);
        if (expectation?.resultIsWrong) return [];
        return [...this.datatypes(frame, action, 'request'), ...this.stream.onCall(direction, action, frame.payload, messageId, atMs)];
      }
      case 'SEND':
        return action === undefined ? [] : this.datatypes(frame, action, 'request');
      case 'CALLRESULT': {
        const findings = this.answerFindings(direction, messageId, undefined);
        if (action !== undefined) findings.push(...this.datatypes(frame, action, 'response'));
        findings.push(...this.stream.onResult(direction, action, frame.payload, messageId, atMs));
        return findings;
      }
      case 'CALLERROR':
        this.stream.onError(direction, messageId, atMs);
        return this.answerFindings(direction, messageId, frame.errorCode ?? '');
      case 'INVALID':
        this.noteBrokenCall(frame);
        return [];
      default:
        return [];
    }
  }

  private datatypes(frame: ObservedFrame, action: string, kind: 'request' | 'response'): Finding[] {
    if (frame.datatypeFindings) return frame.datatypeFindings;
    return checkDatatypes(this.registry, {
      action, kind, direction: frame.direction, payload: frame.payload,
      ...(frame.raw !== undefined ? { raw: frame.raw } : {}), ...(frame.messageId !== undefined ? { messageId: frame.messageId } : {}),
    });
  }

  private answerFindings(direction: Direction, messageId: string, errorCode: string | undefined): Finding[] {
    const key = `${oppositeOf(direction)}|${messageId}`;
    const expectation = this.faultyCalls.get(key);
    if (!expectation) return [];
    this.faultyCalls.delete(key);
    return checkAnswerToFaultyCall(this.registry.version, expectation, errorCode, messageId);
  }

  private noteBrokenCall(frame: ObservedFrame): void {
    if (frame.raw === undefined) return;
    const parsed = parseFrame(frame.raw, this.registry.version);
    if (parsed.ok) return;
    const expectation = expectationOfBrokenFrame(this.registry.version, parsed.problem);
    if (expectation) setCapped(this.faultyCalls, `${frame.direction}|${answerIdOf(parsed.problem)}`, expectation, DEFAULT_CONVERSATION_MEMORY);
  }
}
