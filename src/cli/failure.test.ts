import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError, TestcaseError } from '../api.js';
import { ExitCode } from './exit-codes.js';
import { failureOf } from './failure.js';
import { UsageError } from './usage-error.js';

const systemError = (code: string, fields: Record<string, unknown>) => Object.assign(new Error(`${code}: raw`), { code, ...fields });

describe('failureOf: the one mapping from an error to a message and an exit code', () => {
  it('the harness\'s own errors keep their message and exit 2', () => {
    expect(failureOf(new UsageError('--shard: expected I/N'))).toEqual({ message: '--shard: expected I/N', exitCode: ExitCode.Usage });
    expect(failureOf(new TestcaseError(['a.yaml:3: steps: problem']))).toMatchObject({ message: expect.stringContaining('a.yaml:3: steps: problem'), exitCode: ExitCode.Usage });
    expect(failureOf(new ConfigError([{ origin: 'lab.yaml', line: 4, field: 'security.profile', problem: 'must be one of 0, 1, 2, 3; got 4' }])).exitCode).toBe(ExitCode.Usage);
  });

  it('commander printed its own message: help and version exit 0, a wrong flag 2', () => {
    expect(failureOf(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ message: '', exitCode: ExitCode.Ok, printed: true });
    expect(failureOf(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({ message: '', exitCode: ExitCode.Usage, printed: true });
  });

  it('system errors name the path or the address and say what is wrong', () => {
    expect(failureOf(systemError('ENOENT', { syscall: 'scandir', path: '/no/dir' }))).toEqual({ message: '/no/dir: no such file or directory', exitCode: ExitCode.Usage });
    expect(failureOf(systemError('EADDRINUSE', { syscall: 'listen', address: '127.0.0.1', port: 9000 })).message).toBe('cannot listen on 127.0.0.1:9000: the address is already in use (is another program, or another run, listening there?)');
    expect(failureOf(systemError('EADDRNOTAVAIL', { syscall: 'listen', address: '::2', port: 9000 })).message).toMatch(/^cannot listen on \[::2\]:9000: the address is not one of this host's/);
    expect(failureOf(systemError('EACCES', { syscall: 'listen', address: '0.0.0.0', port: 80 })).message).toMatch(/permission denied \(ports below 1024/);
  });

  it('anything else is a bug of the harness: one line, exit 3', () => {
    const failure = failureOf(new TypeError('x is undefined'));
    expect(failure.exitCode).toBe(ExitCode.Internal);
    expect(failure.message).toBe('internal error: x is undefined (a bug in ocpp-harness; OCPP_HARNESS_DEBUG=1 shows where)');
    expect(failureOf('thrown text').message).toMatch(/^internal error: thrown text/);
  });
});
