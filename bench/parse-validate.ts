// Benchmark 1: how many incoming CALL frames per second the protocol layer can parse and
// schema-check, the work the session does for every frame it receives.
import { checkPayload, parseFrame, type OcppVersion } from '../src/protocol/index.js';
import { measureSync, progress } from './measure.js';

/** A CALL frame as it arrives on the wire. */
interface SampleFrame {
  name: string;
  version: OcppVersion;
  action: string;
  text: string;
}

/** The rate for one sample frame. */
export interface ParseValidateResult {
  version: OcppVersion;
  action: string;
  frameBytes: number;
  frames: number;
  durationMs: number;
  framesPerSecond: number;
}

const TIMESTAMP = '2025-01-15T10:30:00.000Z';

function callFrame(messageId: string, action: string, payload: object): string {
  return JSON.stringify([2, messageId, action, payload]);
}

/** OCPP 1.6 MeterValues: one meter value with four sampled values (energy, power, current, voltage). */
function meterValues16(): SampleFrame {
  const sample = (value: string, measurand: string, unit: string) => ({ value, context: 'Sample.Periodic', measurand, unit });
  const payload = {
    connectorId: 1,
    transactionId: 4711,
    meterValue: [{
      timestamp: TIMESTAMP,
      sampledValue: [
        sample('12345.6', 'Energy.Active.Import.Register', 'Wh'),
        sample('7360', 'Power.Active.Import', 'W'),
        sample('32.0', 'Current.Import', 'A'),
        sample('230.1', 'Voltage', 'V'),
      ],
    }],
  };
  return { name: 'ocpp16MeterValues', version: '1.6', action: 'MeterValues', text: callFrame('c0a80101-0000-4000-8000-000000000001', 'MeterValues', payload) };
}

/** OCPP 2.0.1 TransactionEvent (Updated, periodic meter value with four sampled values). */
function transactionEvent201(): SampleFrame {
  const sample = (value: number, measurand: string, unit: string) => ({ value, context: 'Sample.Periodic', measurand, unitOfMeasure: { unit } });
  const payload = {
    eventType: 'Updated',
    timestamp: TIMESTAMP,
    triggerReason: 'MeterValuePeriodic',
    seqNo: 3,
    transactionInfo: { transactionId: 'TX-2025-0001', chargingState: 'Charging' },
    evse: { id: 1, connectorId: 1 },
    meterValue: [{
      timestamp: TIMESTAMP,
      sampledValue: [
        sample(12345.6, 'Energy.Active.Import.Register', 'Wh'),
        sample(7360, 'Power.Active.Import', 'W'),
        sample(32.0, 'Current.Import', 'A'),
        sample(230.1, 'Voltage', 'V'),
      ],
    }],
  };
  return { name: 'ocpp201TransactionEvent', version: '2.0.1', action: 'TransactionEvent', text: callFrame('c0a80101-0000-4000-8000-000000000002', 'TransactionEvent', payload) };
}

/** Parses and checks a frame once; throws when it is not a valid CALL (the bench would measure the error path). */
function assertValid(sample: SampleFrame): void {
  const parsed = parseFrame(sample.text, sample.version);
  if (!parsed.ok) throw new Error(`${sample.name}: frame does not parse: ${parsed.problem.description}`);
  if (parsed.frame.type !== 2) throw new Error(`${sample.name}: frame is not a CALL`);
  const problem = checkPayload(sample.version, sample.action, 'request', parsed.frame.payload);
  if (problem) throw new Error(`${sample.name}: payload is not valid: ${problem.description}`);
}

function parseAndCheck(sample: SampleFrame): void {
  const parsed = parseFrame(sample.text, sample.version);
  if (!parsed.ok || parsed.frame.type !== 2) throw new Error(`${sample.name}: frame stopped parsing`);
  if (checkPayload(sample.version, parsed.frame.action, 'request', parsed.frame.payload)) throw new Error(`${sample.name}: payload stopped validating`);
}

/** Measures both sample frames, after checking they are valid. */
export function benchParseValidate(warmupMs: number, durationMs: number): Record<string, ParseValidateResult> {
  const samples = [meterValues16(), transactionEvent201()];
  for (const sample of samples) assertValid(sample);
  const results: Record<string, ParseValidateResult> = {};
  for (const sample of samples) {
    progress(`parseValidate ${sample.name}: ${warmupMs} ms warm-up, ${durationMs} ms timed`);
    const rate = measureSync(() => parseAndCheck(sample), warmupMs, durationMs);
    results[sample.name] = {
      version: sample.version,
      action: sample.action,
      frameBytes: Buffer.byteLength(sample.text),
      frames: rate.operations,
      durationMs: rate.durationMs,
      framesPerSecond: rate.operationsPerSecond,
    };
  }
  return results;
}
