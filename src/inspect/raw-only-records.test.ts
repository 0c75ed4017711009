import { describe, expect, it } from 'vitest';
import { createRecord, formatTraceLine, type TraceRecord } from '../session/index.js';
import { inspectTrace, readTraceLines } from './index.js';

const context = { ocppVersion: '2.0.1' as const, chargePointId: 'CS1', connectionId: 'c1' };

// Issue 14: the writer keeps a frame's text in `raw` only; every reader gets the fields back from it.
describe('records stored with raw only', () => {
  it('read back with the payload and error the session recorded', () => {
    const records: TraceRecord[] = [
      createRecord(context, 'cp-to-csms', 'CALL', { messageId: 'm1', action: 'Heartbeat', payload: {}, raw: '[2, "m1", "Heartbeat", {}]' }),
      createRecord(context, 'csms-to-cp', 'CALLRESULT', { messageId: 'm1', action: 'Heartbeat', payload: { currentTime: '2026-01-01T00:00:00.000Z' }, raw: '[3,"m1",{"currentTime":"2026-01-01T00:00:00.000Z"}]' }),
      createRecord(context, 'cp-to-csms', 'CALLERROR', { messageId: 'm2', error: { code: 'NotImplemented', description: 'no', details: { a: 1 } }, raw: '[4,"m2","NotImplemented","no",{"a":1}]' }),
    ];
    const text = records.map(formatTraceLine).join('');
    expect(text).not.toContain('"payload"');
    const read = readTraceLines(text).map((line) => ('record' in line ? line.record : line));
    expect(read).toEqual(records.map((record) => JSON.parse(JSON.stringify(record))));
    // The frame is kept byte for byte, spaces included.
    expect((read[0] as TraceRecord).raw).toBe('[2, "m1", "Heartbeat", {}]');
  });

  it('still finds raw-mismatch where a record holds fields that disagree with its raw', () => {
    const line = '{"schemaVersion":"1.1","timestamp":"2026-01-01T00:00:00.000Z","ocppVersion":"2.0.1","transport":"json","direction":"cp-to-csms","messageType":"CALLRESULT","messageId":"1","raw":"[2,\\"1\\",\\"Heartbeat\\",{}]"}\n';
    const inspection = inspectTrace(line);
    expect(inspection.findings.map((finding) => finding.code)).toContain('raw-mismatch');
  });
});
