import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Payload } from '../protocol/index.js';
import type { Session, TraceRecord } from '../session/index.js';
import { csmsCaseFile, runAgainstCsms, writeTree } from './engine-harness.test-support.js';
import type { RunResult } from './results.js';

// StepResult.records: each step points at the records of the case's trace file it took part in.

function traceOf(outDir: string, result: RunResult, caseIndex = 0): TraceRecord[] {
  const trace = result.cases[caseIndex]!.trace!;
  return readFileSync(join(outDir, trace), 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as TraceRecord);
}

/** Each step's records as "direction messageType action" lines, by step index. */
function stepRecords(outDir: string, result: RunResult, caseIndex = 0): Record<string, string[]> {
  const trace = traceOf(outDir, result, caseIndex);
  return Object.fromEntries(result.cases[caseIndex]!.steps.map((step) => [step.index, step.records.map((index) => {
    const record = trace[index]!;
    return `${record.direction} ${record.messageType} ${record.action ?? record.meta.event?.kind ?? ''}`;
  })]));
}

const CASE = csmsCaseFile('OH_STEPREC_01_CSMS', `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
  - action: csmsSend
    params: { action: Reset, payload: { type: OnIdle } }
  - expect: Reset
    match: { type: OnIdle }
    reply: { status: Accepted }
  - assert:
      some: { action: BootNotification, from: harness }
  - wait: { durationMs: 10 }
`);

const csms = {
  onCall: () => ({ payload: { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } }),
  onAction: (_name: string, params: Record<string, unknown>, session: Session | undefined) => {
    void session?.call(String(params['action']), params['payload'] as Payload);
    return { status: 'done' as const };
  },
};

describe('step records', () => {
  it('point at the CALL a step sent and its response, the CALL it took and its answer, and the messages an assertion judged', { timeout: 30_000 }, async () => {
    const root = writeTree({ 'ocpp2.0.1/core/OH_STEPREC_01_CSMS.yaml': CASE });
    const outDir = join(root, 'out');
    const result = await runAgainstCsms(root, csms, { outDir });
    expect(result.cases[0]!.verdict).toBe('pass');
    expect(stepRecords(outDir, result)).toEqual({
      '1': [],
      '2': ['cp-to-csms CALL BootNotification', 'csms-to-cp CALLRESULT BootNotification'],
      '3': [],
      '4': ['csms-to-cp CALL Reset', 'cp-to-csms CALLRESULT Reset'],
      '5': ['cp-to-csms CALL BootNotification'],
      '6': [],
    });
  });
});
