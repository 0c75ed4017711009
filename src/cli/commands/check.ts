import type { Command } from 'commander';
import { checkTestcases, measureTestcaseRepetition, type Repetition } from '../../api.js';
import { ExitCode } from '../exit-codes.js';

/** Registers `ocpp-harness check [PATHS]`. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('validate test-case files: schema, reusable states, actions, requirement ids, template variables')
    .argument('[paths...]', 'files or folders (default: all shipped test cases)')
    .option('--testcases <dir>', 'the test-case tree states are resolved in (default: the one shipped with the harness)')
    .option('--repetition', 'instead: measure how much of the files is copied (six-line runs shared between files) and list the most copied runs')
    .addHelpText('after', '\nExit codes: 0 no problem, 1 problems found (one line each, file:line: field: problem).')
    .action((paths: string[], flags: { testcases?: string; repetition?: boolean }) => {
      if (flags.repetition) return printRepetition(measureTestcaseRepetition(paths, ...(flags.testcases ? [flags.testcases] : [])));
      const { files, problems } = checkTestcases(paths, ...(flags.testcases ? [flags.testcases] : []));
      for (const problem of problems) process.stdout.write(`${problem}\n`);
      process.stdout.write(`${files} file(s) checked, ${problems.length} problem(s)\n`);
      process.exitCode = problems.length > 0 ? ExitCode.Violation : ExitCode.Ok;
    });
}

const LISTED_BLOCKS = 10;

function printRepetition(repetition: Repetition): void {
  // Overlapping windows of one copied run share their files; list each run once.
  const listed = new Set<string>();
  const runs = repetition.blocks.filter((block) => {
    const key = block.files.join('\n');
    if (listed.has(key)) return false;
    listed.add(key);
    return true;
  });
  for (const block of runs.slice(0, LISTED_BLOCKS)) {
    process.stdout.write(`in ${block.files.length} files (${block.files.slice(0, 3).join(', ')}${block.files.length > 3 ? ', ...' : ''}):\n${block.lines.map((line: string) => `  | ${line}`).join('\n')}\n`);
  }
  const percent = (100 * repetition.share).toFixed(1);
  process.stdout.write(`${repetition.files} file(s), ${repetition.lines} significant lines, ${repetition.repeatedLines} in six-line runs shared between files: ${percent} %\n`);
}
