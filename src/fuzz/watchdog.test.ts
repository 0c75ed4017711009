import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCampaign } from './campaign.js';
import { fuzzTarget, inputsOf } from './fuzz.js';
import type { FuzzTarget } from './targets.js';
import { WatchedTarget } from './watchdog.js';

// Issue 14, the fuzzer's own robustness: an input that makes a target hang (an endless loop, a
// promise that never settles) is caught at the time limit, reported and saved, and the run goes on.

/**
 * A target that hangs on purpose, as plain JavaScript (the worker thread imports it): inputs at
 * `loop/` never leave a synchronous loop, those at `pending/` return a promise that never settles,
 * those at `throw/` throw a TypeError that names their bytes' length, so the test sees they ran.
 */
const HANGING_MODULE = `
export const hanging = {
  name: 'hanging',
  open: async () => undefined,
  close: async () => undefined,
  run(input) {
    if (input.place.startsWith('loop/')) for (;;);
    if (input.place.startsWith('pending/')) return new Promise(() => undefined);
    throw new TypeError('ran a throw input');
  },
};
`;

function hangingTarget(): FuzzTarget {
  const folder = mkdtempSync(join(tmpdir(), 'ocpp-harness-fuzz-hanging-'));
  const module = join(folder, 'hanging.mjs');
  writeFileSync(module, HANGING_MODULE);
  const inWorker = () => {
    throw new Error('the hanging target runs in a worker thread only');
  };
  return {
    name: 'hanging', module: pathToFileURL(module).href, syntaxOf: () => 'json',
    seeds: () => ['loop/a', 'pending/a', 'throw/a'].map((place) => ({ place, bytes: Buffer.from('[2,"1","Heartbeat",{}]') })),
    open: async () => undefined, close: async () => undefined, run: inWorker,
  };
}

const LIMIT_MS = 400;

describe('the fuzz watchdog', () => {
  it('catches an endless loop and a promise that never settles at the time limit, and goes on with the next input', async () => {
    const target = hangingTarget();
    const seed = 5;
    const budget = 9;
    const places = inputsOf(target, seed, budget).map((input) => input.place.split('/')[0]);
    // The seed gives each kind, and a throw input after a hanging one: it must run in a new worker.
    expect(places).toEqual(expect.arrayContaining(['loop', 'pending', 'throw']));
    const firstHang = places.findIndex((place) => place !== 'throw');
    expect(places.slice(firstHang)).toContain('throw');
    const started = performance.now();
    const report = await fuzzTarget(target, seed, { inputs: budget }, { inputLimitMs: LIMIT_MS });
    const hangs = places.filter((place) => place !== 'throw').length;
    expect(report.inputs).toBe(budget);
    expect(report.crashes.map((crash) => crash.signature).sort()).toEqual(['TypeError: ran a throw input', `hang: no result within ${LIMIT_MS} ms`]);
    expect(report.crashes.find((crash) => crash.signature.startsWith('hang'))?.input.place).toBe(inputsOf(target, seed, budget)[firstHang]!.place);
    // Each hang costs its time limit and a new worker (generous: a worker loads the harness, slowly on a loaded host), nothing more.
    expect(performance.now() - started).toBeGreaterThanOrEqual(hangs * LIMIT_MS);
    expect(performance.now() - started).toBeLessThan(hangs * LIMIT_MS + (hangs + 1) * 5_000);
  }, 60_000);

  it('runs one input at a time, in a fresh worker after a hang', async () => {
    const watched = new WatchedTarget(hangingTarget(), LIMIT_MS);
    try {
      const input = (place: string) => ({ place, bytes: Buffer.from('x') });
      expect((await watched.run(input('throw/a'))).crash?.signature).toBe('TypeError: ran a throw input');
      expect((await watched.run(input('pending/a'))).crash?.signature).toBe(`hang: no result within ${LIMIT_MS} ms`);
      expect((await watched.run(input('throw/b'))).crash?.input.place).toBe('throw/b');
      expect((await watched.run(input('loop/a'))).crash?.signature).toBe(`hang: no result within ${LIMIT_MS} ms`);
      expect((await watched.run(input('throw/c'))).crash?.signature).toBe('TypeError: ran a throw input');
    } finally {
      await watched.close();
    }
  }, 60_000);

  it('has npm run fuzz report the hang with its seed and save its input as a fixture', async () => {
    const fixtureRoot = mkdtempSync(join(tmpdir(), 'ocpp-harness-fuzz-fixtures-'));
    let output = '';
    const crashes = await runCampaign({ targets: [hangingTarget()], seed: 5, budget: { inputs: 9 }, inputLimitMs: LIMIT_MS, fixtureRoot, write: (text) => (output += text) });
    expect(crashes).toBe(2);
    const saved = /CRASH hanging: hang: no result within 400 ms\n {4}saved as (\S+) \((\d+) bytes\)/.exec(output);
    expect(saved, output).not.toBeNull();
    expect(existsSync(saved![1]!)).toBe(true);
    expect(readFileSync(saved![1]!).length).toBe(Number(saved![2]));
    expect(saved![1]).toMatch(/hanging\/(loop|pending)\/a\/[0-9a-f]{12}$/);
    expect(output).toContain('(seed 5)');
  }, 60_000);
});
