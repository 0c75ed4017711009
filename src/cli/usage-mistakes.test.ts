import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 15: every documented command, with a mistake in each kind of argument it takes (a path
// that is not there, an address not on this host, a malformed URL or one of the wrong scheme, a
// port in use or out of range, an unknown choice, a number that is no number), answers with
// exactly one line on stderr and exit 2. The built entry point runs as a user runs it.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;

/** Placeholders the rows use, filled in once the test holds a port and has a scratch folder. */
const HELD_PORT = '<held-port>';
const A_FILE = '<a-file>';
const OUT = '<out>';

interface Mistake {
  /** The command line after `ocpp-harness`. */
  args: string[];
  /** The one line stderr must hold. */
  line: RegExp;
}

// 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this host.
const NOT_THIS_HOST = '192.0.2.1';
const IN_USE = /^cannot listen on 127\.0\.0\.1:\d+: the address is already in use/;
const NOT_HOSTS = /^cannot listen on 192\.0\.2\.1(:\d+)?: the address is not one of this host's/;
const choiceOf = (flag: string) => new RegExp(`^error: option '${flag} <[a-z-]+>' argument '.*' is invalid\\. Allowed choices are .* \\(run with --help for usage\\)$`);
const MISSING = (path: string) => new RegExp(`^${path}: (no such file or directory|cannot read the [a-z' ]+: ENOENT)$`);

/** By command as `--help` names it: the mistakes, at least one per argument and per option that takes a value. */
const MISTAKES: Record<string, Mistake[]> = {
  run: [
    { args: ['run', 'NO_SUCH_CASE'], line: /^no test case matches NO_SUCH_CASE for OCPP 2\.0\.1, sut cs; \d+ excluded/ },
    { args: ['run', '--ocpp', '3.0'], line: choiceOf('--ocpp') },
    { args: ['run', '--sut', 'ev'], line: choiceOf('--sut') },
    { args: ['run', '--module', 'nosuch'], line: /^--module: unknown module "nosuch"; the test cases have .*\bcore\b/ },
    { args: ['run', '--config', '/no/such/lab.yaml'], line: MISSING('/no/such/lab\\.yaml') },
    { args: ['run', '--testcases', '/no/such/dir'], line: MISSING('/no/such/dir') },
    { args: ['run', '--testcases', A_FILE], line: /: not a folder nor a test-case file \(\.yaml, \.yml\)$/ },
    { args: ['run', '--listen', '127.0.0.1:70000'], line: /^--listen: expected HOST:PORT, .*; got "127\.0\.0\.1:70000"$/ },
    { args: ['run', '--listen', 'nohostport'], line: /^--listen: expected HOST:PORT/ },
    { args: ['run', '--listen', `${NOT_THIS_HOST}:9000`, 'TC_B_01_CS', '--out', OUT], line: NOT_HOSTS },
    { args: ['run', '--listen', `127.0.0.1:${HELD_PORT}`, 'TC_B_01_CS', '--out', OUT], line: IN_USE },
    { args: ['run', '--sut', 'csms', '--target', 'notaurl'], line: /^--target: expected a ws:\/\/ or wss:\/\/ URL, .*; got "notaurl"$/ },
    { args: ['run', '--sut', 'csms', '--target', 'http://127.0.0.1:9000/ocpp'], line: /^--target: expected a ws:\/\/ or wss:\/\/ URL/ },
    { args: ['run', '--file-server-port', 'http'], line: /^--file-server-port: expected a port from 0 \(any free one\) to 65535, .*; got "http"$/ },
    { args: ['run', '--file-server-port', '65536'], line: /^--file-server-port: expected a port .*; got "65536"$/ },
    // The file server starts first: a port in use stops the run before any case.
    { args: ['run', '--builtin', '--file-server-port', HELD_PORT, 'TC_B_01_CS', '--out', OUT], line: IN_USE },
    { args: ['run', '--station-id', '', '--builtin', 'TC_B_01_CS'], line: /stationId: must not be empty$/ },
    { args: ['run', '--builtin', 'TC_B_01_CS', '--out', A_FILE], line: /^--out: .* cannot be a folder: a file is in the way$/ },
    { args: ['run', '--reporter', 'console,pdf'], line: /^--reporter: unknown reporter "pdf"/ },
    { args: ['run', '--timeout-scale', 'fast'], line: /^--timeout-scale: expected a positive number, .*; got "fast"$/ },
    { args: ['run', '--workers', 'four'], line: /^--workers: expected a positive whole number, .*; got "four"$/ },
    { args: ['run', '--shard', '3/2'], line: /^--shard: expected I\/N/ },
    { args: ['run', '--builtin', '--fault', 'break:Everything'], line: /^--fault: fault "break:Everything": unknown/ },
    { args: ['run', '--builtin', 'TC_B_01_CS', '--pki', A_FILE], line: /^--pki: .* cannot be a folder: a file is in the way$/ },
    { args: ['run', '--between-cases', 'reboot'], line: choiceOf('--between-cases') },
    { args: ['run', '--order', 'alphabetical'], line: choiceOf('--order') },
    { args: ['run', '--order', 'random', '--seed', 'x'], line: /^--seed: expected a positive whole number, .*; got "x"$/ },
    { args: ['run', '--no-such-flag'], line: /^error: unknown option '--no-such-flag' \(run with --help for usage\)$/ },
  ],
  list: [
    { args: ['list', 'TC_B_01_CSMS'], line: /^TC_B_01_CSMS is a CSMS case: add --sut csms$/ },
    { args: ['list', '--ocpp', '1.5'], line: choiceOf('--ocpp') },
    { args: ['list', '--sut', 'ev'], line: choiceOf('--sut') },
    { args: ['list', '--module', 'cor'], line: /^--module: unknown module "cor"/ },
    { args: ['list', '--config', '/no/such/lab.yaml'], line: MISSING('/no/such/lab\\.yaml') },
    { args: ['list', '--testcases', '/no/such/dir'], line: MISSING('/no/such/dir') },
    { args: ['list', '--shard', 'one/two'], line: /^--shard: expected I\/N/ },
    // A flag of run that list does not take: commander's suggestion joins the same line.
    { args: ['list', '--out', 'x'], line: /^error: unknown option '--out' \(Did you mean --sut\?\) \(run with --help for usage\)$/ },
  ],
  check: [
    { args: ['check', '/no/such/path'], line: MISSING('/no/such/path') },
    { args: ['check', A_FILE], line: /: not a folder nor a test-case file/ },
    { args: ['check', '--testcases', '/no/such/dir'], line: MISSING('/no/such/dir') },
  ],
  trace: [
    { args: ['trace'], line: /^error: missing required argument 'file' \(run with --help for usage\)$/ },
    { args: ['trace', '/no/such/trace.jsonl'], line: MISSING('/no/such/trace\\.jsonl') },
    { args: ['trace', 'fixtures/traces/ocpp201-clean.jsonl', '--input', 'syslog'], line: choiceOf('--input') },
    { args: ['trace', 'fixtures/traces/ocpp201-clean.jsonl', '--ocpp', '3'], line: choiceOf('--ocpp') },
    { args: ['trace', 'fixtures/traces/ocpp201-clean.jsonl', '--format', 'pdf'], line: choiceOf('--format') },
    { args: ['trace', 'fixtures/traces/ocpp201-clean.jsonl', '--call-timeout', '30s'], line: /^--call-timeout: expected a positive whole number, .*; got "30s"$/ },
    { args: ['trace', 'fixtures/traces/ocpp201-clean.jsonl', '--max-line-bytes', 'lots'], line: /^--max-line-bytes: expected a positive whole number, .*; got "lots"$/ },
    { args: ['trace', 'fixtures/traces/ocpp201-clean.jsonl', '--threads', 'many'], line: /^--threads: expected a whole number from 0 to 16; got "many"$/ },
  ],
  'report merge': [
    { args: ['report', 'merge', '/no/such/shard', '--out', OUT], line: MISSING('/no/such/shard/results\\.json') },
    { args: ['report', 'merge', '/no/such/shard'], line: /^error: required option '--out <dir>' not specified \(run with --help for usage\)$/ },
    { args: ['report', 'merge', '/no/such/shard', '--out', A_FILE], line: /^--out: .* cannot be a folder: a file is in the way$/ },
    { args: ['report', 'merge', '/no/such/shard', '--out', OUT, '--reporter', 'pdf'], line: /^--reporter: unknown reporter "pdf"/ },
  ],
  selfcheck: [
    { args: ['selfcheck', 'NO_SUCH_CASE'], line: /^no test case matches NO_SUCH_CASE$/ },
    // One version per flag: the case id after it stays a case id.
    { args: ['selfcheck', '--ocpp', '2.0.1', 'NO_SUCH_CASE'], line: /^no test case matches NO_SUCH_CASE for OCPP 2\.0\.1$/ },
    { args: ['selfcheck', '--ocpp', '3.0'], line: /^--ocpp: expected one of 1\.6, 2\.0\.1, 2\.1; got "3\.0"$/ },
    { args: ['selfcheck', 'TC_B_01_CS', '--out', A_FILE], line: /^--out: .* cannot be a folder: a file is in the way$/ },
    { args: ['selfcheck', '--concurrency', 'many'], line: /^--concurrency: expected a positive whole number, .*; got "many"$/ },
    { args: ['selfcheck', '--testcases', '/no/such/dir'], line: MISSING('/no/such/dir') },
  ],
  simulate: [
    { args: ['simulate', 'ev'], line: /^error: command-argument value 'ev' is invalid for argument 'role'\. Allowed choices are station, csms\. \(run with --help for usage\)$/ },
    { args: ['simulate', 'csms', '--ocpp', '2.0'], line: choiceOf('--ocpp') },
    { args: ['simulate', 'station', '--target', 'notaurl'], line: /^--target: expected a ws:\/\/ or wss:\/\/ URL/ },
    { args: ['simulate', 'station', '--target', 'http://127.0.0.1:9000/ocpp'], line: /^--target: expected a ws:\/\/ or wss:\/\/ URL/ },
    { args: ['simulate', 'csms', '--listen', '127.0.0.1:0', '--control', `127.0.0.1:${HELD_PORT}`], line: IN_USE },
    { args: ['simulate', 'csms', '--listen', `127.0.0.1:${HELD_PORT}`, '--control', '127.0.0.1:0'], line: IN_USE },
    { args: ['simulate', 'csms', '--listen', `${NOT_THIS_HOST}:9000`, '--control', '127.0.0.1:0'], line: NOT_HOSTS },
    { args: ['simulate', 'csms', '--listen', '127.0.0.1:0', '--control', `${NOT_THIS_HOST}:9100`], line: NOT_HOSTS },
    { args: ['simulate', 'csms', '--control', '127.0.0.1:99999'], line: /^--control: expected HOST:PORT, .*; got "127\.0\.0\.1:99999"$/ },
    { args: ['simulate', 'csms', '--listen', 'localhost'], line: /^--listen: expected HOST:PORT/ },
    { args: ['simulate', 'csms', '--config', '/no/such/lab.yaml'], line: MISSING('/no/such/lab\\.yaml') },
    { args: ['simulate', 'csms', '--station-id', ''], line: /stationId: must not be empty$/ },
    { args: ['simulate', 'station', '--reboot-delay', '2s'], line: /^--reboot-delay: a whole number of milliseconds, not "2s"$/ },
    { args: ['simulate', 'csms', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--pki', A_FILE], line: /^--pki: .* cannot be a folder: a file is in the way$/ },
  ],
  init: [
    { args: ['init', '/no/such/dir/lab.yaml'], line: MISSING('/no/such/dir/lab\\.yaml') },
    // A lab's edited configuration is never overwritten without --force.
    { args: ['init', A_FILE], line: /README\.md: already there; --force overwrites it$/ },
    { args: ['init', join(tmpdir(), 'oh-never-written.yaml'), '--sut', 'ev'], line: choiceOf('--sut') },
    { args: ['init', join(tmpdir(), 'oh-never-written.yaml'), '--ocpp', '2'], line: choiceOf('--ocpp') },
  ],
  'certs init': [
    { args: ['certs', 'init', A_FILE], line: /^DIR: .* cannot be a folder: a file is in the way$/ },
    { args: ['certs', 'init', OUT, '--host', ''], line: /^--host: must not be empty$/ },
    { args: ['certs', 'init', OUT, '--station', ' '], line: /^--station: must not be empty$/ },
    { args: ['certs', 'init', OUT, '--operator'], line: /^error: option '--operator <name>' argument missing \(run with --help for usage\)$/ },
  ],
  'certs show': [
    { args: ['certs', 'show', '/no/such/dir'], line: MISSING('/no/such/dir') },
  ],
  'certs issue': [
    { args: ['certs', 'issue', 'ev', 'X'], line: /^error: command-argument value 'ev' is invalid for argument 'kind'\. Allowed choices are station, server\. \(run with --help for usage\)$/ },
    { args: ['certs', 'issue', 'station'], line: /^error: missing required argument 'names' \(run with --help for usage\)$/ },
    { args: ['certs', 'issue', 'station', 'X', '--dir', '/no/such/dir'], line: /^\/no\/such\/dir: no lab PKI there \(csmsRoot\.pem is missing\); create it with "ocpp-harness certs init \/no\/such\/dir"$/ },
    { args: ['certs', 'issue', 'station', 'X', '--key', 'dsa'], line: choiceOf('--key') },
    { args: ['certs', 'issue', 'station', 'X', '--operator', ''], line: /^--operator: must not be empty$/ },
  ],
  schema: [
    { args: ['schema'], line: /^error: missing required argument 'which' \(run with --help for usage\)$/ },
    { args: ['schema', 'results'], line: /^error: command-argument value 'results' is invalid for argument 'which'\. Allowed choices are testcase, config\. \(run with --help for usage\)$/ },
  ],
};

function help(...command: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [main, ...command, '--help'], { cwd: root, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** The commands `--help` lists (a command with subcommands, such as `report`, by each subcommand). */
async function commandsOfHelp(): Promise<string[]> {
  const namesIn = (text: string) => [...(text.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z-]+)\b/gm)].map((match) => match[1]!).filter((name) => name !== 'help');
  const names = namesIn(await help());
  const subcommands = await Promise.all(names.map(async (name) => namesIn(await help(name))));
  return names.flatMap((name, index) => (subcommands[index]!.length > 0 ? subcommands[index]!.map((subName) => `${name} ${subName}`) : [name]));
}

/** The options of a command that take a value, and its arguments, as `--help` lists them. */
async function valuesOfHelp(command: string): Promise<{ options: string[]; takesArguments: boolean }> {
  const text = await help(...command.split(' '));
  const options = [...text.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+) <[^>]+>/gm)].map((match) => match[1]!);
  return { options, takesArguments: /^Usage: \S+ .*[[<][a-z.]+[\]>]/m.test(text.split('\n')[0] ?? '') };
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runCli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    // A command that runs on instead of exiting is killed: status null, a signal, and the test says so.
    const child = spawn(process.execPath, [main, ...args], { cwd: root, timeout: 90_000, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

let held: Server;
let scratch: string;

beforeAll(async () => {
  held = createServer();
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  scratch = mkdtempSync(join(tmpdir(), 'oh-mistakes-'));
});

afterAll(() => new Promise<void>((resolve) => held.close(() => resolve())));

function filled(args: string[]): string[] {
  const port = String((held.address() as AddressInfo).port);
  // A file where a folder belongs: the package's own README.
  return args.map((arg) => arg.replace(HELD_PORT, port).replace(A_FILE, join(root, 'README.md')).replace(OUT, join(scratch, 'out')));
}

// Each row starts a CLI process; rows of one command run side by side, a few at a time.
const AT_ONCE = 4;

async function outcomesOf(rows: Mistake[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let start = 0; start < rows.length; start += AT_ONCE) {
    outcomes.push(...(await Promise.all(rows.slice(start, start + AT_ONCE).map((row) => runCli(filled(row.args))))));
  }
  return outcomes;
}

describe('every usage mistake is one line on stderr and exit 2', () => {
  it('covers every command of --help and of the README, every option that takes a value and every argument', async () => {
    const commands = await commandsOfHelp();
    expect(commands.sort()).toEqual(Object.keys(MISTAKES).sort());
    const readmeCommands = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^\| `ocpp-harness ([a-z]+(?: (?:merge|init|show|issue))?)\b/gm)].map((match) => match[1]!);
    for (const command of readmeCommands) expect(commands, `README command ${command}`).toContain(command);
    const helps = await Promise.all(commands.map(valuesOfHelp));
    for (const [index, command] of commands.entries()) {
      const { options, takesArguments } = helps[index]!;
      const flagsTried = new Set(MISTAKES[command]!.flatMap((row) => row.args.filter((arg) => arg.startsWith('--'))));
      for (const option of options) expect(flagsTried, `${command} ${option}`).toContain(option);
      // A mistake in the positional arguments: a row whose first word after the command is no flag, or that leaves a required one out.
      const words = command.split(' ').length;
      if (takesArguments) expect(MISTAKES[command]!.some((row) => row.args.length === words || !row.args[words]!.startsWith('--')), `${command} arguments`).toBe(true);
    }
  }, 60_000);

  for (const [command, rows] of Object.entries(MISTAKES)) {
    it(`${command}: ${rows.length} mistakes`, async () => {
      const outcomes = await outcomesOf(rows);
      rows.forEach((row, index) => {
        const outcome = outcomes[index]!;
        const label = `ocpp-harness ${filled(row.args).join(' ')}\nstderr: ${outcome.stderr}`;
        expect(outcome.signal, label).toBeNull();
        expect(outcome.code, label).toBe(2);
        expect(outcome.stderr.trimEnd().split('\n'), label).toHaveLength(1);
        expect(outcome.stderr.trimEnd(), label).toMatch(row.line);
      });
    }, 300_000);
  }
});
