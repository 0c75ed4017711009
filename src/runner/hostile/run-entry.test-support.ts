import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceRecord } from '../../session/index.js';
import type { RunResult } from '../results.js';
import { CORPUS_CASES, type CorpusEntry, type PeerRole } from './corpus.test-support.js';
import { HostileCsms, HostileStation } from './hostile-peer.test-support.js';
import type { PeerReport } from './scripted-peer.test-support.js';

/** The old-space cap of the harness under test, in MB (see runEntry). */
const HEAP_CAP_MB = 128;

// Runs one corpus entry against the real harness: `ocpp-harness run` (dist/, built by `npm test`
// before the unit tests) in a child process of its own, so that its peak RSS is the harness's
// alone, while the hostile peer plays in this process.

const ROOT = new URL('../../../', import.meta.url).pathname;
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PEAK_RSS_LINE = /^peak-rss-kb (\d+)$/m;
// Loaded into the harness process before the CLI: its peak resident set size, reported as it exits.
const PEAK_RSS_PROBE = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\npeak-rss-kb "+process.resourceUsage().maxRSS+"\\n"))';

/** The station identity of every corpus run. */
export const CORPUS_STATION_ID = 'HOSTILE';

/**
 * The corpus's configuration: short timeouts, so that a whole run takes seconds, and one SUT kept
 * from case to case (betweenCases none), so that what the hostile case leaves behind reaches the next.
 */
export function corpusConfig(entry: CorpusEntry): Record<string, unknown> {
  const given = entry.config ?? {};
  return {
    ...given,
    stationId: CORPUS_STATION_ID,
    timeouts: { messageMs: 1500, longOperationMs: 3000, connectMs: 2500, ...(given['timeouts'] as object | undefined) },
    timing: { reconnectDelayS: 0, ...(given['timing'] as object | undefined) },
    betweenCases: { mode: 'none' },
  };
}

/** What one run of an entry gave. */
export interface EntryOutcome {
  /** The harness's exit code, or null when it was killed. */
  exitCode: number | null;
  /** The harness was still running at the entry's maxRunMs and was killed. */
  hung: boolean;
  runMs: number;
  /** From the console line of the last case to the harness's exit. */
  afterLastCaseMs: number | undefined;
  /** The harness's peak resident set size (MiB), from process.resourceUsage() at its exit. */
  peakRssMb: number | undefined;
  stdout: string;
  stderr: string;
  results: RunResult | undefined;
  /** Every record of every trace file of the run (cases and between cases). */
  records: TraceRecord[];
  peer: PeerReport;
}

/** Plays `entry` in `role` against `ocpp-harness run`; resolves when the harness has exited or was killed as hung. */
export async function runEntry(entry: CorpusEntry, role: PeerRole): Promise<EntryOutcome> {
  const out = mkdtempSync(join(tmpdir(), `oh-hostile-${entry.id}-`));
  const configFile = join(out, 'config.json');
  writeFileSync(configFile, JSON.stringify(corpusConfig(entry)));
  const waitMs = entry.maxRunMs;
  const csms = role === 'csms' ? new HostileCsms(entry, waitMs) : undefined;
  const target = csms ? ['--target', await csms.listen()] : ['--listen', '127.0.0.1:0'];
  // V8 grows its heap lazily: under a flood the same harness peaked at 176-300 MB RSS with its
  // heap free to grow, and at 145 MB with the heap capped at 96 MB. The bound is about what the
  // harness keeps, so the heap is capped: a harness that kept the flood would run out of memory.
  const args = [
    `--max-old-space-size=${HEAP_CAP_MB}`, '--import', PEAK_RSS_PROBE, MAIN, 'run', '--ocpp', '2.0.1', '--sut', role === 'station' ? 'cs' : 'csms', '--testcases', CORPUS_CASES,
    '--config', configFile, '--out', out, '--reporter', 'console,json', ...target,
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let lastCaseAt: number | undefined;
  let station: HostileStation | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (/OH_HOSTILE_02_/.test(chunk.toString())) lastCaseAt = performance.now();
    // The harness says where it listens: the station connects only then.
    const listening = /listens at (ws:\/\/\S+);/.exec(stdout);
    if (listening && !station) {
      station = new HostileStation(entry, listening[1]!, CORPUS_STATION_ID, waitMs);
      void station.play().catch((error: Error) => station?.report.problems.push(`station: ${error.message}`));
    }
  });
  let hung = false;
  const killer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, entry.maxRunMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  clearTimeout(killer);
  const ended = performance.now();
  const peer = station ?? csms;
  peer?.stop();
  const rss = PEAK_RSS_LINE.exec(stderr)?.[1];
  return {
    exitCode, hung, runMs: ended - started, afterLastCaseMs: lastCaseAt === undefined ? undefined : ended - lastCaseAt,
    peakRssMb: rss === undefined ? undefined : Number(rss) / 1024, stdout, stderr,
    results: existsSync(join(out, 'results.json')) ? JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult : undefined,
    records: readTraces(join(out, 'traces')),
    peer: peer?.report ?? { sent: [], sideLifetimesMs: [], problems: ['the harness never said where it listens'] },
  };
}

function readTraces(dir: string): TraceRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.jsonl')).flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as TraceRecord));
}
