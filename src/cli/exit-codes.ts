/** Process exit codes, in one place (aesthetics §6.6). */
export const ExitCode = {
  /** Everything as expected: no violation, no failed or errored case. */
  Ok: 0,
  /** The SUT or the trace broke a rule: a violation, a failed or errored case. */
  Violation: 1,
  /** Usage or configuration error, or an input that cannot be read at all. */
  Usage: 2,
  /** The harness itself broke (a bug to report): one line, the stack trace with OCPP_HARNESS_DEBUG=1. */
  Internal: 3,
  /** Interrupted by Ctrl-C or SIGTERM, after the reports were written. */
  Interrupted: 130,
} as const;
