import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countVerdicts, VERDICTS, type CaseResult, type RunResult, type Verdict } from '../runner/index.js';
import type { TraceRecord } from '../session/index.js';

/** A Basic credential ("CS001:s3cret-password") that must never reach a report. */
export const LEAKED_CREDENTIAL = Buffer.from('CS001:s3cret-password').toString('base64');

/** The verdict of synthetic case n: mostly pass, every verdict present from six cases on. */
export function syntheticVerdict(n: number): Verdict {
  const cycle: Verdict[] = ['pass', 'fail', 'pass', 'error', 'pass', 'inconclusive', 'pass', 'not-applicable', 'pass', 'skipped'];
  return cycle[n % cycle.length]!;
}

/**
 * Writes a run of `cases` cases over `modules`, each with a trace of `frames` records (the
 * WebSocket upgrade, CALL/CALLRESULT pairs with realistic payloads, a CALLERROR, an invalid frame
 * with its finding, the close) into `dir`, and its results.json; returns the result.
 */
export function writeSyntheticRun(dir: string, options: { cases: number; frames: number; modules?: string[] }): RunResult {
  const modules = options.modules ?? ['core', 'advanced-security', 'smart-charging', 'local-auth'];
  mkdirSync(join(dir, 'traces'), { recursive: true });
  const start = Date.parse('2026-03-02T08:00:00.000Z');
  const cases: CaseResult[] = [];
  for (let n = 0; n < options.cases; n++) {
    const id = `TC_S_${String(n + 1).padStart(3, '0')}_CS`;
    const verdict = syntheticVerdict(n);
    const ran = verdict !== 'not-applicable' && verdict !== 'skipped';
    const startedAt = new Date(start + n * 2000).toISOString();
    const basics = { id, title: `Synthetic case ${n + 1} <with> "markup" & more`, module: modules[n % modules.length]!, sut: 'cs' as const, ocpp: '2.0.1' as const, startedAt, durationMs: ran ? 1234 + n : 0, findings: [], steps: [] };
    const reason = `${verdict} reason of ${id}`;
    const failure = {
      step: '2', stepTitle: 'expect StatusNotification', requirements: [{ id: 'G01.FR.01', text: 'the station reports a connector status change' }],
      expected: ['StatusNotification with connectorStatus Occupied', 'TransactionEvent Started'], actual: 'StatusNotification with connectorStatus Faulted',
    };
    const result: CaseResult = verdict === 'pass' ? { ...basics, verdict } : verdict === 'not-applicable' || verdict === 'skipped' ? { ...basics, verdict, reason } : { ...basics, verdict, reason, failure };
    if (ran) {
      result.stationId = 'CS001';
      result.trace = `traces/${id}.jsonl`;
      // Records 1-2 and 3-4 of the trace are the first two CALL/CALLRESULT pairs.
      result.steps = [
        { index: '1', kind: 'send', title: 'send ClearCache', status: 'pass', startedAt, durationMs: 12, requirementIds: ['C11.FR.01'], detail: 'CALLRESULT {"status":"Accepted"}', records: [1, 2] },
        { index: '2', kind: 'expect', title: 'expect StatusNotification', status: verdict === 'pass' ? 'pass' : verdict === 'fail' ? 'fail' : verdict === 'error' ? 'error' : 'inconclusive', startedAt, durationMs: 40, requirementIds: ['G01.FR.01', 'G01.FR.02'], records: [3, 4] },
      ];
      writeFileSync(join(dir, result.trace), syntheticTrace(id, start + n * 2000, options.frames).map((record) => JSON.stringify(record)).join('\n') + '\n');
    }
    if (n % 7 === 3) result.findings = [{ code: 'schema-violation', severity: 'warning', message: 'an optional field is odd', rule: 'OCPP-J 2.0.1 §4.1.3' }];
    cases.push(result);
  }
  const result: RunResult = {
    schemaVersion: 1, harness: { name: 'ocpp-harness', version: '0.1.0-test' }, ocpp: '2.0.1', sut: 'cs', target: 'ws://127.0.0.1:9000',
    sutIdentity: { vendor: 'ExampleVendor', model: 'DC-50', firmwareVersion: '1.2.3', serialNumber: 'SN-1' }, configHash: '0123456789abcdef',
    startedAt: new Date(start).toISOString(), endedAt: new Date(start + options.cases * 2000).toISOString(), durationMs: options.cases * 2000,
    interrupted: false, counts: countVerdicts(cases), cases,
  };
  writeFileSync(join(dir, 'results.json'), JSON.stringify(result, null, 2));
  return result;
}

function syntheticTrace(testId: string, at: number, frames: number): TraceRecord[] {
  const records: TraceRecord[] = [];
  const base = { schemaVersion: '1.1', ocppVersion: '2.0.1', transport: 'json' as const, chargePointId: 'CS001' };
  const push = (offset: number, record: Omit<TraceRecord, 'schemaVersion' | 'timestamp' | 'transport' | 'meta'>, meta: Partial<TraceRecord['meta']> = {}) => {
    records.push({ ...base, ...record, timestamp: new Date(at + offset).toISOString(), meta: { monotonicMs: offset, connectionId: 'c1', testId, stepId: '2', ...meta } } as TraceRecord);
  };
  push(0, { direction: 'cp-to-csms', messageType: 'EVENT' }, {
    event: {
      kind: 'ws-open',
      handshake: {
        url: '/ocpp/CS001', stationId: 'CS001', offeredSubprotocols: ['ocpp2.0.1'], subprotocol: 'ocpp2.0.1', responseStatus: 101,
        // A producer that forgot to redact: the report's own pass must catch it.
        requestHeaders: { host: '127.0.0.1:9000', authorization: `Basic ${LEAKED_CREDENTIAL}`, 'sec-websocket-protocol': 'ocpp2.0.1' },
        responseHeaders: { upgrade: 'websocket', 'sec-websocket-protocol': 'ocpp2.0.1' }, remoteAddress: '127.0.0.1',
      },
    },
  });
  let n = 1;
  while (records.length < frames - 1) {
    const id = `${testId}-${n}`;
    const remaining = frames - 1 - records.length;
    if (n % 25 === 0 && remaining >= 2) {
      push(n * 10, { direction: 'csms-to-cp', messageType: 'CALL', messageId: id, action: 'SetVariables', payload: { setVariableData: [{ attributeValue: 'x', component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }], basicAuthPassword: 'hunter2-secret' } });
      push(n * 10 + 5, { direction: 'cp-to-csms', messageType: 'CALLERROR', messageId: id, action: 'SetVariables', error: { code: 'NotSupported', description: 'no </script> here', details: {} } });
    } else if (n % 40 === 0) {
      push(n * 10, { direction: 'cp-to-csms', messageType: 'INVALID', raw: '[2,"broken",' }, { findings: [{ code: 'frame-invalid', severity: 'violation', message: 'not JSON: [2,"broken",', rule: 'OCPP-J 2.0.1 §4.2' }] });
    } else if (remaining >= 2) {
      push(n * 10, { direction: 'cp-to-csms', messageType: 'CALL', messageId: id, action: 'MeterValues', payload: meterValues(n) });
      push(n * 10 + 3, { direction: 'csms-to-cp', messageType: 'CALLRESULT', messageId: id, action: 'MeterValues', payload: {} });
    } else {
      push(n * 10, { direction: 'cp-to-csms', messageType: 'CALL', messageId: id, action: 'Heartbeat', payload: {} });
    }
    n++;
  }
  push(n * 10, { direction: 'csms-to-cp', messageType: 'EVENT' }, { event: { kind: 'ws-close', close: { code: 1000, reason: 'case over', initiatedBy: 'local' } } });
  return records;
}

function meterValues(n: number): unknown {
  return {
    evseId: 1,
    meterValue: [{
      timestamp: new Date(Date.parse('2026-03-02T08:00:00Z') + n * 1000).toISOString(),
      sampledValue: [
        { value: 1000 + n, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
        { value: 16.5, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } },
      ],
    }],
  };
}

/** Every verdict, for assertions over synthetic runs. */
export const ALL_VERDICTS = VERDICTS;

/** A composite-schedule comparison as the `compositeSchedule` assertion lays it out: a header and a row per stretch of time. */
export const SCHEDULE_TABLE = [
  'from   | to     | expected                                           | actual    |',
  '+0 s   | +95 s  | 7 A, 3 ph [TxDefaultProfile 141 (stack 1, EVSE 1)] | 6 A, 3 ph | ✗ 1 A below the expected limit (tolerance 0.1 A)',
  '+95 s  | +150 s | 9 A, 3 ph [TxDefaultProfile 141 (stack 1, EVSE 1)] | 8 A, 3 ph | ✗ 1 A below the expected limit (tolerance 0.1 A)',
  '+150 s | +350 s | 8 A, 3 ph [TxDefaultProfile 140 (stack 0, EVSE 1)] | 8 A, 3 ph | ok',
].join('\n');

/** A failed composite-schedule case: `base` with a failure that carries SCHEDULE_TABLE. */
export function scheduleFailure(base: CaseResult): CaseResult {
  const actual = 'from +0 s to +95 s: expected 7 A, actual 6 A: 1 A below the expected limit (tolerance 0.1 A)';
  return {
    ...base, id: 'TC_K_40_CS', verdict: 'fail', reason: `step 4 (assert): expected the composite schedule; actual: ${actual}`,
    failure: { step: '4', stepTitle: 'assert compositeSchedule', requirements: [{ id: 'K01.FR.17', text: 'stacking' }], expected: ['the composite schedule of the profiles the station accepted'], actual, table: SCHEDULE_TABLE },
  };
}
