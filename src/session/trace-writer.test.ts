import { describe, expect, it } from 'vitest';
import { formatTraceLine, storedForm, type TraceRecord } from './index.js';

describe('formatTraceLine', () => {
  it('writes the same JSON as JSON.stringify of the stored form, one line per record', () => {
    const records: TraceRecord[] = [
      { schemaVersion: '1.1', timestamp: '2026-11-21T10:00:00.000Z', ocppVersion: '1.6', transport: 'json', chargePointId: 'CS "quoted"\n', direction: 'cp-to-csms', messageType: 'CALL', messageId: 'a', action: 'Heartbeat', payload: {}, raw: '[2,"a","Heartbeat",{}]', meta: { monotonicMs: 1.5, connectionId: 'c1', testId: 'TC_B_01_CS', stepId: '3' } },
      { schemaVersion: '1.1', timestamp: '2026-11-21T10:00:00.000Z', transport: 'json', direction: 'cp-to-csms', messageType: 'EVENT', meta: { monotonicMs: 0.001, event: { kind: 'note', text: 'x' }, custom: [1, { a: null }] } },
      { schemaVersion: '1.1', timestamp: '2026-11-21T10:00:00.000Z', transport: 'json', direction: 'csms-to-cp', messageType: 'CALLERROR', messageId: 'a', error: { code: 'GenericError', description: 'ünïcødé \u2028', details: { n: [1, 2] } }, raw: 'x', meta: { monotonicMs: 2 } },
      { schemaVersion: '1.1', timestamp: '2026-11-21T10:00:00.000Z', transport: 'json', direction: 'cp-to-csms', messageType: 'INVALID', raw: '\u0000 not json', meta: { monotonicMs: 3, findings: [{ code: 'frame-invalid', severity: 'violation', message: 'm', rule: 'r' }] } },
    ];
    for (const record of records) {
      const line = formatTraceLine(record);
      expect(line.endsWith('}\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      expect(JSON.parse(line)).toEqual(storedForm(record));
    }
  });

  it('stores a frame once (issue 14): a record with raw is written without payload and error', () => {
    const big = 'x'.repeat(1 << 20);
    const record: TraceRecord = { schemaVersion: '1.1', timestamp: 't', transport: 'json', direction: 'cp-to-csms', messageType: 'CALL', messageId: 'a', action: 'DataTransfer', payload: { data: big }, raw: `[2,"a","DataTransfer",{"data":"${big}"}]`, meta: { monotonicMs: 1 } };
    const line = formatTraceLine(record);
    expect(line.length).toBeLessThan(record.raw!.length + 300);
    expect(JSON.parse(line)).toEqual({ ...storedForm(record), raw: record.raw });
    expect(JSON.parse(line)).not.toHaveProperty('payload');
    const error: TraceRecord = { ...record, messageType: 'CALLERROR', payload: undefined, error: { code: 'GenericError', description: 'd', details: {} }, raw: '[4,"a","GenericError","d",{}]' };
    expect(JSON.parse(formatTraceLine(error))).not.toHaveProperty('error');
    // Without raw (a record from elsewhere) the decomposed fields are all there is: they stay.
    const { raw: _raw, ...withoutRaw } = record;
    expect(JSON.parse(formatTraceLine(withoutRaw))).toHaveProperty('payload.data', big);
  });

  it('writes monotonic times that read back to the same number', () => {
    for (const monotonicMs of [0, 1, 0.001, 0.01, 0.1, 12.345, 99999.999, 123456789.5, 7.05, 3.2e-7]) {
      const record: TraceRecord = { schemaVersion: '1.1', timestamp: 't', transport: 'json', direction: 'cp-to-csms', messageType: 'EVENT', meta: { monotonicMs } };
      expect((JSON.parse(formatTraceLine(record)) as TraceRecord).meta.monotonicMs).toBe(Math.round(monotonicMs * 1000) / 1000);
    }
  });
});
