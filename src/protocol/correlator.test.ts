import { describe, expect, it } from 'vitest';
import { Correlator } from './index.js';

const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

describe('Correlator', () => {
  it('pairs a response with its CALL and derives the action', () => {
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 1000 });
    expect(correlator.onCall('cp-to-csms', 'a', 'Heartbeat', 0, 0)).toEqual([]);
    expect(correlator.onResponse('csms-to-cp', 'a', 'CALLRESULT', 10)).toEqual({ action: 'Heartbeat', callRef: 0, findings: [] });
    expect(correlator.unanswered()).toEqual([]);
  });

  it('pairs an answer with a broken frame, which is unanswered only when owed and never makes a CALL concurrent', () => {
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 1000 });
    correlator.onBrokenCall('cp-to-csms', '-1', '(invalid frame)', 0, 0, false);
    correlator.onBrokenCall('cp-to-csms', 'b', 'Heartbeat', 1, 0, true);
    expect(codes(correlator.onCall('cp-to-csms', 'c', 'Heartbeat', 2, 5))).toEqual([]);
    expect(correlator.unanswered().map((call) => call.ref)).toEqual([1, 2]);
    expect(correlator.onResponse('csms-to-cp', '-1', 'CALLERROR', 10)).toEqual({ action: '(invalid frame)', callRef: 0, findings: [] });
  });

  it('does not pair a response travelling in the same direction as the CALL', () => {
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 1000 });
    correlator.onCall('cp-to-csms', 'a', 'Heartbeat', 0, 0);
    expect(codes(correlator.onResponse('cp-to-csms', 'a', 'CALLRESULT', 5).findings)).toEqual(['orphan-response']);
    expect(correlator.unanswered()).toMatchObject([{ messageId: 'a', action: 'Heartbeat' }]);
  });

  it('reports orphan, duplicate and late responses', () => {
    const correlator = new Correlator('1.6', { callTimeoutMs: 100 });
    expect(codes(correlator.onResponse('csms-to-cp', 'zz', 'CALLRESULT', 0).findings)).toEqual(['orphan-response']);
    correlator.onCall('cp-to-csms', 'a', 'Authorize', 1, 0);
    correlator.onResponse('csms-to-cp', 'a', 'CALLRESULT', 10);
    expect(codes(correlator.onResponse('csms-to-cp', 'a', 'CALLRESULT', 20).findings)).toEqual(['duplicate-response']);
    correlator.onCall('cp-to-csms', 'b', 'Authorize', 3, 30);
    correlator.onTimeout('cp-to-csms', 'b');
    expect(codes(correlator.onResponse('csms-to-cp', 'b', 'CALLERROR', 500).findings)).toEqual(['late-response']);
  });

  it('reports a second outstanding CALL and a reused message id', () => {
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 1000 });
    correlator.onCall('csms-to-cp', 'x', 'Reset', 0, 0);
    const second = correlator.onCall('csms-to-cp', 'x', 'GetVariables', 1, 10);
    expect(codes(second)).toEqual(['duplicate-message-id', 'concurrent-call']);
    expect(second[1]?.severity).toBe('violation');
  });

  it('allows crossing CALLs from both sides and a CALL after the previous one timed out', () => {
    const correlator = new Correlator('1.6', { callTimeoutMs: 100 });
    correlator.onCall('cp-to-csms', 'a', 'Heartbeat', 0, 0);
    expect(correlator.onCall('csms-to-cp', 'b', 'Reset', 1, 1)).toEqual([]);
    expect(correlator.onCall('cp-to-csms', 'c', 'Heartbeat', 2, 250)).toEqual([]);
  });

  it('rates a concurrent CALL as a warning in 1.6 (SHOULD NOT) and a violation in 2.0.1 (SHALL NOT)', () => {
    const v16 = new Correlator('1.6', { callTimeoutMs: 1000 });
    v16.onCall('cp-to-csms', 'a', 'Heartbeat', 0, 0);
    expect(v16.onCall('cp-to-csms', 'b', 'Heartbeat', 1, 1)[0]?.severity).toBe('warning');
  });

  it('remembers a bounded number of ids, so a long session runs in bounded memory', () => {
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 1000, memory: 2 });
    for (const id of ['a', 'b', 'c']) {
      correlator.onCall('cp-to-csms', id, 'Heartbeat', 0, 0);
      correlator.onResponse('csms-to-cp', id, 'CALLRESULT', 1);
    }
    expect(codes(correlator.onCall('cp-to-csms', 'b', 'Heartbeat', 0, 2))).toEqual(['duplicate-message-id']);
    correlator.onResponse('csms-to-cp', 'b', 'CALLRESULT', 2);
    expect(correlator.onCall('cp-to-csms', 'a', 'Heartbeat', 0, 3)).toEqual([]);
  });

  it('keeps at most `memory` unanswered CALLs per direction: the oldest is reported unanswered and forgotten', () => {
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 1, memory: 3 });
    for (const [ref, id] of ['a', 'b', 'c'].entries()) expect(codes(correlator.onCall('cp-to-csms', id, 'Heartbeat', ref, ref * 10))).toEqual([]);
    const dropping = correlator.onCall('cp-to-csms', 'd', 'Heartbeat', 3, 30);
    expect(dropping.map((f) => [f.code, f.messageId, f.message])).toEqual([
      ['unanswered-call', 'a', 'CALL Heartbeat (message id "a") was never answered while 3 later CALLs were sent; it is no longer tracked'],
    ]);
    expect(correlator.unanswered().map((call) => call.messageId)).toEqual(['b', 'c', 'd']);
    // An answer that comes after all answers nothing the correlator still knows.
    expect(codes(correlator.onResponse('csms-to-cp', 'a', 'CALLRESULT', 40).findings)).toEqual(['orphan-response']);
  });

  it('hands a CALL it gives up on to onGivenUp, with its own ref, instead of adding it to the newer CALL\'s findings', () => {
    const givenUp: unknown[] = [];
    const correlator = new Correlator('2.0.1', { callTimeoutMs: 1, memory: 2, onGivenUp: (call) => givenUp.push(call) });
    correlator.onCall('csms-to-cp', 'a', 'Reset', 7, 0);
    correlator.onCall('csms-to-cp', 'b', 'Reset', 8, 10);
    expect(correlator.onCall('csms-to-cp', 'c', 'Reset', 9, 20)).toEqual([]);
    expect(givenUp).toEqual([{ direction: 'csms-to-cp', messageId: 'a', action: 'Reset', ref: 7 }]);
  });
});
