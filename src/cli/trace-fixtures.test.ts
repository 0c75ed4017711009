import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Issue 13 acceptance: `trace` on the repository's fixture traces gives exactly the findings
// documented next to them (fixtures/traces/README.md), run as a user runs it.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
const folder = 'fixtures/traces';

interface DocumentedRun {
  file: string;
  flags: string[];
  /** `line code` pairs for exit 0 and 1; the stderr line after `FILE: ` for exit 2. */
  expected: string[];
  exit: number;
}

/** The rows of the fixture table: file, flags, what it holds, findings, exit. */
function documentedRuns(): DocumentedRun[] {
  const rows = readFileSync(`${root}${folder}/README.md`, 'utf8').split('\n').filter((line) => line.startsWith('| `'));
  return rows.map((row) => {
    const [file, flags, , findings, exit] = row.split('|').slice(1, -1).map((cell) => cell.trim());
    const quoted = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    return { file: quoted(file!)[0]!, flags: quoted(flags!).flatMap((flag) => flag.split(' ')), expected: quoted(findings!), exit: Number(exit) };
  });
}

function trace(file: string, flags: string[]) {
  const result = spawnSync(process.execPath, [main, 'trace', `${folder}/${file}`, ...flags, '--format', 'json'], { cwd: root, encoding: 'utf8', timeout: 15_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('trace on every fixture trace', () => {
  const runs = documentedRuns();

  it('documents every file of the fixture folder', () => {
    const files = readdirSync(`${root}${folder}`).filter((name) => name !== 'README.md').sort();
    expect([...new Set(runs.map((run) => run.file))].sort()).toEqual(files);
  });

  it.each(runs.map((run) => [`${run.file} ${run.flags.join(' ')}`.trim(), run] as const))('%s gives exactly the documented result', (_name, run) => {
    const outcome = trace(run.file, run.flags);
    expect(outcome.code).toBe(run.exit);
    if (run.exit === 2) {
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toBe(`${folder}/${run.file}: ${run.expected[0]}\n`);
      return;
    }
    const { findings } = JSON.parse(outcome.stdout) as { findings: Array<{ line: number; code: string }> };
    expect(findings.map((finding) => `${finding.line} ${finding.code}`)).toEqual(run.expected);
  }, 20_000);
});
