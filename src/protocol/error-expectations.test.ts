import { describe, expect, it } from 'vitest';
import { answerOwedTo } from './error-expectations.js';
import { schemasOf } from './schemas.js';

const v16 = schemasOf('1.6');
const v201 = schemasOf('2.0.1');
const LONG_ID = 'x'.repeat(37);

// Issue 14: what a frame sent invalid on purpose is owed, per version, from the rules the session applies.
describe('answerOwedTo', () => {
  it('owes a broken frame a framing code with "-1" in 2.0.1, and nothing in 1.6 where no id can be read', () => {
    expect(answerOwedTo(v201, '[2,"a","Heartbeat",{')).toMatchObject({ owed: true, messageId: '-1', codes: ['RpcFrameworkError', 'FormatViolation', 'ProtocolError'] });
    expect(answerOwedTo(v201, '{"messageId":"a"}')).toMatchObject({ owed: true, messageId: '-1', fault: 'message is not a JSON array' });
    expect(answerOwedTo(v16, '[2,"a","Heartbeat",{')).toMatchObject({ owed: false, messageId: '-1', codes: ['FormationViolation', 'ProtocolError'] });
  });

  it('answers an over-long id with "-1" in both versions: echoing it would break the 36-character limit', () => {
    expect(answerOwedTo(v201, `[2,"${LONG_ID}","Heartbeat",{}]`)).toMatchObject({ owed: true, messageId: '-1', codes: ['RpcFrameworkError', 'FormatViolation', 'ProtocolError'] });
    expect(answerOwedTo(v16, `[2,"${LONG_ID}","Heartbeat",{}]`)).toMatchObject({ owed: true, messageId: '-1', codes: ['FormationViolation', 'ProtocolError'] });
  });

  it('owes an unknown message type MessageTypeNotSupported with its id in 2.0.1; 1.6 ignores it', () => {
    expect(answerOwedTo(v201, '[7,"t1","Heartbeat",{}]')).toMatchObject({ owed: true, messageId: 't1', codes: ['MessageTypeNotSupported'] });
    expect(answerOwedTo(v16, '[7,"t1","Heartbeat",{}]')).toMatchObject({ owed: false, codes: [] });
  });

  it('owes a well-framed faulty CALL a CALLERROR with its id: NotImplemented, or a payload code in the version\'s spelling', () => {
    expect(answerOwedTo(v16, '[2,"c1","NoSuchAction",{}]')).toMatchObject({ owed: true, messageId: 'c1', codes: ['NotImplemented'], resultIsWrong: true });
    expect(answerOwedTo(v201, '[2,"c2","DataTransfer",{}]')?.codes).toContain('OccurrenceConstraintViolation');
    expect(answerOwedTo(v16, '[2,"c2","DataTransfer",{}]')?.codes).toEqual(['FormationViolation', 'OccurenceConstraintViolation', 'PropertyConstraintViolation', 'TypeConstraintViolation', 'ProtocolError']);
    expect(answerOwedTo(v201, '[2,"c3","DataTransfer",{"vendorId":42}]')).toMatchObject({ owed: true, resultIsWrong: true });
  });

  it('owes nothing to a valid CALL, nor to a frame that is no CALL', () => {
    expect(answerOwedTo(v201, '[2,"c4","Heartbeat",{}]')).toBeUndefined();
    expect(answerOwedTo(v201, '[3,"c4",{}]')).toBeUndefined();
  });
});
