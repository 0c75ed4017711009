import { randomUUID } from 'node:crypto';
import { UNREADABLE_MESSAGE_ID, wireErrorCode } from '../protocol/index.js';
import type { FaultyCall, FaultyCallAnswer, FaultyCallPolicy } from '../session/index.js';
import { behaviours, type Fault } from './faults.js';

/**
 * The behaviour faults both references act out on frames they cannot process (issue 14): each
 * breaks one OCPP-J rule on how such a frame is answered, so the OH_RPC negative tests can be
 * proven to fail. Without one, the session answers by the rule.
 */
export const RPC_BEHAVIOUR_FAULTS = {
  'behaviour:rpc-close-on-invalid': 'closes the connection instead of answering a frame it cannot process (not JSON, no array, unknown action or message type, invalid payload, over-long id), also one the version ignores (breaks OCPP-J 2.0.1 §4.1.7, 1.6 §4.2.3: answer with a CALLERROR, keep the connection)',
  'behaviour:rpc-generic-error': 'answers every frame it cannot process with CALLERROR GenericError instead of the code the fault calls for (breaks OCPP-J 2.0.1 §4.3, §4.4; 1.6 §4.2.3)',
  'behaviour:rpc-not-supported-for-unknown-action': 'answers a CALL of an action it does not know with NotSupported ("known but not supported") instead of NotImplemented (breaks OCPP-J 2.0.1 §4.3; 1.6 §4.2.3)',
  'behaviour:rpc-echo-unusable-id': 'answers a frame whose message id it cannot use with the id as it read it (an over-long one echoed) or, when it read none, with an id of its own, instead of "-1" (breaks OCPP-J 2.0.1 §4.2.3, §4.1.4)',
  'behaviour:rpc-ignore-unknown-message-type': 'ignores a frame of an unknown message type instead of answering CALLERROR MessageTypeNotSupported (breaks OCPP-J 2.0.1 §4.4)',
  'behaviour:rpc-answer-unknown-message-type': 'answers a frame of an unknown message type with CALLERROR NotSupported, where OCPP 1.6 ignores it (breaks OCPP-J 1.6 §4.1.3)',
  'behaviour:rpc-2.0.1-error-names': 'spells its error codes as OCPP 2.0.1 does (FormatViolation, OccurrenceConstraintViolation, RpcFrameworkError) also in OCPP 1.6, whose wire values are FormationViolation and OccurenceConstraintViolation (breaks OCPP-J 1.6 §4.2.3 and its errata §5.1, §5.2)',
  'behaviour:rpc-payload-not-checked': 'processes a CALL whose payload breaks its schema (a missing required field, a wrong type) as if it were valid, instead of answering a CALLERROR (breaks OCPP-J 2.0.1 §4.1.7; 1.6 §4.2.3)',
} as const satisfies Record<string, string>;

type RpcBehaviour = keyof typeof RPC_BEHAVIOUR_FAULTS extends `behaviour:${infer Name}` ? Name : never;

/** True for a behaviour name (without prefix) of the RPC faults, which both references know. */
export function isRpcBehaviour(name: string): boolean {
  return Object.hasOwn(RPC_BEHAVIOUR_FAULTS, `behaviour:${name}`);
}

/** The session policy for faulty frames under the RPC faults in the list; undefined without any. */
export function faultyCallPolicy(faults: readonly Fault[]): FaultyCallPolicy | undefined {
  const names = behaviours(faults);
  const on = (name: RpcBehaviour) => names.has(name);
  if (![...names].some(isRpcBehaviour)) return undefined;
  return (call, version): FaultyCallAnswer | undefined => {
    if (on('rpc-close-on-invalid')) return { answer: 'close' };
    if (!call.owed) {
      const unknownType = call.errorCode === 'MessageTypeNotSupported' && call.readId !== undefined;
      return on('rpc-answer-unknown-message-type') && unknownType ? { answer: 'callerror', errorCode: 'NotSupported', messageId: call.readId! } : undefined;
    }
    if (on('rpc-ignore-unknown-message-type') && call.errorCode === 'MessageTypeNotSupported') return { answer: 'none' };
    if (on('rpc-payload-not-checked') && call.frame === 'call' && call.errorCode !== 'NotImplemented') return { answer: 'process' };
    return { answer: 'callerror', errorCode: faultyCode(call, version, on), messageId: faultyId(call, on) };
  };
}

function faultyCode(call: FaultyCall, version: Parameters<FaultyCallPolicy>[1], on: (name: RpcBehaviour) => boolean): string {
  if (on('rpc-generic-error')) return 'GenericError';
  if (on('rpc-not-supported-for-unknown-action') && call.errorCode === 'NotImplemented') return wireErrorCode(version, 'NotSupported');
  if (on('rpc-2.0.1-error-names')) return call.errorCode;
  return wireErrorCode(version, call.errorCode);
}

function faultyId(call: FaultyCall, on: (name: RpcBehaviour) => boolean): string {
  if (!on('rpc-echo-unusable-id') || call.messageId !== UNREADABLE_MESSAGE_ID) return call.messageId;
  return call.readId ?? randomUUID();
}
