// `npm run fuzz [-- --seed N] [--seconds S] [--target frame,trace,testcase,config]`: the long fuzz
// run (issue 14). The tests run a small fixed budget with fixed seeds; this one runs each target
// for S seconds (default 60) with a random seed, printed first so that a run can be repeated.
// Every crash is printed and saved as a fixture under fixtures/fuzz/, which the tests replay
// (commit it with its fix). Exit code 1 when a crash was found.
import { parseArgs } from 'node:util';
import { runCampaign } from './campaign.js';
import { randomSeed } from './random.js';
import { FUZZ_TARGETS } from './targets.js';

function options() {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, seconds: { type: 'string', default: '60' }, target: { type: 'string' } } });
  const seed = values.seed === undefined ? randomSeed() : Number(values.seed);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error(`--seed must be an integer from 0 to ${0xffff_ffff}, is ${values.seed}`);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, is ${values.seconds}`);
  const names = values.target ? values.target.split(',').map((name) => name.trim()) : FUZZ_TARGETS.map((target) => target.name);
  const unknown = names.filter((name) => !FUZZ_TARGETS.some((target) => target.name === name));
  if (unknown.length > 0) throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${FUZZ_TARGETS.map((target) => target.name).join(', ')}`);
  return { seed, seconds, targets: FUZZ_TARGETS.filter((target) => names.includes(target.name)) };
}

async function main(): Promise<void> {
  const { seed, seconds, targets } = options();
  process.stdout.write(`fuzz: seed ${seed}, ${seconds} s per target (repeat with --seed ${seed})\n`);
  const crashes = await runCampaign({ targets, seed, budget: { ms: seconds * 1000 }, write: (text) => process.stdout.write(text) });
  process.exitCode = crashes === 0 ? 0 : 1;
}

await main();
