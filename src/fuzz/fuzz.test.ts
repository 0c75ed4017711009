import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesOf } from './fixtures.js';
import { tryInput } from './crash.js';
import { fuzzTarget, inputsOf } from './fuzz.js';
import { mutate } from './mutators.js';
import { Random } from './random.js';
import { FUZZ_TARGETS, configTarget, frameTarget, testcaseTarget, traceTarget, type FuzzTarget } from './targets.js';
import { WatchedTarget } from './watchdog.js';

// Issue 14, build item 5: a fixed, seeded budget per target on every `npm test` (the same inputs on
// every run: a failure here is reproducible with `npm run fuzz -- --seed <seed> --target <name>`,
// which also saves the input as a fixture), and every saved crash fixture replayed forever.

/** Inputs per target: each runs in a few seconds on the project's 2-core machine. */
const BUDGETS: Record<string, { seed: number; inputs: number }> = {
  frame: { seed: 14, inputs: 400 },
  trace: { seed: 14, inputs: 60 },
  testcase: { seed: 14, inputs: 20 },
  config: { seed: 14, inputs: 40 },
};

describe('the seeded generator', () => {
  it('gives the same sequence for the same seed, another for another seed', () => {
    const draw = (seed: number) => { const random = new Random(seed); return Array.from({ length: 8 }, () => random.below(1_000_000)); };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('mutates the same seed into the same inputs, and into something else than the seed', () => {
    const seed = Buffer.from('{"stationId":"CS001","evses":[{"id":1,"connectors":[{"id":1}]}]}');
    const run = () => { const random = new Random(3); return Array.from({ length: 20 }, () => mutate(seed, random, 'json').toString('base64')); };
    expect(run()).toEqual(run());
    expect(run().filter((input) => input !== seed.toString('base64')).length).toBeGreaterThan(15);
  });
});

describe('fuzzing with a fixed budget', () => {
  it.each(FUZZ_TARGETS.map((target) => [target.name, target] as const))('%s: no crash, no hang', async (name, target: FuzzTarget) => {
    const { seed, inputs } = BUDGETS[name]!;
    const report = await fuzzTarget(target, seed, { inputs });
    expect(report.inputs).toBe(inputs);
    expect(report.crashes.map((crash) => `${crash.signature} (input at ${crash.input.place}; npm run fuzz -- --seed ${seed} --target ${name} saves it)`)).toEqual([]);
  }, 120_000);

  it('has a seed corpus for every target, read from the repository', () => {
    for (const target of FUZZ_TARGETS) expect(target.seeds().length, target.name).toBeGreaterThan(2);
  });
});

describe('crash fixtures, replayed forever', () => {
  it.each(FUZZ_TARGETS.map((target) => [target.name, target] as const))('%s: every saved crash input is handled now', async (_name, target: FuzzTarget) => {
    // Under the watchdog: a saved hang fails here, it does not hang the tests.
    const watched = new WatchedTarget(target);
    try {
      for (const fixture of fixturesOf(target.name)) {
        const { crash } = await watched.run(fixture);
        expect(crash?.signature, fixture.path).toBeUndefined();
      }
    } finally {
      await watched.close();
    }
  }, 120_000);

  it('knows a crash when it sees one: a thrown TypeError counts, the harness\'s own error does not', async () => {
    const throwing: FuzzTarget = { ...frameTarget, name: 'probe', run: () => { throw new TypeError('x.replace is not a function'); } };
    expect((await tryInput(throwing, { place: '2.0.1/p', bytes: Buffer.from('') })).crash?.signature).toBe('TypeError: x.replace is not a function');
    await configTarget.open();
    try {
      expect((await tryInput(configTarget, { place: 'config.yaml', bytes: Buffer.from('evses: 7\n') })).crash).toBeUndefined();
    } finally {
      await configTarget.close();
    }
  });
});

/** The saved crash inputs of a target and the first fuzz inputs of a fixed seed, as files a user could pass. */
function cliInputs(target: FuzzTarget): Array<{ path: string; place: string }> {
  const folder = mkdtempSync(join(tmpdir(), `ocpp-harness-fuzz-cli-${target.name}-`));
  const fresh = inputsOf(target, 41, 2).map((input, index) => {
    const path = join(folder, input.place, String(index));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, input.bytes);
    return { path, place: input.place };
  });
  return [...fixturesOf(target.name), ...fresh];
}

// "Never a stack trace on the CLI": the saved inputs and a few fresh ones, run as a user runs them.
describe('the CLI on fuzz inputs', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const cli = (args: string[]) => spawnSync(process.execPath, [`${root}dist/src/cli/main.js`, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  const commands: Array<[FuzzTarget, (path: string, place: string) => string[]]> = [
    [traceTarget, (path, place) => ['trace', path, ...(place.startsWith('frames-') ? ['--input', 'frames', '--ocpp', place.split('/')[0]!.slice('frames-'.length)] : [])]],
    [configTarget, (path) => ['list', '--config', path]],
  ];
  it.each(commands.map(([target, args]) => [target.name, args] as const))('%s: exits 0, 1 or 2 with no stack trace', (name, args) => {
    for (const fixture of cliInputs(FUZZ_TARGETS.find((target) => target.name === name)!)) {
      const result = cli(args(fixture.path, fixture.place));
      expect([0, 1, 2], `${fixture.path}: exit ${result.status}, stderr ${result.stderr}`).toContain(result.status);
      expect(result.stderr, fixture.path).not.toMatch(/^\s+at /m);
    }
  }, 120_000);

  it('check: a test-case input is checked or refused in lines, with no stack trace', () => {
    for (const fixture of cliInputs(testcaseTarget)) {
      const result = cli(['check', fixture.path]);
      expect([0, 1, 2], `${fixture.path}: exit ${result.status}, stderr ${result.stderr}`).toContain(result.status);
      expect(result.stderr, fixture.path).not.toMatch(/^\s+at /m);
    }
  }, 120_000);
});
