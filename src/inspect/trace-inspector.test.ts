import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlTraceWriter, openLoopbackPair, waitForRecord } from '../session/index.js';
import { inspectTrace, inspectTraceFile } from './index.js';

const fixture = (name: string) => new URL(`../../fixtures/traces/${name}`, import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'ocpp-harness-inspect-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('inspectTrace on fixtures', () => {
  it('finds exactly the schema violation, the orphan response and the unanswered CALL of the 1.6 trace', () => {
    const inspection = inspectTraceFile(fixture('ocpp16-three-violations.jsonl'));
    expect(inspection.findings.map((f) => [f.index, f.line, f.code])).toEqual([
      [2, 3, 'schema-violation'],
      [4, 5, 'orphan-response'],
      [7, 8, 'unanswered-call'],
    ]);
    expect(inspection.unansweredCalls).toEqual([7]);
    expect(inspection.orphanResponses).toEqual([4]);
    // Actions of responses come from correlation, also for records without `raw`.
    expect(inspection.records.filter((r) => r.messageType === 'CALLRESULT').map((r) => [r.index, r.action, r.correlatesWith])).toEqual([
      [1, 'BootNotification', 0],
      [3, 'Authorize', 2],
      [4, undefined, undefined],
      [6, 'RemoteStartTransaction', 5],
    ]);
  });

  it('finds nothing in a clean 2.0.1 trace', () => {
    const inspection = inspectTraceFile(fixture('ocpp201-clean.jsonl'));
    expect(inspection.findings).toEqual([]);
    expect(inspection.versions).toEqual(['2.0.1']);
  });

  it('applies the rules beyond the schemas: Part 2 datatypes, CALLERROR codes, stream rules, arrival order', () => {
    const inspection = inspectTraceFile(fixture('ocpp201-beyond-schemas.jsonl'));
    expect(inspection.findings.map((f) => [f.line, f.code])).toEqual([
      [2, 'datetime-precision'],
      [3, 'identifier-charset'],
      [4, 'idtokeninfo-missing'],
      [5, 'seqno-gap'],
      [7, 'decimal-precision'],
      [9, 'action-unknown'],
      [10, 'callerror-code-unexpected'],
      [11, 'integer-form'],
      [15, 'heartbeat-interval'],
      [19, 'concurrent-call'],
    ]);
    expect(inspection.findings.find((f) => f.code === 'seqno-gap')?.rule).toBe('OCPP 2.0.1 Part 2 E01.FR.07, §E 1.3.2.1 (seqNo)');
  });

  it('finds none of them in the same conversation done right (only the CSMS\'s own unknown action)', () => {
    const inspection = inspectTraceFile(fixture('ocpp201-beyond-schemas-conforming.jsonl'));
    expect(inspection.findings.map((f) => [f.line, f.code])).toEqual([[9, 'action-unknown']]);
  });

  it('reports each garbage line and keeps going', () => {
    const inspection = inspectTraceFile(fixture('garbage.jsonl'));
    expect(inspection.findings.map((f) => [f.line, f.code])).toEqual([1, 3, 4, 5, 6, 7, 8].map((line) => [line, 'record-unreadable']));
  });

  it('lets --ocpp override the records, and says when no version is known', () => {
    const record = '{"schemaVersion":"1.1","timestamp":"2026-01-01T00:00:00Z","transport":"json","direction":"cp-to-csms","messageType":"CALL","messageId":"1","action":"Heartbeat","payload":{}}';
    expect(inspectTrace(record).findings[0]?.message).toMatch(/no OCPP version.*pass --ocpp/);
    expect(inspectTrace(`${record}\n`, { version: '1.6' }).findings.map((f) => f.code)).toEqual(['unanswered-call']);
  });

  it('flags a record whose fields disagree with its raw frame', () => {
    const record = { schemaVersion: '1.1', timestamp: '2026-01-01T00:00:00Z', ocppVersion: '2.0.1', transport: 'json', direction: 'csms-to-cp', messageType: 'CALLRESULT', messageId: 'A', raw: '[3,"B",{}]' };
    expect(inspectTrace(JSON.stringify(record)).findings.map((f) => f.code)).toEqual(['raw-mismatch', 'orphan-response']);
  });

  it('checks framing, error codes and concurrency the way a live session does', () => {
    const lines = [
      { direction: 'cp-to-csms', messageType: 'CALL', raw: '[2,"1","Heartbeat",{}]' },
      { direction: 'cp-to-csms', messageType: 'CALL', raw: '[2,"2","Heartbeat",{}]' },
      { direction: 'csms-to-cp', messageType: 'CALLERROR', raw: '[4,"1","FormationViolation","",{}]' },
      { direction: 'csms-to-cp', messageType: 'CALLRESULT', raw: '[3,"2",{"currentTime":"2026-01-01T00:00:00Z"}]' },
      { direction: 'cp-to-csms', messageType: 'INVALID', raw: '[2,"3","Heartbeat"]' },
    ].map((fields) => JSON.stringify({ schemaVersion: '1.1', timestamp: '2026-01-01T00:00:00Z', ocppVersion: '2.0.1', transport: 'json', ...fields }));
    const inspection = inspectTrace(lines.join('\n'));
    expect(inspection.findings.map((f) => [f.index, f.code])).toEqual([
      [1, 'concurrent-call'],
      [2, 'callerror-invalid'],
      [4, 'frame-invalid'],
      [4, 'unanswered-call'],
    ]);
  });
});

describe('traces written by live sessions', () => {
  it('inspect clean when the conversation was clean, and carry the live findings when it was not', async () => {
    const path = join(workDir, 'live.jsonl');
    const writer = new JsonlTraceWriter(path);
    const pair = await openLoopbackPair({ version: '1.6', csmsTrace: writer });
    pair.csms.setCallHandler((call) => ({ payload: call.action === 'Heartbeat' ? { currentTime: new Date().toISOString() } : {} }));
    await pair.cs.call('Heartbeat', {});
    const orphanSeen = waitForRecord(pair.csms, (r) => r.messageId === 'ghost', 2000);
    pair.cs.sendRaw('[3,"ghost",{}]');
    await orphanSeen;
    await pair.close();
    writer.close();
    const records = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { messageType: string; meta: { event?: { kind: string } } });
    expect(records.map((r) => r.meta.event?.kind ?? r.messageType)).toEqual(['ws-open', 'CALL', 'CALLRESULT', 'CALLRESULT', 'ws-close']);
    const inspection = inspectTraceFile(path);
    expect(inspection.findings.map((f) => [f.index, f.code])).toEqual([[3, 'orphan-response']]);
  });
});
