// A generated trace log for the trace-throughput bench: the records a real 2.0.1 session writes
// (station CALLs with their CSMS answers: Heartbeat, StatusNotification, MeterValues,
// TransactionEvent), each with `raw` and its decomposed fields, until the file has the size asked.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const CHUNK_BYTES = 1024 * 1024;

/** One station CALL and its answer, numbered `n` (message id, seqNo, time). */
function exchange(n: number, startMs: number): Array<Record<string, unknown>> {
  const at = (offsetMs: number) => new Date(startMs + n * 1000 + offsetMs).toISOString();
  const id = `m-${n}`;
  const record = (direction: string, messageType: string, fields: Record<string, unknown>, offsetMs: number) => ({
    schemaVersion: '1.1', timestamp: at(offsetMs), ocppVersion: '2.0.1', transport: 'json', chargePointId: 'CS-BENCH', direction, messageType, messageId: id,
    ...fields, meta: { monotonicMs: n * 1000 + offsetMs, connectionId: 'c1' },
  });
  const call = (action: string, payload: unknown) => record('cp-to-csms', 'CALL', { action, payload, raw: JSON.stringify([2, id, action, payload]) }, 0);
  const result = (action: string, payload: unknown) => record('csms-to-cp', 'CALLRESULT', { action, payload, raw: JSON.stringify([3, id, payload]) }, 40);
  switch (n % 4) {
    case 0:
      return [call('Heartbeat', {}), result('Heartbeat', { currentTime: at(40) })];
    case 1:
      return [call('StatusNotification', { timestamp: at(0), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 }), result('StatusNotification', {})];
    case 2: {
      const sampledValue = [
        { value: 230.1, measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } },
        { value: 16.2, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } },
        { value: 1234.5 + n, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      ];
      return [call('MeterValues', { evseId: 1, meterValue: [{ timestamp: at(0), sampledValue }] }), result('MeterValues', {})];
    }
    default: {
      const payload = {
        eventType: 'Updated', timestamp: at(0), triggerReason: 'MeterValuePeriodic', seqNo: (n - 3) / 4 + 1,
        transactionInfo: { transactionId: 'T-BENCH', chargingState: 'Charging' }, evse: { id: 1, connectorId: 1 },
        meterValue: [{ timestamp: at(0), sampledValue: [{ value: 1234.5 + n, measurand: 'Energy.Active.Import.Register' }] }],
      };
      return [call('TransactionEvent', payload), result('TransactionEvent', {})];
    }
  }
}

/** Writes a trace log of at least `bytes` bytes to `path`; resolves with its record count and size. */
export async function writeTraceLog(path: string, bytes: number): Promise<{ records: number; bytes: number }> {
  const out = createWriteStream(path);
  const startMs = Date.parse('2026-11-21T00:00:00.000Z');
  let written = 0;
  let records = 0;
  let chunk = '';
  const add = (record: Record<string, unknown>) => {
    chunk += `${JSON.stringify(record)}\n`;
    records++;
  };
  for (let n = 0; written < bytes; n++) {
    for (const record of exchange(n, startMs)) add(record);
    if (chunk.length >= CHUNK_BYTES) {
      written += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  if (chunk.length > 0) {
    written += Buffer.byteLength(chunk);
    out.write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return { records, bytes: written };
}

/** Writes a trace whose one record holds a frame of `bytes` bytes (a DataTransfer with a long string), then a normal exchange. */
export async function writeHugeLineTrace(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const data = 'x'.repeat(bytes);
  const raw = `[2,"huge","DataTransfer",{"vendorId":"bench","data":"${data}"}]`;
  out.write(`{"schemaVersion":"1.1","timestamp":"2026-11-21T00:00:00.000Z","ocppVersion":"2.0.1","transport":"json","direction":"cp-to-csms","messageType":"CALL","messageId":"huge","action":"DataTransfer","raw":${JSON.stringify(raw)},"meta":{"monotonicMs":0}}\n`);
  out.write('{"schemaVersion":"1.1","timestamp":"2026-11-21T00:00:00.040Z","ocppVersion":"2.0.1","transport":"json","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"huge","raw":"[3,\\"huge\\",{\\"status\\":\\"Accepted\\"}]","meta":{"monotonicMs":40}}\n');
  out.end();
  await once(out, 'finish');
}
