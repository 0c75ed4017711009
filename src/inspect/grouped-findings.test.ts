import { describe, expect, it } from 'vitest';
import { countOccurrences } from '../protocol/index.js';
import { inspectTrace } from './index.js';

const line = (connectionId: string, second: number, id: string) =>
  `{"schemaVersion":"1.1","timestamp":"2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z","ocppVersion":"2.0.1","transport":"json","chargePointId":"CS1","direction":"cp-to-csms","messageType":"CALLRESULT","messageId":"${id}","raw":"[3,\\"${id}\\",{}]","meta":{"monotonicMs":${second * 1000},"connectionId":"${connectionId}"}}\n`;

// Issue 14: `trace` groups a code repeated on one connection like the live session does.
describe('trace inspection of repeated findings', () => {
  it('lists 5 orphan responses of a connection in full and one grouped with the total and the time span', () => {
    let text = '';
    for (let i = 0; i < 40; i++) text += line('c1', i, `o${i}`);
    text += line('c2', 50, 'other');
    const inspection = inspectTrace(text);
    const orphans = inspection.findings.filter((finding) => finding.code === 'orphan-response');
    expect(orphans.map((finding) => finding.line)).toEqual([1, 2, 3, 4, 5, 6, 41]);
    expect(orphans[5]).toMatchObject({ count: 40, firstAt: '2026-01-01T00:00:00.000Z', lastAt: '2026-01-01T00:00:39.000Z' });
    expect(orphans[6]?.count).toBeUndefined();
    expect(countOccurrences(orphans)).toBe(41);
  });
});
