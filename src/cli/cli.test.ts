import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';

// The CLI as a user runs it: the built entry point, a real process, real exit codes.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;

function run(...args: string[]) {
  // A command that runs on instead of exiting is killed after the timeout: status null, a signal.
  const result = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', timeout: 15_000 });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

// Each of these starts a CLI process; beside the other test files that takes longer than vitest's default 5 s.
const SPAWNING_TEST_MS = 20_000;

/** Exit 2 with exactly one line on stderr and no stack trace. */
function expectOneLineUsageError(outcome: ReturnType<typeof run>, line: RegExp): void {
  expect(outcome.signal).toBeNull();
  expect(outcome.code).toBe(2);
  expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(outcome.stderr.trimEnd()).toMatch(line);
  expect(outcome.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
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

  it('trace: reports every garbage line without crashing (5 in full, then one line for the rest, issue 14)', () => {
    const { code, stdout, stderr } = run('trace', 'fixtures/traces/garbage.jsonl');
    expect(code).toBe(1);
    expect(stdout).toMatch(/ 7 violations, /);
    expect(stdout.match(/record-unreadable/g)).toHaveLength(6);
    expect(stdout).toMatch(/line 9 \(record \d+\) {2}violation {2}record-unreadable: .* ×7 \(/);
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
    const badInput = run('trace', 'x.log', '--input', 'syslog');
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toMatch(/argument 'syslog' is invalid. Allowed choices are trace, frames/);
  });

  describe('one error mapper: every mistake is one line on stderr and exit 2', () => {
    it('a path that is not there: check, run --testcases, list --testcases', () => {
      expectOneLineUsageError(run('check', '/no/such/path'), /^\/no\/such\/path: no such file or directory$/);
      expectOneLineUsageError(run('run', '--testcases', '/no/such/dir'), /^\/no\/such\/dir: no such file or directory$/);
      expectOneLineUsageError(run('list', '--testcases', '/no/such/dir'), /^\/no\/such\/dir: no such file or directory$/);
    }, SPAWNING_TEST_MS);

    it('--listen on an address this host does not have (EADDRNOTAVAIL)', () => {
      // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this host.
      expectOneLineUsageError(run('run', '--listen', '192.0.2.1:9000', 'TC_B_01_CS', '--out', '/tmp/oh-cli-listen'), /^cannot listen on 192\.0\.2\.1\b.*: the address is not one of this host's/);
    }, SPAWNING_TEST_MS);

    it('--target that is not a ws:// or wss:// URL, for run and simulate', () => {
      for (const target of ['notaurl', 'http://127.0.0.1:9000/ocpp']) {
        expectOneLineUsageError(run('run', '--sut', 'csms', '--target', target), new RegExp(`^--target: expected a ws:// or wss:// URL, .*; got "${target.replace(/[./]/g, '\\$&')}"$`));
        expectOneLineUsageError(run('simulate', 'station', '--target', target), /^--target: expected a ws:\/\/ or wss:\/\/ URL/);
      }
    }, SPAWNING_TEST_MS);

    it('a selection that matches nothing, with a hint at the role when the id names the other one', () => {
      expectOneLineUsageError(run('run', '--builtin', 'TC_B_01_CSMS'), /^TC_B_01_CSMS is a CSMS case: add --sut csms$/);
      expectOneLineUsageError(run('list', '--sut', 'csms', 'TC_B_01_CS'), /^TC_B_01_CS is a charging-station case: add --sut cs$/);
      expectOneLineUsageError(run('run', '--builtin', 'NO_SUCH_CASE'), /^no test case matches NO_SUCH_CASE for OCPP 2\.0\.1, sut cs; \d+ excluded \(see ocpp-harness list\)$/);
    }, 3 * SPAWNING_TEST_MS);

    it('--fault takes one value, so the case ids after it stay case ids', () => {
      const listed = run('run', '--list', '--builtin', '--fault', 'skip:StatusNotification', 'TC_B_01_CS');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/: 1 selected\n  TC_B_01_CS /);
    }, SPAWNING_TEST_MS);

    it('simulate csms with --control or --listen on a port in use exits instead of running on', async () => {
      const held = await holdPort();
      try {
        expectOneLineUsageError(run('simulate', 'csms', '--listen', '127.0.0.1:0', '--control', `127.0.0.1:${held.port}`), new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${held.port}: the address is already in use`));
        expectOneLineUsageError(run('simulate', 'csms', '--listen', `127.0.0.1:${held.port}`, '--control', '127.0.0.1:0'), new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${held.port}: the address is already in use`));
      } finally {
        held.server.close();
      }
    }, SPAWNING_TEST_MS);
  });
});
