import type { Command } from 'commander';
import { checkTestcases } from '../../api.js';
import { ExitCode } from '../exit-codes.js';

/** Registers `ocpp-harness check [PATHS]`. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('validate test-case files: schema, reusable states, actions, requirement ids, template variables')
    .argument('[paths...]', 'files or folders (default: all shipped test cases)')
    .option('--testcases <dir>', 'the test-case tree states are resolved in (default: the one shipped with the harness)')
    .addHelpText('after', '\nExit codes: 0 no problem, 1 problems found (one line each, file:line: field: problem).')
    .action((paths: string[], flags: { testcases?: string }) => {
      const { files, problems } = checkTestcases(paths, ...(flags.testcases ? [flags.testcases] : []));
      for (const problem of problems) process.stdout.write(`${problem}\n`);
      process.stdout.write(`${files} file(s) checked, ${problems.length} problem(s)\n`);
      process.exitCode = problems.length > 0 ? ExitCode.Violation : ExitCode.Ok;
    });
}
