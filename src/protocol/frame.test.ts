import { describe, expect, it } from 'vitest';
import { MessageType, isAnswerOwed, parseFrame, serializeFrame, wireErrorCode, isWireErrorCode, type FrameProblem } from './index.js';

function problemOf(text: string, version: '1.6' | '2.0.1' | '2.1' = '2.0.1'): FrameProblem {
  const result = parseFrame(text, version);
  if (result.ok) throw new Error(`expected a problem for ${text}`);
  return result.problem;
}

describe('parseFrame', () => {
  it('parses the five message types of OCPP 2.1', () => {
    expect(parseFrame('[2,"a","Heartbeat",{}]', '2.1')).toEqual({ ok: true, frame: { type: 2, messageId: 'a', action: 'Heartbeat', payload: {} } });
    expect(parseFrame('[3,"a",{"x":1}]', '2.1')).toEqual({ ok: true, frame: { type: 3, messageId: 'a', payload: { x: 1 } } });
    const error = parseFrame('[4,"a","NotSupported","no",{}]', '2.1');
    expect(error.ok && error.frame.type).toBe(MessageType.CallError);
    const resultError = parseFrame('[5,"a","FormatViolation","bad",{}]', '2.1');
    expect(resultError.ok && resultError.frame.type).toBe(MessageType.CallResultError);
    const send = parseFrame('[6,"b","NotifyPeriodicEventStream",{}]', '2.1');
    expect(send.ok && send.frame.type).toBe(MessageType.Send);
  });

  it('round-trips through serializeFrame', () => {
    const texts = ['[2,"1","BootNotification",{"reason":"PowerUp"}]', '[3,"1",{}]', '[4,"1","GenericError","",{}]'];
    for (const text of texts) {
      const result = parseFrame(text, '2.0.1');
      expect(result.ok && serializeFrame(result.frame)).toBe(text);
    }
  });

  it('names the failed check for each broken frame', () => {
    expect(problemOf('not json')).toMatchObject({ errorCode: 'RpcFrameworkError', description: 'message is not valid JSON', reply: 'callerror' });
    // Part 2 §2.1.4: no leading zeros, no plus sign; JSON forbids both, and the description says which.
    expect(problemOf('[2,"1","StatusNotification",{"evseId":01}]').description).toBe('message is not valid JSON (the number 01 has a leading zero)');
    expect(problemOf('[2,"1","StatusNotification",{"evseId":+1}]').description).toBe('message is not valid JSON (the number +1 has a plus sign)');
    expect(problemOf('{"a":1}').description).toBe('message is not a JSON array');
    expect(problemOf('["2","x","Heartbeat",{}]').description).toBe('message type must be an integer');
    expect(problemOf('[2,17,"Heartbeat",{}]')).toMatchObject({ description: 'message id must be a string', messageType: 2 });
    expect(problemOf(`[2,"${'x'.repeat(37)}","Heartbeat",{}]`).description).toMatch(/1 to 36 characters, has 37/);
    expect(problemOf('[2,"x","Heartbeat"]').description).toMatch(/has 4 elements, this one has 3/);
    expect(problemOf('[2,"x",5,{}]').description).toBe('action must be a non-empty string');
    expect(problemOf('[2,"x","Heartbeat",null]')).toMatchObject({ errorCode: 'FormatViolation', messageId: 'x', action: 'Heartbeat' });
    expect(problemOf('[4,"x","GenericError","d"]')).toMatchObject({ reply: 'ignore' });
    expect(problemOf('[4,"x","GenericError","d",[]]').description).toMatch(/error details must be a JSON object/);
  });

  it('keeps a 36-character id (a UUID) and leaves the id unset when it cannot be read', () => {
    const uuid = '123e4567-e89b-12d3-a456-426614174000';
    expect(parseFrame(`[2,"${uuid}","Heartbeat",{}]`, '1.6').ok).toBe(true);
    expect(problemOf('not json').messageId).toBeUndefined();
  });

  it('treats types 5 and 6 as unknown before 2.1, answering per version', () => {
    expect(problemOf('[6,"x","A",{}]', '2.0.1')).toMatchObject({ errorCode: 'MessageTypeNotSupported', messageId: 'x', reply: 'callerror' });
    // OCPP-J 1.6 §4.1.3: an unknown message type is ignored.
    expect(problemOf('[9,"x","A",{}]', '1.6')).toMatchObject({ reply: 'ignore' });
  });

  it('keeps the frame behind a wrong-length id, and names the id', () => {
    const longId = 'x'.repeat(37);
    const problem = problemOf(`[4,"${longId}","FormationViolation","",{}]`);
    expect(problem.description).toBe(`message id "${longId}" must have 1 to 36 characters, has 37`);
    expect(problem.frame).toEqual({ type: 4, messageId: longId, errorCode: 'FormationViolation', errorDescription: '', errorDetails: {} });
    // Only a frame whose id is its one fault is kept.
    expect(problemOf(`[2,"${longId}","Heartbeat"]`).frame).toBeUndefined();
    expect(problemOf(`[2,"${'y'.repeat(100)}","Heartbeat",{}]`).description).toMatch(/^message id "y{57}\.\.\." must have/);
  });

  it('owes a broken CALL a CALLERROR per version: always from 2.0.1, in 1.6 only when its id was read', () => {
    for (const version of ['2.0.1', '2.1'] as const) expect(isAnswerOwed(version, problemOf('hello', version))).toBe(true);
    expect(isAnswerOwed('1.6', problemOf('hello', '1.6'))).toBe(false);
    expect(isAnswerOwed('1.6', problemOf('[2,"x","Heartbeat"]', '1.6'))).toBe(true);
    expect(isAnswerOwed('2.0.1', problemOf('[3,"x"]'))).toBe(false);
  });

  it('never answers a broken response', () => {
    expect(problemOf('[3,"x"]').reply).toBe('ignore');
    expect(problemOf('[3,"x",[]]').reply).toBe('ignore');
  });
});

describe('error codes per version', () => {
  it('spells 1.6 codes as the 1.6 specification does', () => {
    expect(wireErrorCode('1.6', 'FormatViolation')).toBe('FormationViolation');
    expect(wireErrorCode('1.6', 'OccurrenceConstraintViolation')).toBe('OccurenceConstraintViolation');
    expect(wireErrorCode('2.0.1', 'OccurrenceConstraintViolation')).toBe('OccurrenceConstraintViolation');
    expect(isWireErrorCode('1.6', 'RpcFrameworkError')).toBe(false);
    expect(isWireErrorCode('2.1', 'RpcFrameworkError')).toBe(true);
    expect(isWireErrorCode('2.0.1', 'FormationViolation')).toBe(false);
  });
});
