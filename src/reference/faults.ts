import { isDeepStrictEqual } from 'node:util';
import { MessageType, type Frame, type Payload } from '../protocol/index.js';
import type { OutgoingInterceptor, OutgoingVerdict } from '../session/index.js';

/**
 * One injected fault: a precise way for a reference implementation to break the specification.
 * Written as text in test cases (`mustFailWith`) and on the command line:
 *
 *   skip:Action             never send our CALLs (or SENDs) of Action
 *   noreply:Action          never answer the peer's CALLs of Action
 *   omit:Action.path        remove a field from our outgoing Action payload (request or response);
 *                           a path segment * stands for every element (omit:A.list.*.field)
 *   set:Action.path=JSON    set a field in our outgoing Action payload
 *   replace:Action.path=A>B where a field of our Action payload is A, send B instead (A, B: JSON)
 *   error:Action=Code       answer the peer's Action with a CALLERROR Code
 *   delay:Action=ms         send our Action frames late
 *   drop:Action             drop the connection instead of sending our Action frame
 *   dup-id:Action           our CALL of Action reuses the message id of our previous CALL
 *   wrong-id:Action         our answer to Action carries another message id
 *   behaviour:name          a behaviour fault the reference implements itself (see its catalogue)
 */
export type Fault =
  | { kind: 'skip' | 'noreply' | 'drop' | 'dup-id' | 'wrong-id'; action: string; text: string }
  | { kind: 'omit'; action: string; path: string[]; text: string }
  | { kind: 'set'; action: string; path: string[]; value: unknown; text: string }
  | { kind: 'replace'; action: string; path: string[]; from: unknown; value: unknown; text: string }
  | { kind: 'error'; action: string; code: string; text: string }
  | { kind: 'delay'; action: string; ms: number; text: string }
  | { kind: 'behaviour'; name: string; text: string };

/** A fault text that does not follow the grammar. */
export class FaultSyntaxError extends Error {
  readonly code = 'OH_FAULT_INVALID';
  constructor(text: string, reason: string) {
    super(`fault "${text}": ${reason}; faults look like skip:Action, omit:Action.path, set:Action.path=JSON, replace:Action.path=JSON>JSON, error:Action=Code, delay:Action=ms, noreply:Action, drop:Action, dup-id:Action, wrong-id:Action, behaviour:name`);
    this.name = 'FaultSyntaxError';
  }
}

const SIMPLE = new Set(['skip', 'noreply', 'drop', 'dup-id', 'wrong-id']);

/** Parses one fault text. */
export function parseFault(text: string): Fault {
  const colon = text.indexOf(':');
  if (colon < 0) throw new FaultSyntaxError(text, 'missing "kind:"');
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (!rest) throw new FaultSyntaxError(text, 'nothing after the kind');
  if (kind === 'behaviour') return { kind, name: rest, text };
  if (SIMPLE.has(kind)) return { kind: kind as 'skip', action: rest, text };
  const [target = '', value] = splitOnce(rest, '=');
  const [action = '', ...path] = target.split('.');
  if (kind === 'omit' || kind === 'set' || kind === 'replace') {
    if (path.length === 0) throw new FaultSyntaxError(text, `${kind} needs a field path after the action`);
    if (kind === 'omit') return { kind, action, path, text };
    if (value === undefined) throw new FaultSyntaxError(text, `${kind} needs =JSON`);
    if (kind === 'set') return { kind, action, path, value: parseJson(text, value), text };
    const [from, to] = splitOnce(value, '>');
    if (to === undefined) throw new FaultSyntaxError(text, 'replace needs =JSON>JSON (the value to replace, and what replaces it)');
    return { kind, action, path, from: parseJson(text, from), value: parseJson(text, to), text };
  }
  if (kind === 'error' && value) return { kind, action, code: value, text };
  if (kind === 'delay' && value && Number(value) > 0) return { kind, action, ms: Number(value), text };
  throw new FaultSyntaxError(text, `unknown or incomplete kind "${kind}"`);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseJson(text: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    // A bare word is a string: set:Reset.status=Rejected
    if (/^[\w.-]+$/.test(value)) return value;
    throw new FaultSyntaxError(text, `the value ${value} is not JSON`);
  }
}

/** The behaviour faults in a list, by name. */
export function behaviours(faults: readonly Fault[]): Set<string> {
  return new Set(faults.flatMap((fault) => (fault.kind === 'behaviour' ? [fault.name] : [])));
}

/** A session interceptor that applies the message faults (all but `behaviour`). */
export function faultInterceptor(faults: readonly Fault[]): OutgoingInterceptor | undefined {
  const active = faults.filter((fault) => fault.kind !== 'behaviour');
  if (active.length === 0) return undefined;
  let previousCallId: string | undefined;
  return (frame, action) => {
    let verdict: OutgoingVerdict = { send: frame };
    for (const fault of active) {
      if (!('send' in verdict) || !('action' in fault) || fault.action !== action) continue;
      verdict = applyFault(fault, verdict.send, verdict.delayMs, previousCallId);
    }
    if (frame.type === MessageType.Call) previousCallId = frame.messageId;
    return verdict;
  };
}

function applyFault(fault: Exclude<Fault, { kind: 'behaviour' }>, frame: Frame, delayMs: number | undefined, previousCallId: string | undefined): OutgoingVerdict {
  const ours = frame.type === MessageType.Call || frame.type === MessageType.Send;
  const keep = (send: Frame): OutgoingVerdict => (delayMs ? { send, delayMs } : { send });
  switch (fault.kind) {
    case 'skip': return ours ? { drop: true } : keep(frame);
    case 'noreply': return ours ? keep(frame) : { drop: true };
    case 'drop': return { close: true };
    case 'delay': return { send: frame, delayMs: fault.ms };
    case 'dup-id': return frame.type === MessageType.Call && previousCallId ? keep({ ...frame, messageId: previousCallId }) : keep(frame);
    case 'wrong-id': return ours ? keep(frame) : keep({ ...frame, messageId: `${frame.messageId.slice(0, 30)}-wrong` });
    case 'error':
      if (ours) return keep(frame);
      return keep({ type: MessageType.CallError, messageId: frame.messageId, errorCode: fault.code, errorDescription: 'injected fault', errorDetails: {} });
    default:
      if (!('payload' in frame)) return keep(frame);
      return keep({ ...frame, payload: editPayload(frame.payload, fault) } as Frame);
  }
}

function editPayload(payload: Payload, fault: Extract<Fault, { kind: 'omit' | 'set' | 'replace' }>): Payload {
  const copy = structuredClone(payload) as Record<string, unknown>;
  editAt(copy, fault.path, fault);
  return copy;
}

/** Edits the field at `path` under `node`; a `*` segment stands for every element of an array or object. */
function editAt(node: unknown, path: readonly string[], fault: Extract<Fault, { kind: 'omit' | 'set' | 'replace' }>): void {
  if (typeof node !== 'object' || node === null) return;
  const container = node as Record<string, unknown>;
  const [key, ...rest] = path as [string, ...string[]];
  for (const name of key === '*' ? Object.keys(container) : [key]) {
    if (rest.length > 0) {
      if (fault.kind === 'set' && key !== '*' && (container[name] === undefined || container[name] === null)) container[name] = {};
      editAt(container[name], rest, fault);
    } else if (fault.kind === 'omit') delete container[name];
    else if (fault.kind === 'set' || isDeepStrictEqual(container[name], fault.from)) container[name] = fault.value;
  }
}
