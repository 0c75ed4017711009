// Benchmark 2: sequential CALL -> CALLRESULT round trips per second on one connection (one CALL
// outstanding at a time, as OCPP-J requires), the same Heartbeat workload for every driver.
import type { Driver } from './drivers/driver.js';
import { measureAsync, progress, type Rate } from './measure.js';

/** The rate of one driver, with whatever extra figures it reports (e.g. trace bytes). */
export interface RoundTripResult {
  description: string;
  roundTrips: number;
  durationMs: number;
  roundTripsPerSecond: number;
  meanRoundTripUs: number;
  [extra: string]: number | string;
}

/** Opens the driver, checks one round trip, warms up, measures, and closes it again. */
export async function benchRoundTrips(driver: Driver, warmupMs: number, durationMs: number): Promise<RoundTripResult> {
  progress(`roundTrips ${driver.name}: ${warmupMs} ms warm-up, ${durationMs} ms timed`);
  const open = await driver.open();
  let allRoundTrips = 0;
  const countedRoundTrip = async () => {
    await open.roundTrip();
    allRoundTrips++;
  };
  let rate: Rate;
  try {
    await countedRoundTrip();
    rate = await measureAsync(countedRoundTrip, warmupMs, durationMs);
  } catch (error) {
    await open.close().catch(() => undefined);
    throw error;
  }
  const extra = await open.close();
  return {
    description: driver.description,
    roundTrips: rate.operations,
    durationMs: rate.durationMs,
    roundTripsPerSecond: rate.operationsPerSecond,
    meanRoundTripUs: Math.round((rate.durationMs * 1000) / rate.operations),
    ...extra,
    ...perRoundTrip(extra, allRoundTrips),
  };
}

/** Extra figures that grow with traffic (e.g. traceBytes), divided by every round trip made, warm-up included. */
function perRoundTrip(extra: Record<string, number>, allRoundTrips: number): Record<string, number> {
  const averages: Record<string, number> = { roundTripsIncludingWarmup: allRoundTrips };
  for (const [name, value] of Object.entries(extra)) averages[`${name}PerRoundTrip`] = Math.round(value / allRoundTrips);
  return Object.keys(extra).length > 0 ? averages : {};
}
