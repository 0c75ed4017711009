// Old against new: the trace inspector of another build (e.g. main's, before a speed change) and
// this one judge the same traces, and every difference is printed. A change that makes `trace`
// faster must not change a finding (issue 14).
//
//   node dist/bench/trace-differential.js --old OTHER/dist/src/inspect/index.js [--traces DIR]... [--mutants 40] [--seed 1] [--workers N [--range-bytes B]]
//
// With --workers N this build streams each file through N worker threads (trace-workers.ts), with
// --range-bytes B in ranges of B bytes (small ones make the worker and the main thread take turns).
// The traces: the fixtures (fixtures/traces, fixtures/fuzz/trace), every *.jsonl under each
// --traces folder (e.g. the traces/ of a `run --builtin`), and a small generated log; each also in
// --mutants damaged copies (the fuzzer's mutators: flipped bits, cut lines, repeated records,
// rewritten JSON nodes, odd text). Each file is judged whole (inspectTraceFile) and streamed
// (inspectTraceFileStreaming), by both builds. Exit 1 on any difference.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mutate } from '../src/fuzz/mutators.js';
import { Random } from '../src/fuzz/random.js';
import * as current from '../src/inspect/index.js';
import { writeTraceLog } from './trace-log.js';

type Inspect = Pick<typeof current, 'inspectTraceFile' | 'inspectTraceFileStreaming'>;
type Options = { input: 'trace' | 'frames'; version?: '1.6' | '2.0.1'; workers?: number; rangeBytes?: number };

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const FIXTURE_FOLDERS = ['fixtures/traces', 'fixtures/fuzz/trace'];

function jsonlUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(jsonl|log)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

// A frame log says no version: the fixtures name it (`ocpp16-...frames.jsonl`, `frames-1.6/`).
function optionsOf(path: string): Options {
  if (!/\.frames\.|\.log$/.test(path)) return { input: 'trace' };
  return { input: 'frames', version: /16|1\.6/.test(path) ? '1.6' : '2.0.1' };
}

/** What one build makes of a file: the whole inspection, or the error; then the streamed findings and counts. */
async function judge(build: Inspect, path: string, options: Options): Promise<string> {
  const whole = outcomeOf(() => build.inspectTraceFile(path, options));
  const findings: unknown[] = [];
  const views: unknown[] = [];
  let streamed: string;
  try {
    const summary = await build.inspectTraceFileStreaming(path, { finding: (finding) => findings.push(finding), line: (_line, view) => views.push(view) }, options);
    streamed = JSON.stringify({ summary, findings, views });
  } catch (error) {
    streamed = `throws ${(error as Error).name}: ${(error as Error).message}`;
  }
  return `${whole}\n${streamed}`;
}

function outcomeOf(run: () => unknown): string {
  try {
    return JSON.stringify(run());
  } catch (error) {
    return `throws ${(error as Error).name}: ${(error as Error).message}`;
  }
}

// The first place two outcomes part, with a little context.
function firstDifference(a: string, b: string): string {
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  return `old …${a.slice(Math.max(0, at - 80), at + 160)}…\n  new …${b.slice(Math.max(0, at - 80), at + 160)}…`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { old: { type: 'string' }, traces: { type: 'string', multiple: true }, mutants: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, 'range-bytes': { type: 'string' } } });
  const workers = Number(values.workers ?? 0);
  const rangeBytes = values['range-bytes'] === undefined ? undefined : Number(values['range-bytes']);
  if (!values.old) throw new Error('--old OTHER/dist/src/inspect/index.js is required');
  const old = (await import(resolve(values.old))) as Inspect;
  const mutants = Number(values.mutants ?? 40);
  const random = new Random(Number(values.seed ?? 1));
  const scratch = mkdtempSync(join(tmpdir(), 'ocpp-harness-trace-differential-'));
  try {
    const generated = join(scratch, 'generated.jsonl');
    await writeTraceLog(generated, 256 * 1024);
    const files = [...FIXTURE_FOLDERS.flatMap((folder) => jsonlUnder(join(ROOT, folder))), ...(values.traces ?? []).flatMap(jsonlUnder), generated];
    let judged = 0;
    let differences = 0;
    for (const file of files) {
      const options = optionsOf(file);
      const original = readFileSync(file);
      for (let copy = 0; copy <= mutants; copy++) {
        const path = join(scratch, `input${options.input === 'frames' ? '.frames' : ''}.jsonl`);
        writeFileSync(path, copy === 0 ? original : mutate(original, random, options.input === 'frames' ? 'frame-log' : 'jsonl'));
        const [before, after] = [await judge(old, path, options), await judge(current, path, { ...options, workers, ...(rangeBytes ? { rangeBytes } : {}) })];
        judged++;
        if (before === after) continue;
        differences++;
        const kept = join(scratch, `..`, `trace-differential-${differences}.jsonl`);
        writeFileSync(kept, readFileSync(path));
        process.stdout.write(`DIFFERENT: ${file}${copy > 0 ? ` (mutant ${copy}, kept as ${kept})` : ''}\n  ${firstDifference(before, after)}\n`);
      }
    }
    process.stdout.write(`${files.length} traces, ${judged} judged by both builds (seed ${random.seed}${workers > 0 ? `, this one with ${workers} worker threads` : ''}), ${differences} differences\n`);
    process.exitCode = differences > 0 ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
