import { relative } from 'node:path';
import { FIXTURE_ROOT, saveFixture } from './fixtures.js';
import { fuzzTarget, minimize, type FuzzBudget } from './fuzz.js';
import type { FuzzTarget } from './targets.js';
import { INPUT_TIME_LIMIT_MS } from './watchdog.js';

/** A long fuzz run over several targets (`npm run fuzz`). */
export interface Campaign {
  targets: readonly FuzzTarget[];
  seed: number;
  /** Each target's budget (`npm run fuzz`: its seconds). */
  budget: FuzzBudget;
  /** Where crash inputs are saved (default the repository's fixtures/fuzz/). */
  fixtureRoot?: string;
  inputLimitMs?: number;
  /** Where the report lines go. */
  write(text: string): void;
}

/**
 * Fuzzes each target for its budget with one seed; each crash, shrunk unless it is a hang, is printed
 * with the place of its saved input, for the tests to replay. Returns how many crashes were found.
 */
export async function runCampaign(campaign: Campaign): Promise<number> {
  const { seed, write } = campaign;
  const inputLimitMs = campaign.inputLimitMs ?? INPUT_TIME_LIMIT_MS;
  let crashes = 0;
  for (const target of campaign.targets) {
    const report = await fuzzTarget(target, seed, campaign.budget, { inputLimitMs });
    for (const found of report.crashes) {
      const crash = await minimize(target, found, undefined, inputLimitMs);
      const path = relative(process.cwd(), saveFixture(target.name, crash.input, campaign.fixtureRoot ?? FIXTURE_ROOT));
      write(`  CRASH ${target.name}: ${crash.signature}\n    saved as ${path} (${crash.input.bytes.length} bytes)\n    ${crash.detail.split('\n').slice(1, 4).map((line) => line.trim()).join('\n    ')}\n`);
    }
    crashes += report.crashes.length;
    write(`${target.name}: ${report.inputs} inputs in ${(report.durationMs / 1000).toFixed(1)} s, slowest ${Math.round(report.slowestMs)} ms, ${report.crashes.length} crash(es)\n`);
  }
  write(`fuzz: ${crashes === 0 ? 'no crash' : `${crashes} crash(es), saved under ${relative(process.cwd(), campaign.fixtureRoot ?? FIXTURE_ROOT) || '.'}/`} (seed ${seed})\n`);
  return crashes;
}
