import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../session/index.js';
import { wireFramesOf } from './wire-log.js';

function eventRecord(event: unknown): TraceRecord {
  return { schemaVersion: '1.1', timestamp: '2026-12-03T00:00:00.000Z', ocppVersion: '2.0.1', transport: 'json', chargePointId: 'CS001', direction: 'cp-to-csms', messageType: 'EVENT', meta: { event } } as unknown as TraceRecord;
}

describe('wire-log rows of events', () => {
  it('a ws-close row names who closed, with the code', () => {
    const [row] = wireFramesOf([{ index: 0, line: 1, record: eventRecord({ kind: 'ws-close', close: { code: 1000, reason: '', initiatedBy: 'remote' } }) }]);
    expect(row).toMatchObject({ a: 'ws-close', x: 'WebSocket closed by remote: code 1000' });
  });

  it('an event of another writer without the fields of its kind gets a row saying so, not a crash', () => {
    const [row] = wireFramesOf([{ index: 0, line: 1, record: eventRecord({ kind: 'ws-close' }) }]);
    expect(row).toMatchObject({ a: 'ws-close', x: 'ws-close (an event without the fields of its kind)' });
  });
});
