import { Option, type Command } from 'commander';
import {
  DEFAULT_REPORTERS, FaultSyntaxError, OCPP_VERSIONS, REPORTER_NAMES, createReporters, hasFailures,
  loadRunConfig, multiplexReporters, parseFault, parseReporterList, planTests, runTests, type OcppVersion, type Plan,
} from '../../api.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError, makeOutDir, parseListen, parsePort, parsePositiveInteger, parsePositiveNumber, parseShard, parseTarget } from '../usage-error.js';

interface RunFlags {
  ocpp: OcppVersion;
  sut: 'cs' | 'csms';
  module?: string;
  config?: string;
  listen?: string;
  target?: string;
  stationId?: string;
  out: string;
  timeoutScale: number;
  workers?: number;
  shard?: string;
  list?: boolean;
  testcases?: string;
  builtin?: boolean;
  fault?: string[];
  reporter: string;
  pki?: string;
  betweenCases?: 'restore' | 'reset' | 'none';
  order: 'plan' | 'random';
  seed?: number;
  fileServerPort?: number;
}

/** Registers `ocpp-harness run` and `ocpp-harness list`. */
export function registerRunCommands(program: Command): void {
  const run = program.command('run').description('run test cases against a charging station (--sut cs) or a CSMS (--sut csms)');
  addSelectionOptions(run)
    .option('--listen <host:port>', 'sut cs: where the harness\'s CSMS listens (default 127.0.0.1:9000; with --builtin any free port)')
    .addOption(new Option('--target <url>', 'sut csms: the CSMS endpoint to connect to, ws:// or wss:// (the station id is appended)').argParser(parseTarget))
    .option('--station-id <id>', 'station identity (overrides the configuration)')
    .addOption(new Option('--file-server-port <port>', 'the port of the file server firmware and log cases use, on the --listen host (default: fileServer.port of the configuration, 0: any free port)').argParser(parsePort('--file-server-port')))
    .option('--out <dir>', 'where results.json, junit.xml, index.html and traces/ go', 'reports')
    .option('--reporter <list>', `reporters, comma-separated (${REPORTER_NAMES.join(', ')})`, DEFAULT_REPORTERS)
    .addOption(new Option('--timeout-scale <x>', 'multiply every timeout (debugging a slow SUT)').argParser(parsePositiveNumber('--timeout-scale', '2')).default(1))
    .addOption(new Option('--workers <n>', 'SUT instances at once, each with its own station id (default 1; with --builtin 4)').argParser(parsePositiveInteger('--workers', '4')))
    .option('--shard <i/n>', 'run only shard i of n (CI matrices)')
    .option('--list', 'print the selection and why each other case is excluded; connect to nothing')
    .option('--builtin', 'run against the built-in reference implementation of the other role, started in process')
    .option('--pki <dir>', 'keep the test PKI (roots, firmware signing, their keys) in this folder across runs, e.g. certs (see certs init); default: each run issues its own; either way <out>/certs gets the certificates, never a key')
    // One value per flag: a variadic option would swallow the case ids that follow it.
    .addOption(new Option('--fault <fault>', 'with --builtin: make the reference break the specification this way (e.g. skip:StatusNotification); repeat the flag for more').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .addOption(new Option('--between-cases <mode>', 'keep one SUT idle from case to case: restore (default) undoes each case, reset also resets the station, none leaves it; with --builtin the default is a fresh reference per case').choices(['restore', 'reset', 'none']))
    .addOption(new Option('--order <order>', 'case order: plan (by id) or random (shuffled; results stay in plan order)').choices(['plan', 'random']).default('plan'))
    .addOption(new Option('--seed <n>', 'with --order random: the shuffle seed (default: chosen and printed)').argParser(parsePositiveInteger('--seed', '42')))
    .addHelpText('after', '\nExit codes: 0 nothing failed or errored, 1 a case failed or errored, 2 usage or configuration error, a missing file or an address it cannot listen on, 3 a bug of the harness, 130 interrupted.\nExample: ocpp-harness run --ocpp 2.0.1 --sut cs --module core --config lab.yaml TC_B_*')
    .action((patterns: string[], flags: RunFlags) => (flags.list ? listCases(patterns, flags) : runCases(patterns, flags)));
  const list = program.command('list').description('print the selected test cases, with the reason for each exclusion');
  addSelectionOptions(list).option('--shard <i/n>', 'only shard i of n').action((patterns: string[], flags: RunFlags) => listCases(patterns, flags));
}

function addSelectionOptions(command: Command): Command {
  return command
    .argument('[cases...]', 'test case ids or globs, e.g. TC_B_01_CS or "TC_E_*"')
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(OCPP_VERSIONS).default('2.0.1'))
    .addOption(new Option('--sut <role>', 'what is tested: cs (a charging station) or csms').choices(['cs', 'csms']).default('cs'))
    .option('--module <list>', 'certification modules, comma-separated (core, advanced-security, ...)')
    .option('--config <file>', 'configuration file (YAML)')
    .option('--testcases <dir>', 'test-case folder (default: the one shipped with the harness)');
}

function prepare(patterns: string[], flags: RunFlags) {
  const { config, hash } = loadRunConfig(flags.config, {
    ...(flags.stationId !== undefined ? { stationId: flags.stationId } : {}), ocpp: flags.ocpp,
    ...(flags.fileServerPort !== undefined ? { fileServer: { port: flags.fileServerPort } } : {}),
  });
  const planOptions = {
    ocpp: flags.ocpp, sut: flags.sut, modules: flags.module ? flags.module.split(',').map((m) => m.trim()).filter(Boolean) : [], patterns, config,
    ...(flags.shard ? { shard: parseShard(flags.shard) } : {}), ...(flags.testcases ? { testcaseRoot: flags.testcases } : {}),
    ...(flags.builtin ? { reference: true } : {}),
  };
  return { config, hash, planOptions };
}

function listCases(patterns: string[], flags: RunFlags): void {
  const { planOptions } = prepare(patterns, flags);
  const { plan, catalog } = planTests(planOptions);
  refuseUnknownModules(planOptions.modules, catalog.cases);
  printPlan(plan, flags);
  refuseEmpty(plan, patterns, flags);
}

/** `--module` names a module no shipped case belongs to: a typo, not an empty selection. */
function refuseUnknownModules(modules: string[], cases: readonly { module: string }[]): void {
  const known = [...new Set(cases.map((testCase) => testCase.module))].sort();
  const unknown = modules.find((module) => !known.includes(module));
  if (unknown !== undefined) throw new UsageError(`--module: unknown module "${unknown}"; the test cases have ${known.join(', ')}`);
}

/** A selection that matches nothing is a usage mistake (exit 2), with a hint at the likely one. */
function refuseEmpty(plan: Plan, patterns: string[], flags: RunFlags): void {
  if (plan.cases.length > 0) return;
  const other = flags.sut === 'cs' ? 'csms' : 'cs';
  const wrongRole = patterns.find((pattern) => (other === 'csms' ? /_CSMS$/ : /_CS$/).test(pattern));
  if (wrongRole) throw new UsageError(`${wrongRole} is a ${other === 'csms' ? 'CSMS' : 'charging-station'} case: add --sut ${other}`);
  const what = patterns.length > 0 ? `matches ${patterns.join(' ')}` : 'is selected';
  const excluded = plan.excluded.length > 0 ? `; ${plan.excluded.length} excluded (see ocpp-harness list)` : '';
  throw new UsageError(`no test case ${what} for OCPP ${flags.ocpp}, sut ${flags.sut}${flags.module ? `, module ${flags.module}` : ''}${excluded}`);
}

function printPlan(plan: Plan, flags: RunFlags): void {
  const out = process.stdout;
  out.write(`OCPP ${flags.ocpp}, sut ${flags.sut}: ${plan.cases.length} selected\n`);
  for (const { testCase, notApplicable, asks } of plan.cases) {
    // Issue 16: what only the station can declare (1.6: its profiles and keys) is asked when the run starts.
    const note = notApplicable ? `  [not applicable: ${notApplicable}]` : asks ? `  [applies if the station declares ${asks.join(', ')}: asked when the run starts]` : '';
    out.write(`  ${testCase.id.padEnd(16)} ${testCase.module.padEnd(12)} ${testCase.title}${note}\n`);
  }
  if (plan.excluded.length > 0) out.write(`excluded (${plan.excluded.length}):\n`);
  for (const { id, reason } of plan.excluded) out.write(`  ${id.padEnd(16)} ${reason}\n`);
}

async function runCases(patterns: string[], flags: RunFlags): Promise<void> {
  if (flags.sut === 'csms' && !flags.target && !flags.builtin) throw new UsageError('--target: needed with --sut csms (or --builtin), e.g. --target ws://127.0.0.1:9000/ocpp');
  if (flags.fault && !flags.builtin) throw new UsageError('--fault: only with --builtin (the fault is injected into the built-in reference)');
  for (const fault of flags.fault ?? []) checkFault(fault);
  if (flags.seed !== undefined && flags.order !== 'random') throw new UsageError('--seed: only with --order random');
  const prepared = { ...prepare(patterns, flags), listen: parseListen(flags.listen ?? (flags.builtin ? '127.0.0.1:0' : '127.0.0.1:9000')) };
  const { plan, catalog } = planTests(prepared.planOptions);
  refuseUnknownModules(prepared.planOptions.modules, catalog.cases);
  refuseEmpty(plan, patterns, flags);
  makeOutDir(flags.out);
  const reporter = multiplexReporters(createReporters(parseReporterList(flags.reporter), flags.out, { output: process.stdout, ...(flags.testcases ? { testcaseRoot: flags.testcases } : {}) }), process.stderr);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.Interrupted);
    process.stderr.write(`\n${signal}: finishing the current case and writing results (press Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runTests({
      ...prepared.planOptions, configHash: prepared.hash, outDir: flags.out, listen: prepared.listen,
      ...(flags.target ? { target: flags.target } : {}), workers: flags.workers ?? (flags.builtin ? REFERENCE_WORKERS : 1), signal: controller.signal, listener: reporter,
      ...(flags.builtin ? { reference: true, faults: flags.fault ?? [] } : {}),
      ...(flags.pki ? { pkiDirectory: makeOutDir(flags.pki, '--pki') } : {}),
      ...(flags.betweenCases ? { betweenCases: flags.betweenCases } : {}),
      ...(flags.order === 'random' ? { shuffleSeed: flags.seed ?? randomSeed() } : {}),
      timeoutScale: flags.timeoutScale ?? 1,
    });
    await reporter.onRunEnd?.(result, flags.out);
    process.stdout.write(`results: ${flags.out}/results.json${reporter.failures.length > 0 ? ` (${reporter.failures.length} reporter(s) failed, see above)` : ''}\n`);
    process.exitCode = result.interrupted ? ExitCode.Interrupted : hasFailures(result.cases) ? ExitCode.Violation : ExitCode.Ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function randomSeed(): number {
  const seed = 1 + Math.floor(Math.random() * 1_000_000);
  process.stdout.write(`order: random, --seed ${seed}\n`);
  return seed;
}

// In-process references are cheap and each case gets a fresh one, so cases can run side by side;
// most of a case's time is the SUT's own intervals, not CPU.
const REFERENCE_WORKERS = 4;

function checkFault(text: string): void {
  try {
    parseFault(text);
  } catch (error) {
    if (error instanceof FaultSyntaxError) throw new UsageError(`--fault: ${error.message}`);
    throw error;
  }
}
