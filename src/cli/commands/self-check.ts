import { Option, type Command } from 'commander';
import { OCPP_VERSIONS, loadRunConfig, selfCheck, type OcppVersion } from '../../api.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError, makeOutDir, parsePositiveInteger, repeatableChoice } from '../usage-error.js';

interface SelfCheckFlags {
  ocpp?: OcppVersion[];
  out: string;
  concurrency: number;
  testcases?: string;
}

/** Registers `ocpp-harness selfcheck`: every case must pass against the reference and fail under each of its faults. */
export function registerSelfCheckCommand(program: Command): void {
  program
    .command('selfcheck')
    .description('prove the test cases both ways: pass against the built-in references, fail under each listed fault')
    .argument('[cases...]', 'case ids or globs (default: all)')
    .addOption(new Option('--ocpp <version>', `a version to check, ${OCPP_VERSIONS.join(', ')}; repeat the flag for more (default: all)`).argParser(repeatableChoice('--ocpp', OCPP_VERSIONS)))
    .option('--out <dir>', 'where the runs\' results and traces go', 'reports/selfcheck')
    .addOption(new Option('--concurrency <n>', 'cases checked at once').argParser(parsePositiveInteger('--concurrency', '4')).default(4))
    .option('--testcases <dir>', 'test-case folder (default: the one shipped with the harness)')
    .action((patterns: string[], flags: SelfCheckFlags) => run(patterns, flags));
}

async function run(patterns: string[], flags: SelfCheckFlags): Promise<void> {
  const started = Date.now();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const { config } = loadRunConfig(undefined, {});
  makeOutDir(flags.out);
  const lines = await selfCheck({
    versions: flags.ocpp ?? [...OCPP_VERSIONS], patterns, config, outDir: flags.out, concurrency: flags.concurrency, signal: controller.signal,
    ...(flags.testcases ? { testcaseRoot: flags.testcases } : {}),
    onLine: (line) => {
      const faults = line.faults.map((fault) => fault.fault).join(', ');
      const variations = line.variations.map((variation) => variation.fault).join(', ');
      const text = line.ok ? `passes clean${variations ? ` and under ${variations}` : ''}, fails under ${faults}` : line.problem;
      process.stdout.write(`${line.ok ? 'ok  ' : 'FAIL'}  ${line.testCase.id.padEnd(16)} ${line.testCase.ocpp.padEnd(6)} ${text}\n`);
    },
  });
  if (lines.length === 0 && !controller.signal.aborted) {
    throw new UsageError(`no test case ${patterns.length > 0 ? `matches ${patterns.join(' ')}` : 'is there'}${flags.ocpp ? ` for OCPP ${flags.ocpp.join(', ')}` : ''}`);
  }
  const passed = lines.filter((line) => line.ok).length;
  const faults = lines.reduce((sum, line) => sum + line.faults.length + line.variations.length, 0);
  process.stdout.write(`\nself-check: ${passed} passed, ${lines.length - passed} failed (${lines.length} cases, ${faults} fault runs) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exitCode = passed === lines.length && !controller.signal.aborted ? ExitCode.Ok : ExitCode.Violation;
}
