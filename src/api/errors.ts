// api, the one question every command asks of an error it did not expect, in a module of its own
// so that a command that does not load api.ts (the CLI loads only the one it runs) can ask it too.

/**
 * True for the harness's own errors: each has an `OH_` code and a message written for the user
 * (a bad configuration, test case or trace file). The CLI prints them as one line and exits 2;
 * anything else that escapes a command is a bug of the harness.
 */
export function isHarnessError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('OH_');
}
