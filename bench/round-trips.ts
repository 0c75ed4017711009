// Benchmark 2: sequential CALL -> CALLRESULT round trips per second on one connection (one CALL
// outstanding at a time, as OCPP-J requires), the same Heartbeat workload for every driver.
//
// Every driver gets its own connection, a warm-up, and the same total timed phase. The timed
// phase is cut into short slices run round-robin (harness, ocppRpc, bareWs, harness, ...), so
// that a burst of load from elsewhere on the machine hits every driver alike instead of skewing
// the ratio between them; the per-slice spread is reported to show how noisy the machine was.
import type { Driver, OpenDriver } from './drivers/driver.js';
import { loopAsync, progress, round, spread } from './measure.js';

/** Timing of the round-trip benchmark. */
export interface RoundTripSettings {
  warmupMs: number;
  /** Timed phase per driver, summed over its slices. */
  durationMs: number;
  sliceMs: number;
}

/** The rate of one driver, with whatever extra figures it reports (e.g. trace bytes). */
export interface RoundTripResult {
  description: string;
  roundTrips: number;
  durationMs: number;
  roundTripsPerSecond: number;
  meanRoundTripUs: number;
  /** Round trips/s of the individual slices. */
  sliceRoundTripsPerSecond: { min: number; median: number; max: number };
  [extra: string]: unknown;
}

/** One driver under test: its open connection and what has been counted so far. */
interface Running {
  driver: Driver;
  open: OpenDriver;
  /** Every round trip made, warm-up and check included (to average the extra figures). */
  allRoundTrips: number;
  roundTrips: number;
  durationMs: number;
  sliceRates: number[];
}

/** Opens every driver, checks one round trip, warms each up, runs the slices, and closes them all. */
export async function benchRoundTrips(drivers: readonly Driver[], settings: RoundTripSettings): Promise<{ results: Record<string, RoundTripResult>; sliceRates: Record<string, number[]> }> {
  const running: Running[] = [];
  try {
    for (const driver of drivers) running.push(await start(driver, settings.warmupMs));
    await runSlices(running, settings);
  } catch (error) {
    await Promise.allSettled(running.map(({ open }) => open.close()));
    throw error;
  }
  const results: Record<string, RoundTripResult> = {};
  const sliceRates: Record<string, number[]> = {};
  for (const entry of running) {
    results[entry.driver.name] = summarize(entry, await entry.open.close());
    sliceRates[entry.driver.name] = entry.sliceRates;
  }
  return { results, sliceRates };
}

async function start(driver: Driver, warmupMs: number): Promise<Running> {
  progress(`roundTrips ${driver.name}: open, check one round trip, ${warmupMs} ms warm-up`);
  const open = await driver.open();
  const entry: Running = { driver, open, allRoundTrips: 0, roundTrips: 0, durationMs: 0, sliceRates: [] };
  try {
    await open.roundTrip();
    entry.allRoundTrips = 1 + (await loopAsync(() => open.roundTrip(), warmupMs)).operations;
  } catch (error) {
    await open.close().catch(() => undefined);
    throw error;
  }
  return entry;
}

async function runSlices(running: Running[], { durationMs, sliceMs }: RoundTripSettings): Promise<void> {
  const rounds = Math.max(1, Math.round(durationMs / sliceMs));
  progress(`roundTrips: ${rounds} rounds of ${sliceMs} ms per driver (${running.map((entry) => entry.driver.name).join(', ')})`);
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    // Rotate who goes first, so no driver always runs right after the same other one.
    for (let i = 0; i < running.length; i++) {
      const entry = running[(roundIndex + i) % running.length]!;
      const slice = await loopAsync(() => entry.open.roundTrip(), sliceMs);
      entry.roundTrips += slice.operations;
      entry.allRoundTrips += slice.operations;
      entry.durationMs += slice.durationMs;
      entry.sliceRates.push(slice.operationsPerSecond);
    }
  }
}

function summarize(entry: Running, extra: Record<string, number>): RoundTripResult {
  const perRoundTrip: Record<string, number> = {};
  for (const [name, value] of Object.entries(extra)) perRoundTrip[`${name}PerRoundTrip`] = Math.round(value / entry.allRoundTrips);
  return {
    description: entry.driver.description,
    roundTrips: entry.roundTrips,
    durationMs: round(entry.durationMs, 1),
    roundTripsPerSecond: Math.round((entry.roundTrips * 1000) / entry.durationMs),
    meanRoundTripUs: round((entry.durationMs * 1000) / entry.roundTrips, 1),
    sliceRoundTripsPerSecond: spread(entry.sliceRates),
    ...(Object.keys(extra).length > 0 ? { ...extra, roundTripsIncludingWarmup: entry.allRoundTrips, ...perRoundTrip } : {}),
  };
}
