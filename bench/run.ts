// `npm run bench`: throughput of ocpp-harness, printed as one JSON document on stdout.
//
// Why: the harness must keep up with the stations and CSMSs it tests. The requirement is that,
// with schema validation and JSONL tracing ON (the defaults), the harness reaches at least 2x
// the sequential round-trip rate of ocpp-rpc (the reference OCPP-J library) in strict mode.
//
// What it measures, all in one process, on 127.0.0.1 only:
//  1. parseValidate: frames/s of parseFrame + checkPayload for a 1.6 MeterValues and a 2.0.1
//     TransactionEvent CALL (the per-frame work of the protocol layer).
//  2. roundTrips: sequential Heartbeat CALL -> CALLRESULT round trips/s on one connection for
//     the harness, for ocpp-rpc, and for bare `ws` sockets (the physical limit). Each driver has
//     a 0.5 s warm-up and a 3 s timed phase, run in 250 ms slices round-robin over the drivers
//     so that load from elsewhere on the machine cannot skew the harness/ocpp-rpc ratio.
//
//  3. traceThroughput: `ocpp-harness trace` on a generated log against reading + JSON.parse of the
//     same file, time and peak RSS of each as a child process (trace-throughput.ts). The log is
//     50 MiB by default; `--trace-mib 1024 --huge-frame-mib 200` gives the documented figures.
//     The two alternate `--trace-rounds` times (3); `--trace-threads N` also times `trace --threads N` (0: without workers).
//
// Options: `--only harness,ocppRpc` runs just the named parts (parseValidate, harness, ocppRpc,
// bareWs, traceThroughput), e.g. to profile one driver with `node --cpu-prof dist/bench/run.js --only harness`.
// BENCH_ONLY in the environment does the same. Two diagnostic drivers run only when named:
// harnessNoTrace (trace records discarded) and harnessNoTraceNoValidation (validation off too).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { bareWsDriver } from './drivers/bare-ws.js';
import type { Driver } from './drivers/driver.js';
import { harnessDriver, harnessNoTraceDriver, harnessNoTraceNoValidationDriver } from './drivers/harness.js';
import { ocppRpcDriver } from './drivers/ocpp-rpc.js';
import { progress, round, spread } from './measure.js';
import { benchParseValidate } from './parse-validate.js';
import { benchRoundTrips } from './round-trips.js';
import { benchTraceThroughput, type TraceBenchSettings } from './trace-throughput.js';

const PARSE_WARMUP_MS = 500;
const PARSE_DURATION_MS = 2_000;
const ROUND_TRIP_WARMUP_MS = 500;
const ROUND_TRIP_DURATION_MS = 3_000;
/** The timed phase runs in slices of this length, round-robin over the drivers (see round-trips.ts). */
const ROUND_TRIP_SLICE_MS = 250;
/** The requirement: harness round trips/s at least this multiple of ocpp-rpc's. */
const REQUIRED_RATIO = 2;

/** Round-trip drivers, in the order they run. Diagnostic ones run only when named with --only. */
const DRIVERS: readonly Driver[] = [harnessDriver, ocppRpcDriver, bareWsDriver, harnessNoTraceDriver, harnessNoTraceNoValidationDriver];
const DIAGNOSTIC_DRIVERS = new Set([harnessNoTraceDriver.name, harnessNoTraceNoValidationDriver.name]);
const PARTS = ['parseValidate', ...DRIVERS.map((driver) => driver.name), 'traceThroughput'];

/** The generated trace log's size by default: enough for a steady rate, small enough to stay quick. */
const DEFAULT_TRACE_MIB = 50;
const DEFAULT_HUGE_FRAME_MIB = 20;
/** Yardstick and trace alternate this many times by default; the ratio is the median of the rounds'. */
const DEFAULT_TRACE_ROUNDS = 3;

function options() {
  return parseArgs({
    options: {
      only: { type: 'string' }, 'trace-mib': { type: 'string' }, 'huge-frame-mib': { type: 'string' }, 'trace-html': { type: 'boolean' },
      'trace-rounds': { type: 'string' }, 'trace-threads': { type: 'string' },
    },
  }).values;
}

function traceSettings(): TraceBenchSettings {
  const values = options();
  return {
    logMiB: Number(values['trace-mib'] ?? DEFAULT_TRACE_MIB), hugeFrameMiB: Number(values['huge-frame-mib'] ?? DEFAULT_HUGE_FRAME_MIB), html: values['trace-html'] ?? false,
    rounds: Number(values['trace-rounds'] ?? DEFAULT_TRACE_ROUNDS), ...(values['trace-threads'] === undefined ? {} : { threads: Number(values['trace-threads']) }),
  };
}

/** The parts to run: all but the diagnostic ones, unless `--only` or BENCH_ONLY names some. */
function selectedParts(): Set<string> {
  const only = options().only ?? process.env['BENCH_ONLY'];
  if (!only) return new Set(PARTS.filter((part) => !DIAGNOSTIC_DRIVERS.has(part)));
  const names = only.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !PARTS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  return new Set(names);
}

function packageVersion(packageJsonPath: string | URL): string {
  return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
}

function metadata() {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cpuCores: cpuList.length,
    // This file runs as dist/bench/run.js; the project's package.json is two levels up.
    harnessVersion: packageVersion(new URL('../../package.json', import.meta.url)),
    ocppRpcVersion: packageVersion(createRequire(import.meta.url).resolve('ocpp-rpc/package.json')),
  };
}

async function runRoundTrips(parts: Set<string>) {
  const drivers = DRIVERS.filter((driver) => parts.has(driver.name));
  const settings = { warmupMs: ROUND_TRIP_WARMUP_MS, durationMs: ROUND_TRIP_DURATION_MS, sliceMs: ROUND_TRIP_SLICE_MS };
  const { results, sliceRates } = await benchRoundTrips(drivers, settings);
  const harness = results[harnessDriver.name];
  const ocppRpc = results[ocppRpcDriver.name];
  if (!harness || !ocppRpc) return results;
  const ratioHarnessToOcppRpc = round(harness.roundTripsPerSecond / ocppRpc.roundTripsPerSecond, 2);
  // Each round ran both drivers back to back, under the same conditions.
  const harnessSlices = sliceRates[harnessDriver.name]!;
  const ocppRpcSlices = sliceRates[ocppRpcDriver.name]!;
  const roundRatios = harnessSlices.map((rate, index) => round(rate / ocppRpcSlices[index]!, 2));
  return {
    ...results,
    ratioHarnessToOcppRpc,
    ratioHarnessToOcppRpcPerRound: spread(roundRatios, 2),
    requiredRatio: REQUIRED_RATIO,
    meetsRequirement: ratioHarnessToOcppRpc >= REQUIRED_RATIO,
  };
}

async function main(): Promise<void> {
  const parts = selectedParts();
  const report: Record<string, unknown> = {
    meta: metadata(),
    settings: {
      parseWarmupMs: PARSE_WARMUP_MS, parseDurationMs: PARSE_DURATION_MS,
      roundTripWarmupMs: ROUND_TRIP_WARMUP_MS, roundTripDurationMs: ROUND_TRIP_DURATION_MS, roundTripSliceMs: ROUND_TRIP_SLICE_MS,
      only: [...parts],
    },
  };
  if (parts.has('parseValidate')) report['parseValidate'] = benchParseValidate(PARSE_WARMUP_MS, PARSE_DURATION_MS);
  if (DRIVERS.some((driver) => parts.has(driver.name))) report['roundTrips'] = await runRoundTrips(parts);
  if (parts.has('traceThroughput')) report['traceThroughput'] = await benchTraceThroughput(traceSettings());
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
