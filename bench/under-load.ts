// `node dist/bench/under-load.js [--runs 3] [--busy 2] [--suites 2.0.1-cs,selfcheck] [--cases "TC_B_*"] [--keep]`:
// do verdicts hold on a loaded machine? (issue 14: one builtin station case failed with load
// average 5.6 on 2 cores and passed on a rerun; CI servers are loaded machines.)
//
// Each suite (`run --builtin` per version and role, and the self-check) runs once as a baseline
// without added load, then `--runs` times with `--busy` CPU-bound processes spinning beside it.
// Every case's verdict of every loaded run is compared with the baseline; the cases whose verdict
// moved are printed as a table, and the exit code is 1 when there is one (0 when all held).
// The machine may already be busy with other work: the baseline is "without our load", not quiet.
// `--keep` keeps each run's output folder (results.json, traces) to look into a changed verdict.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** The harness's CLI, built next to this file (dist/bench/under-load.js → dist/src/cli/main.js). */
const CLI = new URL('../src/cli/main.js', import.meta.url).pathname;

/** A suite: how to run it, and how to read each case's verdict from the run. */
interface Suite {
  name: string;
  args(outDir: string, cases: string[]): string[];
  verdicts(outDir: string, stdout: string): Map<string, string>;
}

function builtinSuite(ocpp: string, sut: 'cs' | 'csms'): Suite {
  return {
    name: `${ocpp}-${sut}`,
    args: (outDir, cases) => ['run', '--builtin', '--ocpp', ocpp, '--sut', sut, '--out', outDir, '--reporter', 'json', ...cases],
    verdicts(outDir) {
      const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as { cases: Array<{ id: string; verdict: string; reason?: string }> };
      return new Map(results.cases.map((result) => [result.id, result.reason ? `${result.verdict}: ${result.reason}` : result.verdict]));
    },
  };
}

/** The self-check prints one line per case: `ok    TC_B_01_CS       2.0.1  ...` or `FAIL  ...  <problem>`. */
const selfCheckSuite: Suite = {
  name: 'selfcheck',
  args: (outDir, cases) => ['selfcheck', '--out', outDir, ...cases],
  verdicts(_outDir, stdout) {
    const lines = stdout.split('\n').map((line) => /^(ok|FAIL)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line)).filter((match) => match !== null);
    return new Map(lines.map(([, status, id, ocpp, text]) => [`${id} ${ocpp}`, status === 'ok' ? 'ok' : `FAIL: ${text}`]));
  },
};

const SUITES: readonly Suite[] = [builtinSuite('2.0.1', 'cs'), builtinSuite('2.0.1', 'csms'), builtinSuite('1.6', 'cs'), builtinSuite('1.6', 'csms'), selfCheckSuite];

/** A verdict's kind, without its reason: a reason may name times that differ from run to run. */
function verdictKind(verdict: string | undefined): string {
  return verdict === undefined ? 'missing' : verdict.split(':')[0]!;
}

function options() {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '3' }, busy: { type: 'string', default: '2' }, suites: { type: 'string' }, cases: { type: 'string' }, keep: { type: 'boolean', default: false } },
  });
  const runs = Number(values.runs);
  const busy = Number(values.busy);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, is ${values.runs}`);
  if (!Number.isInteger(busy) || busy < 0) throw new Error(`--busy must be 0 or more, is ${values.busy}`);
  const names = values.suites ? values.suites.split(',').map((name) => name.trim()) : SUITES.map((suite) => suite.name);
  const unknown = names.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) throw new Error(`unknown suite(s) ${unknown.join(', ')}; known: ${SUITES.map((suite) => suite.name).join(', ')}`);
  const cases = values.cases ? values.cases.split(',').map((pattern) => pattern.trim()).filter(Boolean) : [];
  return { runs, busy, suites: SUITES.filter((suite) => names.includes(suite.name)), cases, keep: values.keep };
}

/** CPU-bound processes that spin until killed: the load a busy CI host puts beside a run. */
function startBusyProcesses(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

async function stopBusyProcesses(processes: ChildProcess[]): Promise<void> {
  await Promise.all(processes.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  })));
}

/** Runs the CLI and resolves with its stdout once it has exited (its exit code says nothing here: failing cases exit 1). */
function runCli(args: string[]): Promise<{ stdout: string; code: number | null; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code, seconds: (performance.now() - started) / 1000 }));
  });
}

interface Run {
  label: string;
  verdicts: Map<string, string>;
  seconds: number;
}

/** Runs a suite once; `keep` leaves its output folder (results, traces) in place and names it. */
async function runSuite(suite: Suite, cases: string[], busy: number, label: string, keep: boolean): Promise<Run> {
  const outDir = mkdtempSync(join(tmpdir(), `under-load-${suite.name}-`));
  const load = startBusyProcesses(busy);
  try {
    const { stdout, seconds } = await runCli(suite.args(outDir, cases));
    const verdicts = suite.verdicts(outDir, stdout);
    process.stderr.write(`${suite.name} ${label}: ${verdicts.size} cases in ${seconds.toFixed(1)} s${keep ? `, output in ${outDir}` : ''}\n`);
    return { label, verdicts, seconds };
  } finally {
    await stopBusyProcesses(load);
    if (!keep) rmSync(outDir, { recursive: true, force: true });
  }
}

/** A case whose verdict under load differs from the baseline in at least one run. */
interface Wobble {
  suite: string;
  id: string;
  baseline: string;
  loaded: string[];
}

function wobblesOf(suite: Suite, baseline: Run, loaded: Run[]): Wobble[] {
  const ids = new Set([...baseline.verdicts.keys(), ...loaded.flatMap((run) => [...run.verdicts.keys()])]);
  return [...ids].sort().flatMap((id) => {
    const base = baseline.verdicts.get(id);
    const under = loaded.map((run) => run.verdicts.get(id));
    if (under.every((verdict) => verdictKind(verdict) === verdictKind(base))) return [];
    return [{ suite: suite.name, id, baseline: base ?? 'missing', loaded: under.map((verdict) => verdict ?? 'missing') }];
  });
}

/** How many cases of a run had each verdict kind, e.g. "pass 95, fail 1". */
function countsOf(run: Run): string {
  const counts = new Map<string, number>();
  for (const verdict of run.verdicts.values()) counts.set(verdictKind(verdict), (counts.get(verdictKind(verdict)) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${kind} ${count}`).join(', ');
}

function printTable(wobbles: Wobble[], runs: number): void {
  if (wobbles.length === 0) return;
  const short = (verdict: string) => (verdict.length > 100 ? `${verdict.slice(0, 97)}...` : verdict);
  process.stdout.write(`\n| suite | case | baseline | ${Array.from({ length: runs }, (_, i) => `loaded ${i + 1}`).join(' | ')} |\n`);
  process.stdout.write(`|---|---|---|${'---|'.repeat(runs)}\n`);
  for (const wobble of wobbles) process.stdout.write(`| ${wobble.suite} | ${wobble.id} | ${short(wobble.baseline)} | ${wobble.loaded.map(short).join(' | ')} |\n`);
  // The table cuts long reasons; the whole of each changed verdict follows it.
  process.stdout.write('\nverdicts that changed, in full:\n');
  for (const wobble of wobbles) {
    wobble.loaded.forEach((verdict, run) => {
      if (verdictKind(verdict) !== verdictKind(wobble.baseline)) process.stdout.write(`- ${wobble.suite} ${wobble.id}, loaded run ${run + 1}: ${verdict}\n`);
    });
  }
}

async function main(): Promise<void> {
  const { runs, busy, suites, cases, keep } = options();
  const wobbles: Wobble[] = [];
  const summary: string[] = [];
  for (const suite of suites) {
    const baseline = await runSuite(suite, cases, 0, 'baseline', keep);
    const loaded: Run[] = [];
    for (let run = 1; run <= runs; run++) loaded.push(await runSuite(suite, cases, busy, `loaded run ${run}/${runs} (${busy} busy processes)`, keep));
    const found = wobblesOf(suite, baseline, loaded);
    wobbles.push(...found);
    const times = [baseline, ...loaded].map((run) => `${run.seconds.toFixed(0)} s`).join(', ');
    summary.push(`${suite.name}: ${baseline.verdicts.size} cases (baseline ${countsOf(baseline)}), ${found.length} wobbling (baseline, loaded: ${times})`);
  }
  printTable(wobbles, runs);
  process.stdout.write(`\n${summary.join('\n')}\nunder load: ${wobbles.length === 0 ? 'every verdict held' : `${wobbles.length} case(s) changed verdict`}\n`);
  process.exitCode = wobbles.length === 0 ? 0 : 1;
}

await main();
