import { CommanderError } from 'commander';
import { isHarnessError } from '../api/errors.js';
import { ExitCode } from './exit-codes.js';

/** What the terminal is told about a command that stopped: its stderr text and the exit code. */
export interface Failure {
  /** One line; a configuration or test-case error lists its problems on lines of their own. */
  message: string;
  exitCode: number;
  /** Commander printed the message itself (a wrong flag, --help, --version). */
  printed?: boolean;
}

/**
 * The one mapping from whatever a command throws to a message and an exit code: the harness's
 * own errors (an `OH_` code, a message written for the user), the operating system's (a file that
 * is not there, an address it cannot listen on), and commander's usage errors all exit 2 with no
 * stack trace. Anything else is a bug of the harness: one line, exit 3, the stack trace only with
 * OCPP_HARNESS_DEBUG=1.
 */
export function failureOf(error: unknown): Failure {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every usage error exits 2 (commander's own default is 1).
    return { message: '', exitCode: error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage, printed: true };
  }
  if (isHarnessError(error)) return { message: error.message, exitCode: ExitCode.Usage };
  const system = systemErrorMessage(error as NodeJS.ErrnoException);
  if (system) return { message: system, exitCode: ExitCode.Usage };
  const text = error instanceof Error ? error.message : String(error);
  return { message: `internal error: ${text} (a bug in ocpp-harness; OCPP_HARNESS_DEBUG=1 shows where)`, exitCode: ExitCode.Internal };
}

/** Writes the failure to stderr and sets the exit code; returns the code. */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  const failure = failureOf(error);
  if (!failure.printed) stderr.write(`${failure.message}\n`);
  if (failure.exitCode === ExitCode.Internal && process.env['OCPP_HARNESS_DEBUG'] && error instanceof Error) stderr.write(`${error.stack}\n`);
  process.exitCode = failure.exitCode;
  return failure.exitCode;
}

// What the system calls mean for the user: a path to fix, an address to choose.
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (is another program, or another run, listening there?)',
  EADDRNOTAVAIL: 'the address is not one of this host\'s (use one of its addresses, 127.0.0.1 or 0.0.0.0)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
};

function systemErrorMessage(error: NodeJS.ErrnoException | undefined): string | undefined {
  if (!(error instanceof Error) || typeof error.code !== 'string') return undefined;
  if (error.syscall === 'listen' || error.syscall === 'bind') {
    const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    const where = address === undefined ? '' : ` on ${address.includes(':') ? `[${address}]` : address}${port === undefined ? '' : `:${port}`}`;
    return `cannot listen${where}: ${LISTEN_PROBLEMS[error.code] ?? error.code}`;
  }
  const problem = FILE_PROBLEMS[error.code];
  if (problem && error.path) return `${error.path}: ${problem}`;
  return undefined;
}
