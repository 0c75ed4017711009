import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The CLI as a user runs it: the built entry point, a real process, real exit codes.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ocpp-harness CLI', () => {
  it('lists its commands', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/trace \[options\] <file>/);
    expect(run('trace', '--help').stdout).toMatch(/--ocpp <version>.*\n.*\n?.*--format <format>/s);
  });

  it('trace: exits 1 and names the three violations of the 1.6 fixture with their lines', () => {
    const { code, stdout } = run('trace', 'fixtures/traces/ocpp16-three-violations.jsonl');
    expect(code).toBe(1);
    expect(stdout.match(/^ {2}line \d+ \(record \d+\) {2}violation {2}[a-z-]+/gm)).toEqual([
      '  line 3 (record 2)  violation  schema-violation',
      '  line 5 (record 4)  violation  orphan-response',
      '  line 8 (record 7)  violation  unanswered-call',
    ]);
  });

  it('trace: exits 0 on a clean 2.0.1 trace, with JSON output on request', () => {
    const { code, stdout } = run('trace', 'fixtures/traces/ocpp201-clean.jsonl', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ versions: ['2.0.1'], findings: [] });
  });

  it('trace: reports every garbage line without crashing', () => {
    const { code, stdout, stderr } = run('trace', 'fixtures/traces/garbage.jsonl');
    expect(code).toBe(1);
    expect(stdout.match(/record-unreadable/g)).toHaveLength(7);
    expect(stderr).toBe('');
  });

  it('trace: exits 2 with one line when the file cannot be read, or a flag is wrong', () => {
    const missing = run('trace', 'no/such/file.jsonl');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('no/such/file.jsonl: cannot read the trace file: ENOENT');
    const badFlag = run('trace', 'x.jsonl', '--ocpp', '3.0');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/argument '3.0' is invalid. Allowed choices are 1.6, 2.0.1, 2.1/);
    expect(badFlag.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
