#!/usr/bin/env node
// cli: flags in, exit codes out. Each command maps its flags to options and calls api.ts (trace: api/trace.ts).
import { Command } from 'commander';
import { reportFailure } from './failure.js';

// `ocpp-harness list | head` closes our stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

type Registration = (program: Command) => void;

/**
 * The command modules, in the order --help lists them, with the commands each registers. A
 * command named on the command line is the only one loaded: `trace` then never loads the
 * runner, the references and the reports (about 0.45 s of CPU, issue 14). Help, --version, a
 * mistyped command and anything else load them all.
 */
const COMMAND_MODULES: ReadonlyArray<{ names: readonly string[]; load: () => Promise<Registration> }> = [
  { names: ['run', 'list'], load: async () => (await import('./commands/run.js')).registerRunCommands },
  { names: ['check'], load: async () => (await import('./commands/check.js')).registerCheckCommand },
  { names: ['trace'], load: async () => (await import('./commands/trace.js')).registerTraceCommand },
  { names: ['report'], load: async () => (await import('./commands/report.js')).registerReportCommand },
  { names: ['selfcheck'], load: async () => (await import('./commands/self-check.js')).registerSelfCheckCommand },
  { names: ['simulate'], load: async () => (await import('./commands/simulate.js')).registerSimulateCommand },
  { names: ['schema'], load: async () => (await import('./commands/schema.js')).registerSchemaCommand },
  { names: ['init'], load: async () => (await import('./commands/init.js')).registerInitCommand },
  { names: ['certs'], load: async () => (await import('./commands/certs.js')).registerCertsCommand },
];

const program = new Command()
  .name('ocpp-harness')
  .description('OCPP conformance test harness: mock CSMS and mock charging station, verdicts with full message traces')
  // A usage mistake is one line (commander's own text spans two or three: the error, a "Did you
  // mean" suggestion, a help hint); subcommands inherit this.
  .configureOutput({ outputError: (text, write) => write(`${oneLine(text)} (run with --help for usage)\n`) })
  .exitOverride();

const args = process.argv.slice(2);
const named = args.includes('--version') || args.includes('-V') ? undefined : COMMAND_MODULES.find((module) => module.names.includes(args[0] ?? ''));
if (!named) program.version((await import('../api.js')).packageInfo().version);
for (const module of named ? [named] : COMMAND_MODULES) (await module.load())(program);

function oneLine(text: string): string {
  return text.trim().split(/\s*\n\s*/).join(' ');
}

// Commands throw; one mapper turns every error into its message and exit code (failure.ts).
try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportFailure(error);
}
