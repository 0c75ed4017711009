import type { Command } from 'commander';
import { STREAM_REPORTER_NAMES, VERDICTS, hasFailures, mergeReports, parseReporterList } from '../../api.js';
import { ExitCode } from '../exit-codes.js';
import { makeOutDir } from '../usage-error.js';

interface MergeFlags {
  out: string;
  reporter: string;
}

/** Registers `ocpp-harness report merge DIR... --out DIR`. */
export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('build reports from run output folders (results.json + traces/)');
  report
    .command('merge')
    .description('merge the output folders of shards (run --shard I/N) into one: results.json, traces/, junit.xml, index.html')
    .argument('<dirs...>', 'the shards\' output folders (their --out)')
    .requiredOption('--out <dir>', 'where the merged results, traces and reports go')
    .option('--reporter <list>', 'reports to write, comma-separated: json, junit, html', 'json,junit,html')
    .addHelpText('after', '\nExit codes: 0 merged and nothing failed or errored, 1 merged and a case failed or errored, 2 a folder cannot be read, the runs do not belong together, or a report could not be written.\nExample: ocpp-harness report merge out/shard-1 out/shard-2 --out reports')
    .action((dirs: string[], flags: MergeFlags) => runMerge(dirs, flags));
}

async function runMerge(dirs: string[], flags: MergeFlags): Promise<void> {
  const reporters = parseReporterList(flags.reporter).filter((name) => !STREAM_REPORTER_NAMES.includes(name));
  const { result, warnings, reportFailures } = await mergeReports(dirs, makeOutDir(flags.out), { reporters, errors: process.stderr });
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const counts = VERDICTS.filter((verdict) => result.counts[verdict] > 0).map((verdict) => `${result.counts[verdict]} ${verdict}`);
  const files = ['results.json', ...reporters.filter((name) => name !== 'json').map((name) => (name === 'junit' ? 'junit.xml' : 'index.html'))];
  process.stdout.write(`merged ${dirs.length} folder${dirs.length === 1 ? '' : 's'}: ${result.cases.length} cases: ${counts.join(', ') || 'none'}\n${files.map((file) => `${flags.out}/${file}`).join('\n')}\n`);
  process.exitCode = reportFailures > 0 ? ExitCode.Usage : hasFailures(result.cases) ? ExitCode.Violation : ExitCode.Ok;
}
