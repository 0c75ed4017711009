// The harness itself: a CSMS session and a station session over a real loopback WebSocket, with
// schema validation and JSONL tracing on (the defaults), as a conformance run uses them.
// Two diagnostic variants (run only when named with --only) split the cost: traces discarded,
// and traces discarded with validation off.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlTraceWriter, openLoopbackPair, type TraceSink } from '../../src/session/index.js';
import { HEARTBEAT_ACTION, HEARTBEAT_RESPONSE, type Driver, type OpenDriver } from './driver.js';

/** The two sides' trace sinks, and how to close them and report what they wrote. */
interface Traces {
  cs: TraceSink;
  csms: TraceSink;
  close(): Record<string, number>;
}

function jsonlTraces(): Traces {
  const traceDir = mkdtempSync(join(tmpdir(), 'ocpp-harness-bench-'));
  const cs = new JsonlTraceWriter(join(traceDir, 'cs.jsonl'));
  const csms = new JsonlTraceWriter(join(traceDir, 'csms.jsonl'));
  return {
    cs, csms,
    close() {
      cs.close();
      csms.close();
      const traceBytes = statSync(cs.path).size + statSync(csms.path).size;
      rmSync(traceDir, { recursive: true, force: true });
      return { traceBytes };
    },
  };
}

function discardedTraces(): Traces {
  const discard: TraceSink = { write() {} };
  return { cs: discard, csms: discard, close: () => ({}) };
}

async function openHarness(traces: Traces, validate: boolean): Promise<OpenDriver> {
  let pair;
  try {
    pair = await openLoopbackPair({ version: '1.6', csTrace: traces.cs, csmsTrace: traces.csms, validate });
  } catch (error) {
    traces.close();
    throw error;
  }
  const { cs, csms } = pair;
  csms.setCallHandler(() => ({ payload: { ...HEARTBEAT_RESPONSE } }));
  return {
    async roundTrip() {
      const outcome = await cs.call(HEARTBEAT_ACTION, {});
      if (outcome.kind !== 'result' || outcome.problem) throw new Error(`harness: Heartbeat ended with ${JSON.stringify(outcome)}`);
    },
    async close() {
      try {
        await pair.close();
      } catch (error) {
        traces.close();
        throw error;
      }
      return traces.close();
    },
  };
}

export const harnessDriver: Driver = {
  name: 'harness',
  description: 'openLoopbackPair (ocpp1.6), validation on, JSONL traces of both sides on disk',
  open: () => openHarness(jsonlTraces(), true),
};

/** Diagnostic: as `harness`, but records are discarded instead of written (cost of the trace files). */
export const harnessNoTraceDriver: Driver = {
  name: 'harnessNoTrace',
  description: 'openLoopbackPair (ocpp1.6), validation on, trace records discarded',
  open: () => openHarness(discardedTraces(), true),
};

/** Diagnostic: records discarded and validation off (cost of the session machinery alone). */
export const harnessNoTraceNoValidationDriver: Driver = {
  name: 'harnessNoTraceNoValidation',
  description: 'openLoopbackPair (ocpp1.6), validation off, trace records discarded',
  open: () => openHarness(discardedTraces(), false),
};
