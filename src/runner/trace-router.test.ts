import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlTraceWriter, MemoryTrace, createRecord } from '../session/index.js';
import { TraceRouter } from './trace-router.js';

const note = (text: string) => createRecord({ ocppVersion: '2.0.1', chargePointId: 'CS001' }, 'csms-to-cp', 'EVENT', {}, undefined, { kind: 'note', text });

describe('trace router', () => {
  it('counts the records of the case file, also those written before the case collects its own: step results count from the file start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocpp-harness-router-'));
    const router = new TraceRouter(new JsonlTraceWriter(join(dir, 'outside.jsonl'), { flushIntervalMs: 0 }));
    router.write(note('outside'));
    const before = new MemoryTrace();
    const own = new MemoryTrace();
    router.begin(new JsonlTraceWriter(join(dir, 'case.jsonl'), { flushIntervalMs: 0 }), before);
    expect(router.written).toBe(0);
    router.write(note('work before the case'));
    router.write(note('more work before the case'));
    router.collectInto(own);
    expect(router.written).toBe(2);
    router.write(note('the case'));
    expect(router.written).toBe(3);
    router.end();
    expect(router.written).toBe(0);
    expect(before.records).toHaveLength(2);
    expect(own.records.map((record) => record.meta.event)).toEqual([{ kind: 'note', text: 'the case' }]);
    const lines = readFileSync(join(dir, 'case.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[2]!).meta.event.text).toBe('the case');
  });

  it('writes a record of a retired connection to the case file but not to its records, and hands it on as the run\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocpp-harness-router-'));
    const runLevel: Array<[string, string]> = [];
    const router = new TraceRouter(new JsonlTraceWriter(join(dir, 'outside.jsonl'), { flushIntervalMs: 0 }), (record, file) => runLevel.push([(record.meta.event as { text: string }).text, file.path]));
    const own = new MemoryTrace();
    router.begin(new JsonlTraceWriter(join(dir, 'case.jsonl'), { flushIntervalMs: 0 }), own);
    const late = note('late frame of a replaced connection');
    late.meta.connectionRetired = true;
    router.write(note('the case'));
    router.write(late);
    router.end();
    expect(own.records.map((record) => (record.meta.event as { text: string }).text)).toEqual(['the case']);
    expect(runLevel).toEqual([['late frame of a replaced connection', join(dir, 'case.jsonl')]]);
    expect(readFileSync(join(dir, 'case.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
