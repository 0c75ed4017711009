import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { countVerdicts, writeResultsFile, type RunResult } from '../runner/index.js';
import type { ReportedRunResult } from './json-reporter.js';

/** A shard folder that cannot be merged: missing or unreadable results.json, or runs that do not belong together. */
export class MergeError extends Error {
  readonly code = 'OH_MERGE';
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** What a merge produced: the combined result, and what a person should know about the inputs. */
export interface MergedRun {
  result: ReportedRunResult;
  /** Things that do not stop a merge but deserve a look, e.g. shards run with different configurations. */
  warnings: string[];
}

/**
 * Merges the output folders of shards (each with results.json and traces/) into `outDir`: the
 * traces are copied, the cases combined in id order (the order of an unsharded run), counts and
 * times recomputed, and results.json written. Reports are rendered by the caller.
 */
export function mergeRunOutputs(dirs: readonly string[], outDir: string): MergedRun {
  if (dirs.length === 0) throw new MergeError('report merge: name at least one shard folder');
  const runs = dirs.map((dir) => ({ dir, run: readRun(dir) }));
  const [first] = runs;
  const warnings: string[] = [];
  for (const { dir, run } of runs) {
    if (run.ocpp !== first!.run.ocpp || run.sut !== first!.run.sut) {
      throw new MergeError(`${dir}: a run of OCPP ${run.ocpp} sut ${run.sut} cannot be merged with ${first!.dir} (OCPP ${first!.run.ocpp} sut ${first!.run.sut})`);
    }
  }
  const owner = new Map<string, string>();
  for (const { dir, run } of runs) {
    for (const result of run.cases) {
      const other = owner.get(result.id);
      if (other !== undefined) throw new MergeError(`${dir}: case ${result.id} is also in ${other}; were the same shard's results given twice?`);
      owner.set(result.id, dir);
    }
  }
  const distinct = (values: Array<string | undefined>) => [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))];
  const hashes = distinct(runs.map(({ run }) => run.configHash));
  if (hashes.length > 1) warnings.push(`the shards ran with different configurations (config hashes ${hashes.join(', ')})`);
  const harness = distinct(runs.map(({ run }) => run.harness.version));
  if (harness.length > 1) warnings.push(`the shards ran different harness versions (${harness.join(', ')})`);
  const copied = new Set<string>();
  // A shard merged into its own folder goes first, so the others' traces never overwrite its own.
  const inPlace = (dir: string) => resolve(dir) === resolve(outDir);
  for (const { dir } of [...runs].sort((a, b) => Number(inPlace(b.dir)) - Number(inPlace(a.dir)))) copyTraces(dir, outDir, copied, warnings);
  const cases = runs.flatMap(({ run }) => run.cases).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const startedAt = runs.map(({ run }) => run.startedAt).sort()[0]!;
  const endedAt = runs.map(({ run }) => run.endedAt).sort().at(-1)!;
  const result: ReportedRunResult = {
    schemaVersion: 1, harness: first!.run.harness, ocpp: first!.run.ocpp, sut: first!.run.sut, target: distinct(runs.map(({ run }) => run.target)).join(', '),
    configHash: hashes.join(','), startedAt, endedAt, durationMs: Math.max(0, Date.parse(endedAt) - Date.parse(startedAt)),
    interrupted: runs.some(({ run }) => run.interrupted), counts: countVerdicts(cases), cases,
    findings: runs.flatMap(({ run }) => run.findings ?? []),
  };
  const identity = runs.find(({ run }) => run.sutIdentity)?.run.sutIdentity;
  if (identity) result.sutIdentity = identity;
  const suiteVersion = distinct(runs.map(({ run }) => run.suiteVersion));
  if (suiteVersion.length > 0) result.suiteVersion = suiteVersion.join(',');
  writeResultsFile(outDir, result);
  return { result, warnings };
}

function readRun(dir: string): ReportedRunResult {
  const path = join(dir, 'results.json');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new MergeError(`${path}: cannot read the shard's results: ${reason}`);
  }
  const run = value as Partial<RunResult>;
  if (run.schemaVersion !== 1 || !Array.isArray(run.cases)) throw new MergeError(`${path}: not an ocpp-harness results.json (schemaVersion 1 with cases)`);
  return run as ReportedRunResult;
}

// Case traces are named after their case and so never collide across shards; the traces of
// traffic between cases are named after the station and do, so a collision gets the shard's name.
// `copied` holds the names this merge wrote (a trace left from an earlier merge is overwritten).
function copyTraces(dir: string, outDir: string, copied: Set<string>, warnings: string[]): void {
  const from = join(dir, 'traces');
  const to = join(outDir, 'traces');
  if (!existsSync(from)) return;
  const inPlace = resolve(from) === resolve(to);
  mkdirSync(to, { recursive: true });
  const shard = resolve(dir).split(/[\\/]/).filter(Boolean).at(-1) ?? 'shard';
  for (const name of readdirSync(from)) {
    let target = name;
    if (copied.has(name)) {
      if (!name.startsWith('_')) {
        warnings.push(`traces/${name} is in more than one shard; kept the first`);
        continue;
      }
      target = name.replace(/\.jsonl$/, `.${shard}.jsonl`);
    }
    copied.add(target);
    if (!inPlace || target !== name) copyFileSync(join(from, name), join(to, target));
  }
}
