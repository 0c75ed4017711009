import { describe, expect, it } from 'vitest';
import type { FaultyCall } from '../session/index.js';
import { parseFault } from './faults.js';
import { faultyCallPolicy } from './rpc-faults.js';

const policy = (name: string) => faultyCallPolicy([parseFault(`behaviour:${name}`)])!;
const notJson: FaultyCall = { frame: 'broken', errorCode: 'RpcFrameworkError', owed: true, messageId: '-1', description: 'message is not valid JSON' };
const longId: FaultyCall = { ...notJson, readId: 'x'.repeat(38), description: 'message id too long' };
const unknownAction: FaultyCall = { frame: 'call', errorCode: 'NotImplemented', owed: true, messageId: 'a1', readId: 'a1', action: 'Nope', description: 'unknown' };
const missingField: FaultyCall = { frame: 'call', errorCode: 'OccurrenceConstraintViolation', owed: true, messageId: 'a2', readId: 'a2', action: 'DataTransfer', description: 'required' };
const unknownType = (owed: boolean): FaultyCall => ({ frame: 'broken', errorCode: 'MessageTypeNotSupported', owed, messageId: 't1', readId: 't1', description: 'type 7' });

// Issue 14: each RPC fault breaks one rule of how a faulty frame is answered, and leaves the rest to the rule.
describe('the RPC behaviour faults', () => {
  it('are absent without one, and leave what they do not concern to the rule (undefined)', () => {
    expect(faultyCallPolicy([parseFault('behaviour:no-reconnect'), parseFault('skip:Heartbeat')])).toBeUndefined();
    expect(policy('rpc-answer-unknown-message-type')(notJson, '1.6')).toMatchObject({ answer: 'callerror', errorCode: 'FormationViolation', messageId: '-1' });
  });

  it('close the connection, answer GenericError, or NotSupported for an unknown action', () => {
    expect(policy('rpc-close-on-invalid')(unknownType(false), '1.6')).toEqual({ answer: 'close' });
    expect(policy('rpc-generic-error')(missingField, '2.0.1')).toEqual({ answer: 'callerror', errorCode: 'GenericError', messageId: 'a2' });
    expect(policy('rpc-not-supported-for-unknown-action')(unknownAction, '1.6')).toEqual({ answer: 'callerror', errorCode: 'NotSupported', messageId: 'a1' });
  });

  it('echo an unusable id, or make one up when none could be read', () => {
    expect(policy('rpc-echo-unusable-id')(longId, '2.0.1')).toMatchObject({ messageId: 'x'.repeat(38) });
    const madeUp = policy('rpc-echo-unusable-id')(notJson, '2.0.1');
    expect(madeUp).toMatchObject({ answer: 'callerror', messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('swap the unknown-message-type rules of 2.0.1 and 1.6, spell 1.6 codes as 2.0.1, and process invalid payloads', () => {
    expect(policy('rpc-ignore-unknown-message-type')(unknownType(true), '2.0.1')).toEqual({ answer: 'none' });
    expect(policy('rpc-answer-unknown-message-type')(unknownType(false), '1.6')).toEqual({ answer: 'callerror', errorCode: 'NotSupported', messageId: 't1' });
    expect(policy('rpc-2.0.1-error-names')(missingField, '1.6')).toMatchObject({ errorCode: 'OccurrenceConstraintViolation' });
    expect(policy('rpc-payload-not-checked')(missingField, '2.0.1')).toEqual({ answer: 'process' });
    expect(policy('rpc-payload-not-checked')(unknownAction, '2.0.1')).toMatchObject({ answer: 'callerror', errorCode: 'NotImplemented' });
  });
});
