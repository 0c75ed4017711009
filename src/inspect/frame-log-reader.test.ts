import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFrameLog } from './index.js';

const recordsOf = (text: string) => readFrameLog(text, '2.0.1').map((line) => ('record' in line ? line.record : line));

describe('readFrameLog: one frame per line', () => {
  it('reads each direction marker, station to CSMS and back', () => {
    const markers = ['>', 'cs->csms', 'CP->CSMS', 'cp-to-csms', '<', 'csms->cs', 'csms->cp', 'csms-to-cp'];
    const records = recordsOf(markers.map((marker, i) => `${marker} [2,"${i}","Heartbeat",{}]`).join('\n'));
    expect(records.map((r) => ('direction' in r ? r.direction : r))).toEqual([...Array<string>(4).fill('cp-to-csms'), ...Array<string>(4).fill('csms-to-cp')]);
  });

  it('turns a line into an open-ocpp-trace record with the frame as raw and its fields read from it', () => {
    expect(recordsOf('2026-11-21T19:21:47.607Z > [2,"1","Heartbeat",{}]')).toEqual([{
      schemaVersion: '1.1', timestamp: '2026-11-21T19:21:47.607Z', ocppVersion: '2.0.1', transport: 'json', direction: 'cp-to-csms',
      messageType: 'CALL', messageId: '1', action: 'Heartbeat', payload: {}, raw: '[2,"1","Heartbeat",{}]', meta: { monotonicMs: 0 },
    }]);
  });

  it('reads timestamps with a space or a zone offset, reads a zone-less one as UTC, and gives a line without one the time before it', () => {
    const text = [
      '2026-11-21 19:21:47,607 > [2,"1","Heartbeat",{}]',
      '2026-11-21T20:21:47.700+01:00 < [3,"1",{}]',
      '> [2,"2","Heartbeat",{}]',
    ].join('\n');
    expect(recordsOf(text).map((r) => ('timestamp' in r ? r.timestamp : r))).toEqual(['2026-11-21T19:21:47.607Z', '2026-11-21T20:21:47.700+01:00', '2026-11-21T20:21:47.700+01:00']);
    expect(recordsOf('> [2,"1","Heartbeat",{}]')[0]).toMatchObject({ timestamp: '' });
  });

  it('keeps a frame that is not OCPP-J as an INVALID record, for the inspector to judge', () => {
    expect(recordsOf('< hello there')[0]).toMatchObject({ messageType: 'INVALID', raw: 'hello there', direction: 'csms-to-cp' });
  });

  it('skips blank lines and # comments, keeping the line numbers', () => {
    const lines = readFrameLog('# exported log\n\n> [2,"1","Heartbeat",{}]\n', '2.0.1');
    expect(lines.map((line) => [line.index, line.line])).toEqual([[0, 3]]);
  });

  it('says why a line is not a frame log line', () => {
    const text = ['Heartbeat sent', '2026-13-45T99:00:00Z > [3,"1",{}]', 'x [2,"1","Heartbeat",{}]'].join('\n');
    expect(recordsOf(text)).toEqual([
      { index: 0, line: 1, unreadable: 'no direction marker (>, <, cs->csms or csms->cs) where one is expected: "Heartbeat sent"' },
      { index: 1, line: 2, unreadable: 'timestamp "2026-13-45T99:00:00Z" is not an ISO 8601 date-time' },
      { index: 2, line: 3, unreadable: 'no direction marker (>, <, cs->csms or csms->cs) where one is expected: "x [2,\\"1\\",\\"Heartbeat\\",{}]"' },
    ]);
  });
});

describe('readFrameLog: {t, dir, frame} JSON lines', () => {
  it('reads frames as JSON arrays or as text, and times as text or epoch milliseconds', () => {
    const text = [
      '{"t":"2026-03-02T08:00:00.000Z","dir":"cs->csms","frame":[2,"b","Heartbeat",{}]}',
      '{"t":1772438400120,"dir":"<","frame":"[3,\\"b\\",{}]"}',
      '{"dir":">","frame":"oops"}',
    ].join('\n');
    expect(recordsOf(text).map((r) => ('raw' in r ? [r.timestamp, r.direction, r.messageType, r.raw] : r))).toEqual([
      ['2026-03-02T08:00:00.000Z', 'cp-to-csms', 'CALL', '[2,"b","Heartbeat",{}]'],
      ['2026-03-02T08:00:00.120Z', 'csms-to-cp', 'CALLRESULT', '[3,"b",{}]'],
      ['2026-03-02T08:00:00.120Z', 'cp-to-csms', 'INVALID', 'oops'],
    ]);
  });

  it('says what is missing or wrong in a JSON line', () => {
    // A time past what a Date holds (found by fuzzing, issue 14) is unreadable, not a RangeError.
    // So is a "dir" nested deeper than JSON.stringify recurses: named by its kind.
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const text = ['{"dir":"up","frame":[]}', '{"dir":">"}', '{"t":true,"dir":">","frame":[]}', '{"t":1e300,"dir":">","frame":[]}', `{"dir":${deep},"frame":[]}`, '{"t":'].join('\n');
    expect(recordsOf(text).map((r) => ('unreadable' in r ? r.unreadable : r))).toEqual([
      '"dir" must be one of >, cs->csms, cp->csms, cp-to-csms, <, csms->cs, csms->cp, csms-to-cp, is "up"',
      'no "frame": the frame as text, or as a JSON array',
      '"t" must be an ISO 8601 date-time or milliseconds since 1970, is true',
      '"t" must be an ISO 8601 date-time or milliseconds since 1970, is 1e+300',
      '"dir" must be one of >, cs->csms, cp->csms, cp-to-csms, <, csms->cs, csms->cp, csms-to-cp, is an object',
      'line is not JSON: "{\\"t\\":"',
    ]);
  });
});

describe('the frame log documented in docs/trace-format.md', () => {
  it('reads every line of its example as a record, with the times and directions it says', () => {
    const doc = readFileSync(new URL('../../docs/trace-format.md', import.meta.url), 'utf8');
    const example = /## Frame logs[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const lines = readFrameLog(example, '2.0.1');
    expect(lines).toHaveLength(6);
    expect(lines.map((line) => ('record' in line ? [line.record.timestamp, line.record.direction] : line))).toEqual([
      ['2026-11-21T19:21:47.607Z', 'cp-to-csms'],
      ['2026-11-21T19:21:47.700Z', 'csms-to-cp'],
      ['2026-11-21T19:21:48.000Z', 'cp-to-csms'],
      ['2026-11-21T19:21:48.000Z', 'csms-to-cp'],
      ['2026-11-21T19:21:49.000Z', 'cp-to-csms'],
      ['2026-11-21T19:21:49.100Z', 'csms-to-cp'],
    ]);
  });
});
