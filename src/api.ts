// api: the entry points the CLI calls; other programs may call them too.
// May import: every layer below.
// Must never: print, read process.argv or exit; the CLI owns the terminal.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DEFAULT_CONFIG, applyOverrides, loadConfigFile, resolveConfig, type BetweenCasesMode, type ConfigOverrides, type HarnessConfig } from './config/index.js';
import { TestPki, openTestPki } from './pki/index.js';
import type { OcppVersion } from './protocol/index.js';
import { stationUrl } from './transport/index.js';
import { referenceStarter, connectionSecurity, stationSideSecurity, serverHosts, deliveredCertificates, loadTestcases, loopbackStationSettings, planRun, referenceCsmsTokens, configForReference, runSelfCheck, runSuite as runPlannedSuite, upgradedConfig, withEvses, type AdapterWorld, type Plan, type RunResult, type SelfCheckLine, type SuiteListener } from './runner/index.js';
import { ReferenceCsms, ReferenceStation, referenceFeatures, serveControl, type ReferenceControl } from './reference/index.js';
import { createFileReporters as fileReportersFor, mergeRunOutputs, multiplexReporters as multiplexOf, type ErrorSink as ReportErrorSink, type ReportedRunResult as MergedResult } from './report/index.js';
import { checkCatalog, defaultTestcaseRoot, formatSourceProblem, measureRepetition, packageInfo, readVariable, yamlFilesUnder, type Catalog, type Repetition, type Sut } from './testcase/index.js';

export {
  inspectTraceFile, inspectTraceFileStreaming, TraceFileError, TraceFormatError, TRACE_INPUTS, DEFAULT_MAX_LINE_BYTES,
  type TraceInput, type InspectOptions, type StreamInspectOptions, type InspectionSummary, type TraceInspection, type PlacedFinding,
} from './inspect/index.js';
export { OCPP_VERSIONS, countOccurrences, isOcppVersion, type OcppVersion } from './protocol/index.js';
export { ConfigError, configJsonSchemaText } from './config/index.js';
export { FaultSyntaxError, parseFault } from './reference/index.js';
export { packageInfo, writeScratchTree } from './testcase/index.js';
export { TESTCASE_JSON_SCHEMA } from './runner/index.js';
export { Session, MemoryTrace, JsonlTraceWriter, type TraceRecord } from './session/index.js';
export { OcppServer, connectAsStation } from './transport/index.js';
export { VERDICTS, hasFailures, labConfigTemplate, type RunResult, type CaseResult, type Plan, type SuiteListener } from './runner/index.js';
export type { Sut } from './testcase/index.js';
export type { HarnessConfig } from './config/index.js';
export { createConsoleReporter } from './report/index.js';
// `ocpp-harness certs`: a lab's test PKI in a folder (roots to install, server and station certificates, invalid variants).
export { DEFAULT_OPERATOR, describeLabPki, initLabPki, issueLabCertificate, type LabCertificateInfo, type LabFile } from './pki/index.js';

export { isHarnessError } from './api/errors.js';

/**
 * The configuration of a run: the file (if any) with command-line overrides, and its hash for
 * reports. Its timeouts are as configured; `--timeout-scale` is a run option (RunOptions.timeoutScale).
 */
export function loadRunConfig(configFile: string | undefined, overrides: ConfigOverrides): { config: HarnessConfig; hash: string } {
  const base = configFile ? loadConfigFile(configFile).config : resolveConfig({});
  const config = applyOverrides(base, overrides, 'command line');
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
  /** Run against the built-in reference implementation of the other role, started in process; its station layout fits every case. */
  reference?: boolean;
  /** How cases are kept apart on one SUT (default: the configuration's; with `reference` a fresh reference per case). */
  betweenCases?: BetweenCasesMode;
}

/** Loads the test cases and applies the selection; problems in the files make it throw. */
export function planTests(options: PlanOptions): { plan: Plan; catalog: Catalog } {
  const catalog = loadTestcases(options.testcaseRoot ?? defaultTestcaseRoot());
  if (catalog.problems.length > 0) throw new TestcaseError(catalog.problems.map(formatSourceProblem));
  // The built-in reference declares what it implements besides what the station tells over the wire.
  const features = options.reference ? [...new Set([...options.config.features, ...referenceFeatures(options.ocpp, options.sut)])] : options.config.features;
  const plan = planRun(catalog.cases, {
    ocpp: options.ocpp, sut: options.sut, modules: options.modules, patterns: options.patterns, features,
    // A fresh built-in reference per case is fitted to each; a kept one serves every case as configured.
    ...(options.reference && !options.betweenCases ? {} : { securityProfile: options.config.security.profile }),
    ...(options.reference ? {} : { evses: options.config.evses.length }), ...(options.shard ? { shard: options.shard } : {}),
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
  /** With `reference`: faults the reference injects (see docs/faults.md). */
  faults?: string[];
  /** Keep the test PKI in this directory across runs (see openTestPki); else each run issues its own. */
  pkiDirectory?: string;
  /** Run the cases in an order shuffled from this seed. */
  shuffleSeed?: number;
  /** `--timeout-scale`: multiplies every timeout, the configured ones and each step's (default 1). */
  timeoutScale?: number;
}

/** Plans and runs the selected cases; results.json and traces/ are written to `outDir`. */
export async function runTests(options: RunOptions): Promise<RunResult> {
  const { plan, catalog } = planTests(options);
  return runPlannedSuite({
    ocpp: options.ocpp, sut: options.sut, plan, catalog, config: options.reference ? configForReference(options.config) : options.config, configHash: options.configHash,
    harness: { name: 'ocpp-harness', version: packageInfo().version }, outDir: options.outDir,
    ...(options.listen ? { listen: options.listen } : {}), ...(options.target ? { target: options.target } : {}),
    workers: options.workers, world: options.world ?? {}, signal: options.signal, ...(options.listener ? { listener: options.listener } : {}),
    ...(options.reference ? { startReference: referenceStarter(options.faults ?? []) } : {}),
    ...(options.pkiDirectory ? { pki: openTestPki(options.pkiDirectory) } : {}),
    ...(options.betweenCases ? { betweenCases: options.betweenCases } : {}),
    ...(options.shuffleSeed !== undefined ? { shuffleSeed: options.shuffleSeed } : {}),
    ...(options.timeoutScale !== undefined ? { timeoutScale: options.timeoutScale } : {}),
  });
}

/** What `runSuite` is asked; everything left out takes the default of `ocpp-harness run`. */
export interface SuiteRequest {
  /** Default 2.0.1. */
  ocpp?: OcppVersion;
  /** What is tested: `cs` (default; the harness is the CSMS) or `csms` (the harness is the station). */
  sut?: Sut;
  /** Case ids or globs, e.g. `TC_B_01_CS` or `TC_E_*`; default every case of the version and role. */
  cases?: string[];
  /** Certification modules, e.g. `core`; default all. */
  modules?: string[];
  /** A lab configuration file (YAML), as `--config`. */
  configFile?: string;
  /** Against the built-in reference implementation of the other role, started in process (`--builtin`). */
  builtin?: boolean;
  /** sut cs: where the harness's CSMS listens (default 127.0.0.1:9000; built in: any free port). */
  listen?: { host: string; port: number };
  /** sut csms: the CSMS endpoint, ws:// or wss://. */
  target?: string;
  /** Where results.json and traces/ go (default `reports`). */
  outDir?: string;
  /** SUT instances at once (default 1; built in: 4). */
  workers?: number;
  /** Aborting it finishes the running case as `error` and skips the rest. */
  signal?: AbortSignal;
  /** Told of each case as it begins and ends. */
  listener?: SuiteListener;
}

/**
 * Runs a suite as `ocpp-harness run` does (`import { runSuite } from 'ocpp-harness'`): plans the
 * cases, runs them, writes results.json and traces/ to `outDir`, and returns the results.
 */
export async function runSuite(request: SuiteRequest = {}): Promise<RunResult> {
  const ocpp = request.ocpp ?? '2.0.1';
  const { config, hash } = loadRunConfig(request.configFile, { ocpp });
  return runTests({
    ocpp, sut: request.sut ?? 'cs', modules: request.modules ?? [], patterns: request.cases ?? [], config, configHash: hash,
    outDir: request.outDir ?? 'reports', listen: request.listen ?? { host: '127.0.0.1', port: request.builtin ? 0 : 9000 },
    ...(request.target ? { target: request.target } : {}), workers: request.workers ?? (request.builtin ? 4 : 1),
    signal: request.signal ?? new AbortController().signal, ...(request.listener ? { listener: request.listener } : {}),
    ...(request.builtin ? { reference: true } : {}),
  });
}

/** Proves the selected cases both ways against the references (see runSelfCheck). */
export async function selfCheck(options: { versions: OcppVersion[]; patterns: string[]; config: HarnessConfig; outDir: string; concurrency: number; signal: AbortSignal; onLine?(line: SelfCheckLine): void; testcaseRoot?: string }): Promise<SelfCheckLine[]> {
  const catalog = loadTestcases(options.testcaseRoot ?? defaultTestcaseRoot());
  if (catalog.problems.length > 0) throw new TestcaseError(catalog.problems.map(formatSourceProblem));
  const cases = catalog.cases.filter((testCase) => options.versions.includes(testCase.ocpp) && (options.patterns.length === 0 || planRun([testCase], { ocpp: testCase.ocpp, sut: testCase.sut, modules: [], patterns: options.patterns, features: testCase.features }).cases.length > 0));
  // Nothing selected: no test PKI to issue, no reference to start.
  if (cases.length === 0) return [];
  const config = applyOverrides(options.config, { features: [...new Set(cases.flatMap((testCase) => testCase.features))] }, 'self-check');
  return runSelfCheck({ catalog, cases, config, outDir: options.outDir, concurrency: options.concurrency, signal: options.signal, ...(options.onLine ? { onLine: options.onLine } : {}) });
}

/** A reference implementation running on its own, with its control API served over HTTP. */
export interface Simulation {
  /** Where stations connect (csms) or where the station connected (station). */
  url: string;
  /** A CSMS at security profile 1 or 2: where the stations it upgrades connect, one profile up (A05). */
  upgradeUrl?: string;
  controlUrl: string;
  control: ReferenceControl;
  stop(): Promise<void>;
}

/** Starts the reference station against a CSMS (`ocpp-harness simulate station`). */
export async function simulateStation(options: { ocpp: OcppVersion; target: string; config: HarnessConfig; control: { host: string; port: number }; pkiDirectory?: string }): Promise<Simulation> {
  const { config } = options;
  // With a kept PKI the station trusts the roots the harness's runs use (firmware, certificates)
  // and, at profile 3 without a configured client certificate, presents one its csmsRoot issued.
  const pki = options.pkiDirectory ? openTestPki(options.pkiDirectory) : undefined;
  const security = stationSideSecurity(config.security, config.stationId, pki);
  // The lab's CSMS root (security.csmsRootFile) is one the station was delivered with: it trusts exactly its installed roots (A00.FR.308).
  const labRoots = security.trustedRoots.server.flatMap(pemBlocks).map((pem) => ({ certificateType: 'CSMSRootCertificate', pem }));
  const certificates = [...(pki ? deliveredCertificates(pki) : []), ...labRoots];
  const station = new ReferenceStation({
    version: options.ocpp, endpoint: options.target, stationId: config.stationId, evses: config.evses, certificates, security,
    timing: { rebootDelayMs: config.simulate.rebootDelayMs }, ...loopbackStationSettings(options.ocpp),
  });
  const served = await startedTogether(() => station.start(), () => serveControl(station.control, options.control), () => station.stop());
  return { url: stationUrl(options.target, config.stationId), controlUrl: served.url, control: station.control, stop: async () => { await served.close(); await station.stop(); } };
}

/** The certificates of a PEM text, one PEM each. */
function pemBlocks(text: string): string[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => `${block}\n`);
}

/**
 * Starts the reference CSMS (`ocpp-harness simulate csms`). From security profile 2 it serves wss
 * with a server certificate of the test PKI kept in `pkiDirectory` (else one of its own), whose
 * csmsRoot the station must trust.
 */
export async function simulateCsms(options: { ocpp: OcppVersion; listen: { host: string; port: number }; config: HarnessConfig; control: { host: string; port: number }; pkiDirectory?: string }): Promise<Simulation> {
  const pki = options.pkiDirectory ? openTestPki(options.pkiDirectory) : new TestPki();
  const own = { pki, hosts: serverHosts(options.listen.host) };
  const security = connectionSecurity(options.config.security, own);
  // At profile 1 or 2 it also serves the profile above on a free port, for the upgrade cases (A05).
  const upgraded = upgradedConfig(options.config, '');
  const upgradeSecurity = upgraded ? { upgradeSecurity: connectionSecurity(upgraded.security, own) } : {};
  // It signs its stations' CSRs with the csmsRoot their connections chain to (A02, A03).
  const csms = new ReferenceCsms({
    version: options.ocpp, host: options.listen.host, port: options.listen.port, ...referenceCsmsTokens(options.config), security, ...upgradeSecurity,
    certificateAuthority: { issuer: () => pki.certificate('csmsRoot') },
  });
  let started: { url: string; upgradeUrl?: string } = { url: '' };
  const served = await startedTogether(async () => (started = await csms.start()), () => serveControl(csms.control, options.control), () => csms.stop());
  return { ...started, controlUrl: served.url, control: csms.control, stop: async () => { await served.close(); await csms.stop(); } };
}

/**
 * Starts a reference, then its control API; when either fails the reference is stopped before
 * the error goes on, so a simulation that cannot serve both does not run on half started.
 */
async function startedTogether<T>(startReference: () => Promise<unknown>, serve: () => Promise<T>, stopReference: () => Promise<void>): Promise<T> {
  try {
    await startReference();
    return await serve();
  } catch (error) {
    await stopReference().catch(() => undefined);
    throw error;
  }
}

/** Checks test-case files: shape, names, templates; returns `file:line: ...` problems of the files under `paths`. */
export function checkTestcases(paths: string[], root = defaultTestcaseRoot()): { files: number; problems: string[] } {
  const targets = (paths.length > 0 ? paths : [root]).map((path) => resolve(path));
  const inScope = (file: string) => targets.some((target) => !relative(target, resolve(file)).startsWith('..'));
  // States resolve against the whole tree; files given outside it are checked along with it.
  const outsideRoot = targets.filter((target) => relative(resolve(root), target).startsWith('..'));
  const catalog = loadTestcases(root, [...new Set([...yamlFilesUnder(root), ...outsideRoot.flatMap((target) => yamlFilesUnder(target))])]);
  const problems = [...catalog.problems, ...checkCatalog(catalog, { isConfigPath })].filter((problem) => inScope(problem.file));
  const files = [...catalog.sources.keys()].filter(inScope).length;
  return { files, problems: problems.map(formatSourceProblem) };
}

export type { Repetition };

/** The repeated-line share of the test-case files under `paths` (`check --repetition`). */
export function measureTestcaseRepetition(paths: string[], root = defaultTestcaseRoot()): Repetition {
  const files = [...new Set((paths.length > 0 ? paths : [root]).flatMap((path) => yamlFilesUnder(resolve(path))))];
  return measureRepetition(files.map((file) => ({ file: relative(process.cwd(), file), text: readFileSync(file, 'utf8') })));
}

// A config path exists when the default configuration, with the EVSEs the case needs, has it;
// maps under `background`, `adapters` and `tables` are free-form.
function isConfigPath(path: string, evses: number): boolean {
  if (/^(background|adapters|tables)(\.|$)/.test(path)) return true;
  return readVariable(withEvses(DEFAULT_CONFIG, evses), path).found;
}

// Reports for the CLI: reporters for `run --reporter`, shard merges, trace pages.
export {
  DEFAULT_REPORTERS, REPORTER_NAMES, STREAM_REPORTER_NAMES, RESULTS_JSON_SCHEMA, MergeError, ReporterNameError, createFileReporters, createReporters, multiplexReporters,
  parseReporterList, renderTraceFileHtml, writeTraceFileHtml, type ErrorSink, type MultiplexReporter, type ReportedRunResult, type Reporter, type ReporterName,
} from './report/index.js';

/**
 * Merges shard output folders (results.json + traces/) into `outDir` and writes the named reports
 * there (default json, junit, html). Throws MergeError when a folder cannot be read or the runs
 * do not belong together; a reporter that breaks is written to `errors` and counted in `reportFailures`.
 */
export async function mergeReports(dirs: string[], outDir: string, options: { reporters?: string[]; errors: ReportErrorSink; testcaseRoot?: string }): Promise<{ result: MergedResult; warnings: string[]; reportFailures: number }> {
  const merged = mergeRunOutputs(dirs, outDir);
  const reporters = multiplexOf(fileReportersFor(options.reporters ?? ['json', 'junit', 'html'], outDir, options.testcaseRoot ? { testcaseRoot: options.testcaseRoot } : {}), options.errors);
  await reporters.onRunEnd?.(merged.result, outDir);
  return { ...merged, reportFailures: reporters.failures.length };
}
