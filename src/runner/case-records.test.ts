import { describe, expect, it } from 'vitest';
import { createFinding } from '../protocol/index.js';
import { createRecord } from '../session/index.js';
import { CaseRecords } from './case-records.js';

const context = { ocppVersion: '1.6' as const, chargePointId: 'CS1', connectionId: 'c1' };

// Issue 14: a case keeps its first records for its steps, counts the rest, and weighs the findings of all.
describe('CaseRecords', () => {
  it('keeps the first records up to its limit and counts the rest, whose findings still count, grouped', () => {
    const records = new CaseRecords('cp-to-csms', 100);
    for (let i = 0; i < 1_000; i++) {
      const finding = createFinding('1.6', 'concurrent-call', `call ${i}`, `m${i}`);
      records.write(createRecord({ ...context, stepId: '1' }, 'cp-to-csms', 'CALL', { messageId: `m${i}`, action: 'Heartbeat', payload: {}, raw: `[2,"m${i}","Heartbeat",{}]` }, [finding]));
      records.write(createRecord(context, 'csms-to-cp', 'CALLRESULT', { messageId: `m${i}`, payload: {}, raw: `[3,"m${i}",{}]` }));
    }
    expect(records.records).toHaveLength(100);
    expect(records.notKept).toBe(1_900);
    expect(records.sutFindings.map(({ finding }) => finding.count)).toEqual([undefined, undefined, undefined, undefined, undefined, 1_000]);
    expect(records.sutFindings.every(({ step }) => step === '1')).toBe(true);
    expect(records.harnessFindings).toEqual([]);
  });

  it('keeps the findings on frames the harness sent apart, but not those of its events nor of frames sent invalid on purpose', () => {
    const records = new CaseRecords('cp-to-csms');
    const bad = createFinding('1.6', 'schema-violation', 'harness reply breaks its schema');
    records.write(createRecord(context, 'csms-to-cp', 'CALLRESULT', { messageId: 'a', payload: {}, raw: '[3,"a",{}]' }, [bad]));
    records.write(createRecord(context, 'csms-to-cp', 'EVENT', {}, [createFinding('1.6', 'call-timeout', 'no answer')], { kind: 'note', text: 'x' }));
    records.write(createRecord(context, 'csms-to-cp', 'INVALID', { raw: '[7,"b"]', meta: { deliberate: true } }, [createFinding('1.6', 'message-type-unknown', 'type 7')]));
    expect(records.harnessFindings).toEqual([bad]);
    expect(records.sutFindings).toEqual([]);
  });
});
