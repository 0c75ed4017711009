import type { FindingCode } from './findings.js';
import { MessageType, isMessageTypeOf } from './message-type.js';
import { MAX_PAYLOAD_DEPTH, isNestedDeeperThan, tooDeepDescription } from './nesting.js';
import type { RpcErrorCode } from './rpc-errors.js';
import type { OcppVersion } from './versions.js';

/** A JSON object payload. */
export type Payload = Record<string, unknown>;

/** A request: `[2, id, action, payload]`. */
export interface CallFrame { type: typeof MessageType.Call; messageId: string; action: string; payload: Payload }
/** A response: `[3, id, payload]`. */
export interface CallResultFrame { type: typeof MessageType.CallResult; messageId: string; payload: Payload }
/** An error response: `[4 or 5, id, errorCode, errorDescription, errorDetails]`. */
export interface CallErrorFrame {
  type: typeof MessageType.CallError | typeof MessageType.CallResultError;
  messageId: string;
  errorCode: string;
  errorDescription: string;
  errorDetails: Payload;
}
/** An unconfirmed message (OCPP 2.1): `[6, id, action, payload]`. */
export interface SendFrame { type: typeof MessageType.Send; messageId: string; action: string; payload: Payload }

/** One parsed OCPP-J message. */
export type Frame = CallFrame | CallResultFrame | CallErrorFrame | SendFrame;

/** Why a text is not a valid OCPP-J message, and how the receiver should answer it. */
export interface FrameProblem {
  /** The error code to answer with, under its 2.0.1 name (see `wireErrorCode`). */
  errorCode: RpcErrorCode;
  /** The exact check that failed, e.g. "message id must be a string". */
  description: string;
  /** The message type number, when it could be read. */
  messageType?: number;
  /** The message id when it could be read; a reply then uses it, else "-1" (OCPP-J 2.0.1 §4.2.3). */
  messageId?: string;
  /** The action, when the frame is a CALL or SEND whose action could be read. */
  action?: string;
  /** `callerror`: answer with a CALLERROR; `ignore`: a response or unknown type is never answered. */
  reply: 'callerror' | 'ignore';
  /**
   * The frame as it reads when its only fault is a message id of the wrong length: it can still be
   * correlated and judged, and its id reported by name (issue 13: invalid ids are correlated).
   */
  frame?: Frame;
  /** The finding that names the fault, when the description alone does not tell it (see findingOfFrameProblem). */
  findingCode?: FindingCode;
}

/** The outcome of parsing one WebSocket text message. */
export type ParseResult = { ok: true; frame: Frame } | { ok: false; problem: FrameProblem };

/** OCPP-J 2.0.1 §4.1.4: message ids are strings of at most 36 characters. */
export const MAX_MESSAGE_ID_LENGTH = 36;

/** OCPP-J §4.1.4: a message id is a string of 1 to 36 characters. */
export function isValidMessageId(messageId: string): boolean {
  return messageId.length > 0 && messageId.length <= MAX_MESSAGE_ID_LENGTH;
}

/** The message id to use in a CALLERROR when the offending frame's id could not be read. */
export const UNREADABLE_MESSAGE_ID = '-1';

/**
 * The message id a CALLERROR to a broken frame carries: the frame's own, or "-1" when it could not
 * be read (OCPP-J 2.0.1 §4.2.3) or is no valid id (empty, over 36 characters): echoing it would make
 * the answer an invalid frame too (issue 13).
 */
export function answerIdOf(problem: FrameProblem): string {
  return problem.messageId !== undefined && isValidMessageId(problem.messageId) ? problem.messageId : UNREADABLE_MESSAGE_ID;
}

const EXPECTED_LENGTH: Record<MessageType, number> = { 2: 4, 3: 3, 4: 5, 5: 5, 6: 4 };

function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one WebSocket text message as an OCPP-J frame of the given version. It checks one
 * question at a time (JSON? array? known type? readable id? right shape?) so the problem names
 * the exact check that failed. Action names and payloads are checked by the schema registry.
 */
export function parseFrame(text: string, version: OcppVersion): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return problem('RpcFrameworkError', `message is not valid JSON${numberHint(text)}`, 'callerror');
  }
  return parseFrameValue(value, version);
}

/**
 * Judges a message already parsed from JSON as an OCPP-J frame of the given version, as
 * parseFrame does (the trace inspector has the parsed frame from a record's own fields).
 */
export function parseFrameValue(value: unknown, version: OcppVersion): ParseResult {
  if (!Array.isArray(value)) return problem('RpcFrameworkError', 'message is not a JSON array', 'callerror');
  // The frame array is one level above its payload. Checked first: every later walk may recurse.
  if (isNestedDeeperThan(value, MAX_PAYLOAD_DEPTH + 1)) return tooDeep(version, value);
  const [type, messageId] = value as unknown[];
  if (typeof type !== 'number' || !Number.isInteger(type)) {
    return problem('RpcFrameworkError', 'message type must be an integer', 'callerror', readableId(messageId));
  }
  if (!isMessageTypeOf(version, type)) return unknownType(version, type, messageId);
  const reply = type === MessageType.Call ? 'callerror' : 'ignore';
  if (typeof messageId !== 'string') {
    return { ok: false, problem: { errorCode: 'RpcFrameworkError', description: 'message id must be a string', messageType: type, reply } };
  }
  if (!isValidMessageId(messageId)) {
    const description = `message id ${quoteId(messageId)} must have 1 to ${MAX_MESSAGE_ID_LENGTH} characters, has ${messageId.length}`;
    const shaped = parseShape(value, type, messageId);
    return { ok: false, problem: { errorCode: 'RpcFrameworkError', description, messageType: type, messageId, reply, ...(shaped.ok ? { frame: shaped.frame } : {}) } };
  }
  return parseShape(value, type, messageId);
}

function parseShape(value: unknown[], type: MessageType, messageId: string): ParseResult {
  const expectedLength = EXPECTED_LENGTH[type];
  if (value.length !== expectedLength) {
    const description = `a message of type ${type} has ${expectedLength} elements, this one has ${value.length}`;
    const reply = type === MessageType.Call ? 'callerror' : 'ignore';
    return { ok: false, problem: { errorCode: 'RpcFrameworkError', description, messageType: type, messageId, reply } };
  }
  return type === MessageType.Call || type === MessageType.Send ? parseRequest(value, type, messageId) : parseResponse(value, type, messageId);
}

// Names a bad id in the problem; a huge one is cut so the description stays one readable line.
function quoteId(messageId: string): string {
  return JSON.stringify(messageId.length > 60 ? `${messageId.slice(0, 57)}...` : messageId);
}

function parseRequest(value: unknown[], type: 2 | 6, messageId: string): ParseResult {
  const [, , action, payload] = value;
  const reply = type === MessageType.Call ? 'callerror' : 'ignore';
  if (typeof action !== 'string' || action.length === 0) {
    return { ok: false, problem: { errorCode: 'RpcFrameworkError', description: 'action must be a non-empty string', messageType: type, messageId, reply } };
  }
  if (!isPayload(payload)) {
    return { ok: false, problem: { errorCode: 'FormatViolation', description: 'payload must be a JSON object', messageType: type, messageId, action, reply } };
  }
  return { ok: true, frame: { type, messageId, action, payload } };
}

function parseResponse(value: unknown[], type: 3 | 4 | 5, messageId: string): ParseResult {
  if (type === MessageType.CallResult) {
    const payload = value[2];
    if (!isPayload(payload)) {
      return { ok: false, problem: { errorCode: 'FormatViolation', description: 'payload must be a JSON object', messageType: type, messageId, reply: 'ignore' } };
    }
    return { ok: true, frame: { type, messageId, payload } };
  }
  const [, , errorCode, errorDescription, errorDetails] = value;
  const broken = checkErrorShape(errorCode, errorDescription, errorDetails);
  if (broken) return { ok: false, problem: { errorCode: 'RpcFrameworkError', description: broken, messageType: type, messageId, reply: 'ignore' } };
  return {
    ok: true,
    frame: { type, messageId, errorCode: errorCode as string, errorDescription: errorDescription as string, errorDetails: errorDetails as Payload },
  };
}

// OCPP-J 2.0.1 §4.2.3 Table 7: errorCode string, errorDescription string[255], errorDetails object.
function checkErrorShape(code: unknown, description: unknown, details: unknown): string | undefined {
  if (typeof code !== 'string') return 'error code must be a string';
  if (typeof description !== 'string') return 'error description must be a string';
  if (!isPayload(details)) return 'error details must be a JSON object ({} when there are none)';
  return undefined;
}

/**
 * A frame whose payload nests past MAX_PAYLOAD_DEPTH: answered like a payload that is not
 * syntactically right (FormatViolation, OCPP-J 2.0.1 §4.3; FormationViolation in 1.6), with its
 * id when it reads as a CALL with a readable id.
 */
function tooDeep(version: OcppVersion, value: unknown[]): ParseResult {
  const [type, messageId, action] = value;
  const known = typeof type === 'number' && Number.isInteger(type) && isMessageTypeOf(version, type) ? type : undefined;
  const reply = known === undefined || known === MessageType.Call ? 'callerror' : 'ignore';
  const found: FrameProblem = { errorCode: 'FormatViolation', description: tooDeepDescription('payload'), reply, findingCode: 'nesting-too-deep' };
  if (known !== undefined) found.messageType = known;
  const id = readableId(messageId);
  if (id !== undefined) found.messageId = id;
  if ((known === MessageType.Call || known === MessageType.Send) && typeof action === 'string' && action.length > 0) found.action = action;
  return { ok: false, problem: found };
}

function unknownType(version: OcppVersion, type: number, messageId: unknown): ParseResult {
  const description = `message type ${type} is not defined in OCPP ${version}`;
  // OCPP-J 1.6 §4.1.3: ignore the payload. OCPP-J 2.0.1 §4.4: answer MessageTypeNotSupported.
  const reply = version === '1.6' ? 'ignore' : 'callerror';
  return problem('MessageTypeNotSupported', description, reply, readableId(messageId), type);
}

// JSON has no leading zeros nor plus signs, and neither has an OCPP integer (Part 2 §2.1.4): name it.
function numberHint(text: string): string {
  const match = /[:,[]\s*(\+\d+|-?0\d+)/.exec(text);
  return match ? ` (the number ${match[1]} has a ${match[1]!.startsWith('+') ? 'plus sign' : 'leading zero'})` : '';
}

function readableId(messageId: unknown): string | undefined {
  return typeof messageId === 'string' && isValidMessageId(messageId) ? messageId : undefined;
}

function problem(errorCode: RpcErrorCode, description: string, reply: FrameProblem['reply'], messageId?: string, messageType?: number): ParseResult {
  const found: FrameProblem = { errorCode, description, reply };
  if (messageId !== undefined) found.messageId = messageId;
  if (messageType !== undefined) found.messageType = messageType;
  return { ok: false, problem: found };
}

/** Serializes a frame to the JSON text sent on the wire. */
export function serializeFrame(frame: Frame): string {
  // Built from parts rather than by stringifying an array: this runs for every frame we send.
  const head = `[${frame.type},${JSON.stringify(frame.messageId)},`;
  switch (frame.type) {
    case MessageType.Call:
    case MessageType.Send:
      return `${head}${JSON.stringify(frame.action)},${JSON.stringify(frame.payload)}]`;
    case MessageType.CallResult:
      return `${head}${JSON.stringify(frame.payload)}]`;
    default:
      return `${head}${JSON.stringify(frame.errorCode)},${JSON.stringify(frame.errorDescription)},${JSON.stringify(frame.errorDetails)}]`;
  }
}
