#!/usr/bin/env node
// cli: flags in, exit codes out. Each command maps its flags to options and calls api.ts.
import { Command } from 'commander';
import { packageInfo } from '../api.js';
import { registerCertsCommand } from './commands/certs.js';
import { registerCheckCommand } from './commands/check.js';
import { registerInitCommand } from './commands/init.js';
import { registerReportCommand } from './commands/report.js';
import { registerRunCommands } from './commands/run.js';
import { registerSchemaCommand } from './commands/schema.js';
import { registerSelfCheckCommand } from './commands/self-check.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerTraceCommand } from './commands/trace.js';
import { reportFailure } from './failure.js';

// `ocpp-harness list | head` closes our stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command()
  .name('ocpp-harness')
  .description('OCPP conformance test harness: mock CSMS and mock charging station, verdicts with full message traces')
  .version(packageInfo().version)
  // A usage mistake is one line (commander's own text spans two or three: the error, a "Did you
  // mean" suggestion, a help hint); subcommands inherit this.
  .configureOutput({ outputError: (text, write) => write(`${oneLine(text)} (run with --help for usage)\n`) })
  .exitOverride();

registerRunCommands(program);
registerCheckCommand(program);
registerTraceCommand(program);
registerReportCommand(program);
registerSelfCheckCommand(program);
registerSimulateCommand(program);
registerSchemaCommand(program);
registerInitCommand(program);
registerCertsCommand(program);

function oneLine(text: string): string {
  return text.trim().split(/\s*\n\s*/).join(' ');
}

// Commands throw; one mapper turns every error into its message and exit code (failure.ts).
try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportFailure(error);
}
