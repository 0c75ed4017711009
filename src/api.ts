// api: the entry points the CLI calls; other programs may call them too.
// May import: every layer below.
// Must never: print, read process.argv or exit; the CLI owns the terminal.
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { DEFAULT_CONFIG, applyOverrides, loadConfigFile, resolveConfig, type ConfigOverrides, type HarnessConfig } from './config/index.js';
import type { OcppVersion } from './protocol/index.js';
import { planRun, runSuite, type AdapterWorld, type Plan, type RunResult, type SuiteListener } from './runner/index.js';
import { checkCatalog, defaultTestcaseRoot, formatSourceProblem, loadCatalog, packageInfo, readPath, yamlFilesUnder, type Catalog, type Sut } from './testcase/index.js';

export { inspectTraceFile, TraceFileError, type InspectOptions, type TraceInspection, type PlacedFinding } from './inspect/index.js';
export { OCPP_VERSIONS, isOcppVersion, type OcppVersion } from './protocol/index.js';
export { ConfigError, configJsonSchemaText } from './config/index.js';
export { FaultSyntaxError, parseFault } from './reference/index.js';
export { TESTCASE_JSON_SCHEMA, packageInfo, writeScratchTree } from './testcase/index.js';
export { Session, MemoryTrace, JsonlTraceWriter, type TraceRecord } from './session/index.js';
export { OcppServer, connectAsStation } from './transport/index.js';
export { VERDICTS, hasFailures, type RunResult, type CaseResult, type Plan } from './runner/index.js';
export { createConsoleReporter } from './report/index.js';

/** The configuration of a run: the file (if any) with command-line overrides, and its hash for reports. */
export function loadRunConfig(configFile: string | undefined, overrides: ConfigOverrides, timeoutScale = 1): { config: HarnessConfig; hash: string } {
  const base = configFile ? loadConfigFile(configFile).config : resolveConfig({});
  let config = applyOverrides(base, overrides, 'command line');
  if (timeoutScale !== 1) {
    const t = config.timeouts;
    config = applyOverrides(config, { timeouts: { messageMs: t.messageMs * timeoutScale, longOperationMs: t.longOperationMs * timeoutScale, connectMs: t.connectMs * timeoutScale } }, '--timeout-scale');
  }
  const hash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
  return { config, hash };
}

/** Which cases a run would take. */
export interface PlanOptions {
  ocpp: OcppVersion;
  sut: Sut;
  modules: string[];
  patterns: string[];
  config: HarnessConfig;
  shard?: { index: number; total: number };
  testcaseRoot?: string;
}

/** Loads the test cases and applies the selection; problems in the files make it throw. */
export function planTests(options: PlanOptions): { plan: Plan; catalog: Catalog } {
  const catalog = loadCatalog(options.testcaseRoot ?? defaultTestcaseRoot());
  if (catalog.problems.length > 0) throw new TestcaseError(catalog.problems.map(formatSourceProblem));
  const plan = planRun(catalog.cases, {
    ocpp: options.ocpp, sut: options.sut, modules: options.modules, patterns: options.patterns, features: options.config.features,
    ...(options.shard ? { shard: options.shard } : {}),
  });
  return { plan, catalog };
}

/** Test-case files that do not load; run `ocpp-harness check` for every problem. */
export class TestcaseError extends Error {
  readonly code = 'OH_TESTCASE_INVALID';
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in the test-case files:\n${problems.join('\n')}`);
    this.name = 'TestcaseError';
  }
}

/** Options of a run beyond the plan. */
export interface RunOptions extends PlanOptions {
  configHash: string;
  outDir: string;
  listen?: { host: string; port: number };
  target?: string;
  workers: number;
  signal: AbortSignal;
  listener?: SuiteListener;
  world?: AdapterWorld;
}

/** Plans and runs the selected cases; results.json and traces/ are written to `outDir`. */
export async function runTests(options: RunOptions): Promise<RunResult> {
  const { plan, catalog } = planTests(options);
  return runSuite({
    ocpp: options.ocpp, sut: options.sut, plan, catalog, config: options.config, configHash: options.configHash,
    harness: { name: 'ocpp-harness', version: packageInfo().version }, outDir: options.outDir,
    ...(options.listen ? { listen: options.listen } : {}), ...(options.target ? { target: options.target } : {}),
    workers: options.workers, world: options.world ?? {}, signal: options.signal, ...(options.listener ? { listener: options.listener } : {}),
  });
}

/** Checks test-case files: shape, names, templates; returns `file:line: ...` problems of the files under `paths`. */
export function checkTestcases(paths: string[], root = defaultTestcaseRoot()): { files: number; problems: string[] } {
  const targets = (paths.length > 0 ? paths : [root]).map((path) => resolve(path));
  const inScope = (file: string) => targets.some((target) => !relative(target, resolve(file)).startsWith('..'));
  // States resolve against the whole tree; files given outside it are checked along with it.
  const outsideRoot = targets.filter((target) => relative(resolve(root), target).startsWith('..'));
  const catalog = loadCatalog(root, [...new Set([...yamlFilesUnder(root), ...outsideRoot.flatMap((target) => yamlFilesUnder(target))])]);
  const problems = [...catalog.problems, ...checkCatalog(catalog, { isConfigPath })].filter((problem) => inScope(problem.file));
  const files = [...catalog.sources.keys()].filter(inScope).length;
  return { files, problems: problems.map(formatSourceProblem) };
}

// A config path exists when the default configuration has it; maps under `background` and
// adapter tables are free-form.
function isConfigPath(path: string): boolean {
  if (/^(background|adapters)(\.|$)/.test(path)) return true;
  return readPath(DEFAULT_CONFIG, path).found;
}
