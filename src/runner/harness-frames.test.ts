import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFinding } from '../protocol/index.js';
import { createRecord, type TraceRecord } from '../session/index.js';
import { harnessFrameFindings, harnessFrameFindingsInTraces } from './harness-frames.js';

const context = { ocppVersion: '2.0.1' as const, chargePointId: 'CS001' };
const invalidReply = createFinding('2.0.1', 'schema-violation', 'BootNotification response: (payload) must have required property \'status\'', 'm1');
const timeout = createFinding('2.0.1', 'call-timeout', 'no answer to CALL Reset (message id "m2") within 1000 ms', 'm2');
const sutBroke = createFinding('2.0.1', 'schema-violation', 'Authorize request: /idToken must be object', 'm3');

// The harness is the CSMS (sut cs): its frames go csms-to-cp.
const records: TraceRecord[] = [
  createRecord(context, 'cp-to-csms', 'CALL', { messageId: 'm3', action: 'Authorize', payload: {} }, [sutBroke]),
  createRecord(context, 'csms-to-cp', 'CALLRESULT', { messageId: 'm1', action: 'BootNotification', payload: {} }, [invalidReply]),
  createRecord(context, 'csms-to-cp', 'EVENT', {}, [timeout], { kind: 'call-timeout', messageId: 'm2', action: 'Reset', timeoutMs: 1000 }),
];

describe('findings on frames the harness sent (issue 11)', () => {
  it('keeps those of the harness\'s frames, not the SUT\'s, nor a timeout event on the harness\'s side', () => {
    expect(harnessFrameFindings(records, 'cs')).toEqual([invalidReply]);
    expect(harnessFrameFindings(records, 'csms')).toEqual([sutBroke]);
  });

  it('leaves out a frame a sendInvalid step sent invalid on purpose (meta.deliberate), and only that', () => {
    const frameFinding = createFinding('2.0.1', 'frame-invalid', 'message is not valid JSON');
    const deliberate = createRecord(context, 'csms-to-cp', 'INVALID', { raw: '[2,"a"', meta: { deliberate: true } }, [frameFinding]);
    const accidental = createRecord(context, 'csms-to-cp', 'INVALID', { raw: '[2,"b"' }, [frameFinding]);
    expect(deliberate.meta.deliberate).toBe(true);
    expect(harnessFrameFindings([deliberate], 'cs')).toEqual([]);
    expect(harnessFrameFindings([deliberate, accidental], 'cs')).toEqual([frameFinding]);
  });

  it('reads every trace of a run\'s traces folder, and finds nothing where there is none', () => {
    const traces = mkdtempSync(join(tmpdir(), 'ocpp-harness-traces-'));
    writeFileSync(join(traces, 'TC_X_CS.jsonl'), `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    writeFileSync(join(traces, '_outside-cases-CS001.jsonl'), '');
    expect(harnessFrameFindingsInTraces(traces, 'cs').map((finding) => finding.message)).toEqual([invalidReply.message]);
    expect(harnessFrameFindingsInTraces(join(traces, 'absent'), 'cs')).toEqual([]);
  });
});
