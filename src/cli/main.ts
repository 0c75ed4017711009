#!/usr/bin/env node
// cli: flags in, exit codes out. Each command maps its flags to options and calls api.ts.
import { Command, CommanderError } from 'commander';
import { registerTraceCommand } from './commands/trace.js';
import { ExitCode } from './exit-codes.js';
import { readPackageInfo } from './package-info.js';

const program = new Command()
  .name('ocpp-harness')
  .description('OCPP conformance test harness: mock CSMS and mock charging station, verdicts with full message traces')
  .version(readPackageInfo().version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerTraceCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Help and version exit 0; every usage error exits 2 (commander's own default is 1).
  process.exitCode = error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
}
