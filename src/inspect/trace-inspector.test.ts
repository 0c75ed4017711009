import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlTraceWriter, openLoopbackPair, waitForRecord } from '../session/index.js';
import { MAX_OPEN_CONVERSATIONS, TraceFormatError, TraceInspector, inspectTrace, inspectTraceFile } from './index.js';

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

  it('reports a CALL pushed out of the correlator\'s memory on its own record, the one never answered', { timeout: 60_000 }, () => {
    // 10,001 Heartbeats a minute apart (each timed out, so none is concurrent), never answered.
    const lines = Array.from({ length: 10_001 }, (_, i) => JSON.stringify({
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), ocppVersion: '2.0.1', chargePointId: 'CS1', direction: 'cp-to-csms',
      raw: `[2,"hb-${i}","Heartbeat",{}]`, meta: { monotonicMs: i * 60_000, connectionId: 'c1' },
    }));
    const inspection = inspectTrace(lines.join('\n'));
    const unanswered = inspection.findings.filter((f) => f.code === 'unanswered-call');
    // The first one given up on names the first Heartbeat and sits on its line, not on the 10,001st.
    expect(unanswered.slice(0, 5).map((f) => [f.index, f.line, f.messageId])).toEqual([0, 1, 2, 3, 4].map((i) => [i, i + 1, `hb-${i}`]));
    // Every one of them is counted once: 1 given up on, 10,000 still open at the end.
    expect(unanswered.at(-1)).toMatchObject({ count: 10_001 });
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

  it('reports the garbage lines after the first records and keeps going; past 5, one stands for the rest (issue 14)', () => {
    const inspection = inspectTraceFile(fixture('garbage.jsonl'));
    expect(inspection.findings.map((f) => [f.line, f.code, f.count])).toEqual([3, 5, 6, 7, 8, 9].map((line) => [line, 'record-unreadable', line === 9 ? 7 : undefined]));
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

const v201 = { schemaVersion: '1.1', timestamp: '2026-01-01T00:00:00Z', ocppVersion: '2.0.1', transport: 'json' };
const traceOf = (...records: object[]) => records.map((fields) => JSON.stringify({ ...v201, ...fields })).join('\n');

describe('inspectTrace on real-log problems (issue 13)', () => {
  const longId = 'x'.repeat(37);

  it('correlates a CALL with an over-long id with its answer, names the id, and checks the answer\'s code', () => {
    const inspection = inspectTrace(traceOf(
      { direction: 'csms-to-cp', messageType: 'INVALID', raw: `[2,"${longId}","Reset",{"type":"Immediate"}]` },
      { direction: 'cp-to-csms', messageType: 'INVALID', raw: `[4,"${longId}","FormationViolation","",{}]` },
    ));
    expect(inspection.findings.map((f) => [f.index, f.code])).toEqual([[0, 'message-id-invalid'], [1, 'callerror-invalid']]);
    expect(inspection.findings[0]?.message).toContain(`"${longId}"`);
    expect(inspection.findings[1]?.message).toMatch(/"FormationViolation" is not an OCPP 2.0.1 RPC error code/);
    expect(inspection.records[1]).toMatchObject({ action: 'Reset', correlatesWith: 0 });
    expect(inspection.unansweredCalls).toEqual([]);
  });

  it('names an over-long id on an answer that answers no CALL', () => {
    const inspection = inspectTrace(traceOf({ direction: 'cp-to-csms', messageType: 'CALLRESULT', raw: `[3,"${longId}",{}]` }));
    expect(inspection.findings.map((f) => f.code)).toEqual(['message-id-invalid', 'orphan-response']);
  });

  it('owes a garbage frame a CALLERROR "-1" in 2.0.1 but not in 1.6, and never counts it as an outstanding CALL', () => {
    const text = traceOf(
      { direction: 'cp-to-csms', messageType: 'INVALID', raw: 'hello' },
      { direction: 'cp-to-csms', messageType: 'CALL', raw: '[2,"h","Heartbeat",{}]' },
      { direction: 'csms-to-cp', messageType: 'CALLRESULT', raw: '[3,"h",{"currentTime":"2026-01-01T00:00:00Z"}]' },
    );
    const v201Findings = inspectTrace(text).findings;
    expect(v201Findings.map((f) => [f.index, f.code, f.rule])).toEqual([[0, 'frame-invalid', 'OCPP-J 2.0.1 §4.2'], [0, 'unanswered-call', 'OCPP-J 2.0.1 §4.1.7, §4.2.3']]);
    expect(inspectTrace(text, { version: '1.6' }).findings.map((f) => [f.index, f.code, f.rule])).toEqual([[0, 'frame-invalid', 'OCPP-J 1.6 §4.2']]);
  });

  it('correlates a CALLERROR "-1" with the garbage frame it answers, in both versions', () => {
    const text = traceOf(
      { direction: 'cp-to-csms', messageType: 'INVALID', raw: 'hello' },
      { direction: 'csms-to-cp', messageType: 'CALLERROR', raw: '[4,"-1","FormationViolation","not JSON",{}]' },
    );
    expect(inspectTrace(text, { version: '1.6' }).findings.map((f) => f.code)).toEqual(['frame-invalid']);
    expect(inspectTrace(text, { version: '2.0.1' }).findings.map((f) => f.code)).toEqual(['frame-invalid', 'callerror-invalid']);
  });

  it('owes a 1.6 CALL whose id could be read a CALLERROR', () => {
    const text = traceOf({ direction: 'cp-to-csms', messageType: 'INVALID', raw: '[2,"h","Heartbeat"]' });
    expect(inspectTrace(text, { version: '1.6' }).findings.map((f) => f.code)).toEqual(['frame-invalid', 'unanswered-call']);
  });

  it('accepts records with only raw, reading the decomposed fields from the frame', () => {
    const inspection = inspectTrace(traceOf(
      { direction: 'cp-to-csms', raw: '[2,"1","Heartbeat",{}]' },
      { direction: 'csms-to-cp', raw: '[3,"1",{"currentTime":"2026-01-01T00:00:00Z"}]' },
      { direction: 'csms-to-cp', raw: 'not a frame' },
    ));
    expect(inspection.records.map((r) => [r.messageType, r.messageId, r.action])).toEqual([['CALL', '1', 'Heartbeat'], ['CALLRESULT', '1', 'Heartbeat'], ['INVALID', undefined, undefined]]);
    expect(inspection.findings.map((f) => [f.index, f.code])).toEqual([[2, 'frame-invalid'], [2, 'unanswered-call']]);
  });

  it('compares the payload and the error of a record with its raw frame', () => {
    const inspection = inspectTrace(traceOf(
      { direction: 'cp-to-csms', messageType: 'CALL', messageId: '1', action: 'Heartbeat', payload: { a: 1 }, raw: '[2,"1","Heartbeat",{}]' },
      { direction: 'csms-to-cp', messageType: 'CALLERROR', messageId: '1', error: { code: 'NotSupported', description: 'x', details: {} }, raw: '[4,"1","NotImplemented","y",{}]' },
      { direction: 'cp-to-csms', messageType: 'CALL', messageId: '2', raw: 'not a frame' },
    ));
    expect(inspection.findings.filter((f) => f.code === 'raw-mismatch').map((f) => [f.index, f.message])).toEqual([
      [0, 'record fields disagree with raw: payload differs from raw'],
      [1, 'record fields disagree with raw: error.code differs from raw, error.description differs from raw'],
      [2, 'record fields disagree with raw: messageType CALL vs raw not an OCPP-J frame'],
    ]);
    // Key order is no difference: JSON objects are unordered.
    const reordered = traceOf({ direction: 'cp-to-csms', messageType: 'CALL', messageId: '1', action: 'Authorize', payload: { idToken: { type: 'ISO14443', idToken: 'A' } }, raw: '[2,"1","Authorize",{"idToken":{"idToken":"A","type":"ISO14443"}}]' });
    expect(inspectTrace(reordered).findings.map((f) => f.code)).toEqual(['unanswered-call']);
  });

  it('says an empty file holds no records instead of calling it clean', () => {
    for (const text of ['', '\n  \n']) expect(() => inspectTrace(text)).toThrow(new TraceFormatError('holds no records (it is empty): nothing to check'));
  });

  it('reads a record whose fields have the wrong types as unreadable, naming the field (issue 14, found by fuzzing)', () => {
    const good = traceOf({ direction: 'cp-to-csms', messageType: 'CALL', messageId: '1', action: 'Heartbeat', raw: '[2,"1","Heartbeat",{}]' });
    const mistyped = [{ raw: 123 }, { ocppVersion: 2 }, { messageId: ['1'] }, { error: 'oops' }, { error: { code: 5, description: '' } }]
      .map((fields) => JSON.stringify({ ...JSON.parse(good), ...fields }));
    // Deeper than JSON.stringify recurses: named by its kind, not written out.
    mistyped.push(good.replace('"messageId":"1"', `"messageId":${'['.repeat(20_000)}${']'.repeat(20_000)}`));
    mistyped.push(good.replace('"messageType":"CALL"', `"messageType":${'['.repeat(20_000)}${']'.repeat(20_000)}`));
    // One file per mistake: more than 5 unreadable lines in one file would be grouped (issue 14).
    const unreadable = mistyped.flatMap((line, i) => inspectTrace([good, line].join('\n')).findings
      .filter((f) => f.code === 'record-unreadable').map((f) => [i + 2, f.message]));
    expect(unreadable).toEqual([
      [2, 'raw must be a string, is 123'], [3, 'ocppVersion must be a string, is 2'], [4, 'messageId must be a string, is an array'],
      [5, 'error must be an object of code, description and details'], [6, 'error.code and error.description must be strings'],
      [7, 'messageId must be a string, is an array'], [8, 'messageType an array is not an OCPP-J message type'],
    ]);
  });

  it('says a file in another format is not a trace, in one line, and points to --input frames when it reads as a frame log', () => {
    const frameLog = '> [2,"1","Heartbeat",{}]\n< [3,"1",{"currentTime":"2026-01-01T00:00:00Z"}]\n';
    expect(() => inspectTrace(frameLog)).toThrow(/^not an open-ocpp-trace file: none of its 2 lines reads as a record \(line 1: line is not JSON: .*\); it reads as a frame log: use --input frames$/);
    const syslog = Array.from({ length: 50 }, (_, i) => `Nov 21 19:21:${String(i).padStart(2, '0')} host ocppd[42]: frame [2,"${i}","Heartbeat",{}]`).join('\n');
    expect(() => inspectTrace(syslog)).toThrow(/^not an open-ocpp-trace file: none of its first 5 lines reads as a record \(line 1: line is not JSON: "Nov 21/);
    expect(() => inspectTrace(syslog)).not.toThrow(/--input/);
    // One readable record among the first five makes it a trace with damaged lines.
    const damaged = ['garbage', traceOf({ direction: 'cp-to-csms', raw: '[2,"1","Heartbeat",{}]' })].join('\n');
    expect(inspectTrace(damaged).findings.map((f) => f.code)).toEqual(['record-unreadable', 'unanswered-call']);
  });

  it('reads a frame log with --input frames, and needs the version it cannot say', () => {
    const frameLog = '2026-01-01T00:00:00.000Z > [2,"1","Heartbeat",{}]\n2026-01-01T00:00:00.100Z < [3,"1",{"currentTime":"2026-01-01T00:00:00Z"}]\n> [2,"2","Heartbeat",{}]\n';
    const inspection = inspectTrace(frameLog, { input: 'frames', version: '2.0.1' });
    expect(inspection.findings.map((f) => [f.line, f.code])).toEqual([[3, 'unanswered-call']]);
    expect(() => inspectTrace(frameLog, { input: 'frames' })).toThrow('a frame log does not say its OCPP version: pass --ocpp');
    expect(() => inspectTrace(traceOf({ direction: 'cp-to-csms', raw: '[2,"1","Heartbeat",{}]' }), { input: 'frames', version: '2.0.1' }))
      .toThrow(/^not a frame log: its only line reads as a record .*; it reads as an open-ocpp-trace file: drop --input frames$/);
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

describe('TraceInspector: one line at a time, bounded', () => {
  const lineOf = (index: number, fields: object) => ({ index, line: index + 1, record: { ...v201, meta: { monotonicMs: 0, connectionId: 'c1' }, ...fields } as never });
  const close = { direction: 'cp-to-csms', messageType: 'EVENT', meta: { monotonicMs: 0, connectionId: 'c1', event: { kind: 'ws-close', close: { code: 1006 } } } };

  it('reports a connection\'s unanswered CALL at its ws-close, on the CALL\'s line, and counts', () => {
    const found: Array<[string, number, number]> = [];
    const inspector = new TraceInspector({}, (finding) => found.push([finding.code, finding.line, seen]));
    let seen = 0;
    inspector.inspect(lineOf(0, { direction: 'cp-to-csms', messageType: 'CALL', raw: '[2,"1","Heartbeat",{}]' }));
    seen = 1;
    inspector.inspect(lineOf(1, close));
    seen = 2;
    expect(found).toEqual([['unanswered-call', 1, 1]]);
    expect(inspector.finish()).toEqual({ versions: ['2.0.1'], records: 2, severities: { violation: 1, warning: 0, info: 0 }, unansweredCalls: 1, orphanResponses: 0 });
    expect(found).toHaveLength(1);
  });

  it(`follows at most ${MAX_OPEN_CONVERSATIONS} connections: the one silent longest is closed and its unanswered CALL reported`, () => {
    const found: Array<[string, number]> = [];
    const inspector = new TraceInspector({}, (finding) => found.push([finding.code, finding.index]));
    for (let index = 0; index <= MAX_OPEN_CONVERSATIONS; index++) {
      inspector.inspect({ ...lineOf(index, { direction: 'cp-to-csms', messageType: 'CALL', raw: `[2,"${index}","Heartbeat",{}]` }), record: { ...v201, direction: 'cp-to-csms', messageType: 'CALL', raw: `[2,"${index}","Heartbeat",{}]`, meta: { monotonicMs: 0, connectionId: `c${index}` } } as never });
    }
    expect(found).toEqual([['unanswered-call', 0]]);
    expect(inspector.finish().unansweredCalls).toBe(MAX_OPEN_CONVERSATIONS + 1);
  });
});
