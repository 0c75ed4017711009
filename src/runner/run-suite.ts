import { join, relative, sep } from 'node:path';
import { backgroundRepliesFor, type BetweenCasesMode, type HarnessConfig } from '../config/index.js';
import { FindingGroups, directionFrom, type OcppVersion, type Payload } from '../protocol/index.js';
import { JsonlTraceWriter, TeeTrace } from '../session/index.js';
import { renderValue, type Catalog, type Sut, type TestCase } from '../testcase/index.js';
import { adapterFromConfig, type AdapterWorld } from './adapter-from-config.js';
import { answerAsBackground } from './answer-policy.js';
import type { AdapterRouter, ControlTarget } from './adapters/index.js';
import type { CaseEnvironment, StepBegin } from './case-environment.js';
import { harnessSideAgainst } from './harness-side.js';
import type { Plan } from './select.js';
import { CaseRecords } from './case-records.js';
import { countVerdicts, type CaseResult, type RunFinding, type RunResult, type SutIdentity } from './results.js';
import { writeResultsFile } from './results-file.js';
import { runCase } from './run-case.js';
import { SutLink, type PendingCall } from './sut-link.js';
import { TraceRouter } from './trace-router.js';
import { identityFrom } from './sut-identity.js';
import { startFileServer, type FileServer, type FileServerUrls } from './file-server.js';
import { TestPki } from '../pki/index.js';
import { fitCase, generatePassword, sameFit, withEvses } from './case-layout.js';
import { serverHosts, startCsmsServers, type CsmsServers } from './csms-servers.js';
import { REFERENCE_CSMS_HOST, connectionSecurity, type OwnCsms } from './connection-security.js';
import { usesTls, type ConnectionLimits, type ConnectionSecurity } from '../transport/index.js';
import { BetweenCases } from './between-cases/between-cases.js';
import { SutLedger } from './between-cases/sut-ledger.js';
import { emptyReport, type UpkeepReport } from './between-cases/upkeep-context.js';
import { shuffled } from './shuffle.js';
import { notRun, notStarted } from './not-run.js';
import { LaneDeclarations } from './station-declarations.js';
import { scaleTimeouts } from './timeouts.js';

/** A built-in reference implementation started for a lane (the `--builtin` mode). */
export interface RunningReference {
  control: ControlTarget;
  stop(): Promise<void>;
}

/** Starts the built-in reference of one lane: for sut cs it connects a station to `csmsUrl`; for sut csms it serves at a URL it returns. */
export type StartReference = (request: { stationId: string; csmsUrl?: string; ocpp: OcppVersion; config: HarnessConfig; security: ConnectionSecurity; pki: TestPki }) => Promise<RunningReference & { csmsUrl?: string }>;

/** Hooks a reporter gets while the run goes on. */
export interface SuiteListener {
  /**
   * Called once the transport is up: where the SUT connects (sut cs) or what the harness connects
   * to (sut csms); over TLS, the file with the root certificate the station must trust.
   */
  onRunBegin?(info: { sut: Sut; target: string; stationIds: string[]; cases: number; reference?: boolean; trustRoot?: string }): void;
  onCaseBegin?(testCase: TestCase, stationId: string): void;
  /** A step of a running case begins (live progress). */
  onStepBegin?(step: StepBegin & { caseId: string; stationId: string }): void;
  onCaseEnd?(result: CaseResult): void;
}

/** Everything a run needs. */
export interface SuiteOptions {
  ocpp: OcppVersion;
  sut: Sut;
  plan: Plan;
  catalog: Catalog;
  config: HarnessConfig;
  configHash: string;
  harness: { name: string; version: string };
  outDir: string;
  /** sut cs: where the harness's CSMS listens. */
  listen?: { host: string; port: number };
  /** sut csms: the CSMS endpoint. */
  target?: string;
  /** How many station lanes run side by side (`--workers`). */
  workers: number;
  world: AdapterWorld;
  startReference?: StartReference;
  signal: AbortSignal;
  listener?: SuiteListener;
  /** The test PKI; a run issues its own unless given one (the self-check shares one across runs). */
  pki?: TestPki;
  /**
   * How cases are kept apart: `fresh` starts the built-in reference anew for every case (the
   * default with `startReference`); the other modes keep one SUT per lane for the whole run and
   * restore or reset it between cases (default: the configuration's betweenCases.mode).
   */
  betweenCases?: 'fresh' | BetweenCasesMode;
  /** Run the cases in an order shuffled from this seed; results stay in plan order. */
  shuffleSeed?: number;
  /**
   * `--timeout-scale` (default 1): multiplies every timeout, those the harness waits for on its
   * own account and each step's (timeouts.ts); `config` holds the timeouts as configured.
   */
  timeoutScale?: number;
}

/** A run's options with the harness's own timeouts scaled, and the configured ones that steps scale themselves. */
interface ScaledSuite extends SuiteOptions {
  configuredTimeouts: HarnessConfig['timeouts'];
}

/**
 * What a run offers every case besides the SUT: its file server (each lane has its own part),
 * its test PKI, as templates see it, and (sut cs) the harness's CSMS servers.
 */
interface RunMaterials {
  fileServer: FileServer;
  pki: TestPki;
  pkiView: Record<string, unknown>;
  csms?: CsmsServers;
  /** Against the built-in reference: the Basic-auth password of cases fitted to a security profile the configuration lacks. */
  fitPassword: string;
  /** The security of connections made with a configuration (the configured one, or one fitted to a case). */
  securityOf(config: HarnessConfig): ConnectionSecurity;
}

/**
 * One station identity of the run (`--workers` gives how many run side by side): the harness's
 * link to the SUT under that identity, its trace routing and ledger, its adapter and, against the
 * built-in reference, the reference started for it. Cases of the shared queue run on a lane one
 * after another.
 */
interface StationLane {
  stationId: string;
  materials: RunMaterials;
  /** The lane's file server URLs (`files.*` in templates). */
  files: FileServerUrls;
  /** Resolves when the station has booted (or shown it is up) outside any case. */
  booted?: Promise<void>;
  markBooted?: () => void;
  link: SutLink;
  router: TraceRouter;
  /** What the wire says about the SUT's state, across cases. */
  ledger: SutLedger;
  /** Keeps the SUT idle from case to case (absent in `fresh` mode). */
  between?: BetweenCases;
  outside: JsonlTraceWriter;
  adapter: AdapterRouter;
  reference?: RunningReference;
  /** The configuration the built-in reference was started with (its station layout). */
  referenceConfig?: HarnessConfig;
  /** What the station declares of itself (OCPP 1.6: SupportedFeatureProfiles, its keys), asked once. */
  declarations: LaneDeclarations;
  busy: boolean;
}

/**
 * Runs the planned cases against the SUT: sets up the transport (a CSMS server, or connections
 * to the target CSMS), one station identity per lane, runs each case with its own trace file,
 * and writes results.json after every case so an interruption loses no finished result.
 */
export async function runSuite(given: SuiteOptions): Promise<RunResult> {
  const options: ScaledSuite = { ...given, config: scaleTimeouts(given.config, given.timeoutScale ?? 1), configuredTimeouts: given.config.timeouts };
  const startedAt = new Date();
  const result: RunResult = {
    schemaVersion: 1, harness: options.harness, ocpp: options.ocpp, sut: options.sut, target: '', configHash: options.configHash,
    startedAt: startedAt.toISOString(), endedAt: startedAt.toISOString(), durationMs: 0, interrupted: false, counts: countVerdicts([]), cases: [], findings: [],
  };
  const runnable = options.plan.cases.filter((planned) => !planned.notApplicable).map((planned) => planned.testCase);
  for (const planned of options.plan.cases) {
    if (planned.notApplicable) result.cases.push(notRun(planned.testCase, 'not-applicable', planned.notApplicable));
  }
  const files = await startFileServer({ host: options.listen?.host ?? '127.0.0.1', port: options.config.fileServer.port, outDir: options.outDir });
  const pki = options.pki ?? new TestPki();
  const ownCsms = ownCsmsOf(options, pki);
  const materials: RunMaterials = {
    fileServer: files, pki, pkiView: pki.templateView(files.firmwareImage, files.uninstallableFirmwareImage), fitPassword: generatePassword(),
    securityOf: (config) => connectionSecurity(config.security, ownCsms),
  };
  if (options.sut === 'cs') {
    materials.csms = await startServers(options, runnable, materials).catch(async (error: unknown) => {
      await files.close();
      throw error;
    });
  }
  const csms = materials.csms;
  result.target = csms ? csms.urlFor(materials.securityOf(options.config)) : (options.target ?? '');
  // A station must trust the harness's root before it can connect over TLS: it is written now.
  const certs = join(options.outDir, 'certs');
  const trustRoot = csms?.newRootPort !== undefined && !options.startReference ? join(certs, 'csmsRoot.pem') : undefined;
  if (trustRoot) pki.writeCertificates(certs);
  const lanes: StationLane[] = [];
  try {
    const count = Math.max(1, Math.min(options.workers, runnable.length || 1));
    for (let i = 0; i < count; i++) lanes.push(await openLane(options, i, result, materials, runnable));
    options.listener?.onRunBegin?.({ sut: options.sut, target: result.target, stationIds: lanes.map((lane) => lane.stationId), cases: runnable.length, reference: Boolean(options.startReference), ...(trustRoot ? { trustRoot } : {}) });
    const queue = options.shuffleSeed === undefined ? [...runnable] : shuffled(runnable, options.shuffleSeed);
    await Promise.all(lanes.map((lane) => drain(lane, queue, options, result)));
    for (const testCase of queue) result.cases.push(notRun(testCase, 'skipped', 'the run was interrupted before this case'));
  } finally {
    for (const lane of lanes) await closeLane(lane);
    await csms?.close();
    await files.close();
    // Certificates the cases used, for a lab to install on a device or inspect (never their keys).
    pki.writeCertificates(certs);
  }
  result.interrupted = options.signal.aborted;
  return finishResult(result, options, startedAt);
}

/**
 * The harness's CSMS. Against the built-in reference, cases fitted to a security profile the
 * configuration lacks (minSecurityProfile) decide whether TLS is served besides.
 */
async function startServers(options: SuiteOptions, runnable: readonly TestCase[], materials: RunMaterials): Promise<CsmsServers> {
  const fitted = options.startReference ? runnable.map((testCase) => materials.securityOf(fitCase(options.config, testCase, materials.fitPassword))) : [];
  const tlsSecurity = fitted.find(usesTls);
  const { config } = options;
  return startCsmsServers({
    listen: listenOf(options), ocpp: options.ocpp, pki: materials.pki, security: materials.securityOf(config), ...(tlsSecurity ? { tlsSecurity } : {}),
    limits: connectionLimitsOf(config), handshakeMs: config.timeouts.handshakeMs,
  });
}

/** The bounds of every connection to the SUT, as configured (issue 14). */
function connectionLimitsOf(config: HarnessConfig): ConnectionLimits {
  return { ...config.limits, closeMs: config.timeouts.closeMs };
}

const DEFAULT_LISTEN = { host: '127.0.0.1', port: 9000 };

function listenOf(options: SuiteOptions): { host: string; port: number } {
  return options.listen ?? DEFAULT_LISTEN;
}

/**
 * The CSMS is the harness's own when it plays the CSMS (sut cs) or runs the reference CSMS
 * (--builtin): its certificate comes from the run's PKI, for the hosts stations reach it by.
 */
function ownCsmsOf(options: SuiteOptions, pki: TestPki): OwnCsms | undefined {
  if (options.sut === 'cs') return { pki, hosts: serverHosts(listenOf(options).host) };
  return options.startReference && !options.target ? { pki, hosts: serverHosts(REFERENCE_CSMS_HOST) } : undefined;
}

function betweenCasesOf(options: SuiteOptions): 'fresh' | BetweenCasesMode {
  return options.betweenCases ?? (options.startReference ? 'fresh' : options.config.betweenCases.mode);
}

/**
 * The layout of a built-in reference that serves several cases (every mode but `fresh`): as many
 * EVSEs as the most demanding case needs, the configured security profile.
 */
function referenceConfig(options: SuiteOptions, runnable: readonly TestCase[]): HarnessConfig {
  if (betweenCasesOf(options) === 'fresh') return options.config;
  return withEvses(options.config, Math.max(1, ...runnable.map((testCase) => testCase.minEvses)), options.ocpp);
}

async function openLane(options: SuiteOptions, index: number, result: RunResult, materials: RunMaterials, runnable: readonly TestCase[]): Promise<StationLane> {
  const stationId = index === 0 ? options.config.stationId : `${options.config.stationId}-${index + 1}`;
  const outsideName = `_outside-cases-${stationId}.jsonl`;
  const outside = new JsonlTraceWriter(join(options.outDir, 'traces', outsideName));
  // Issue 13: what the SUT sends between cases decides no verdict; its findings are the run's.
  const sut = directionFrom(options.sut);
  // Issue 14: so are those on a connection the harness had already closed or replaced, grouped per
  // connection and code, so a flood between cases gives a bounded list.
  const outsideFindings = new FindingGroups<RunFinding>();
  const router = new TraceRouter(outside, (record, file) => {
    if (record.direction !== sut) return;
    const trace = relative(options.outDir, file.path).split(sep).join('/');
    for (const finding of record.meta.findings ?? []) {
      const listed = outsideFindings.add(record.meta.connectionId ?? '', { ...finding, stationId, trace }, record.timestamp);
      if (listed) result.findings?.push(listed);
    }
  });
  const ledger = new SutLedger();
  const link = new SutLink({
    side: harnessSideAgainst(options.sut), version: options.ocpp, stationId, trace: new TeeTrace([router, ledger]), callTimeoutMs: options.config.timeouts.messageMs,
    limits: connectionLimitsOf(options.config), connectMs: options.config.timeouts.connectMs,
    ...(materials.csms ? { servers: materials.csms.all, refusals: materials.csms.refusals } : {}), ...(options.target ? { endpoint: options.target } : {}), security: materials.securityOf(options.config),
  });
  // The SUT's requests to its own part of the file server go into the running case's trace.
  const urls = materials.fileServer.scope(stationId, ({ method, url, path, bytes, status, storedAs }) => link.recordSutEvent({ kind: 'http-request', method, url, path, bytes, status, ...(storedAs ? { storedAs } : {}) }));
  const lane: StationLane = { stationId, link, router, ledger, outside, adapter: adapterFromConfig(options.config, options.world), busy: false, files: urls, materials, declarations: new LaneDeclarations(options.plan, options.ocpp) };
  lane.booted = new Promise((resolve) => (lane.markBooted = resolve));
  link.on('call', (pending) => {
    if (lane.busy) return;
    answerOutsideCase(pending, options);
    lane.markBooted?.();
  });
  if (options.startReference) {
    const csmsUrl = await restartReference(lane, options, referenceConfig(options, runnable));
    if (csmsUrl) result.target = csmsUrl;
  }
  const mode = betweenCasesOf(options);
  if (mode !== 'fresh') {
    const config = lane.referenceConfig ?? options.config;
    lane.between = new BetweenCases({
      mode, sut: options.sut, version: options.ocpp, config: { ...config, stationId }, link, ledger, adapter: lane.adapter, signal: options.signal, catalog: options.catalog,
      beforeEach: config.betweenCases.beforeEach, afterEach: config.betweenCases.afterEach, ...(link.options.endpoint ? { endpoint: link.options.endpoint } : {}),
    });
  }
  return lane;
}

// OCPP 2.0.1 Part 6 general pre-condition: the station is connected and accepted before a case
// starts. A station that connects boots at once; one that was booted before may send nothing, so
// the wait for its first message is bounded. A built-in reference started for the run always boots
// on connecting, so it is waited for as long as a connection (a loaded host may take seconds).
const FIRST_MESSAGE_GRACE_MS = 5_000;

async function awaitStation(lane: StationLane, options: SuiteOptions): Promise<string | undefined> {
  const connectMs = options.config.timeouts.connectMs;
  const since = performance.now();
  const session = await lane.link.waitForSession(connectMs);
  if (!session) {
    const failures = lane.link.tlsFailuresSince(since);
    const tls = failures.length === 0 ? '' : `; ${failures.length} TLS handshake${failures.length === 1 ? '' : 's'} failed meanwhile (last: ${failures.at(-1)!.reason}): does the station trust ${join(options.outDir, 'certs', 'csmsRoot.pem')}?`;
    return `no station connected as ${lane.stationId} within ${connectMs} ms${tls}`;
  }
  let timer: NodeJS.Timeout | undefined;
  const graceMs = options.startReference ? connectMs : Math.min(FIRST_MESSAGE_GRACE_MS, connectMs);
  await Promise.race([lane.booted, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  return undefined;
}

/**
 * (Re)starts the built-in reference of a lane. Each case gets a fresh one: OCPP 2.0.1 Part 6
 * starts every case from its general pre-conditions (accepted, idle, no transaction, nothing
 * scheduled), which a reference left in the state of the previous case would not meet.
 */
async function restartReference(lane: StationLane, options: SuiteOptions, config: HarnessConfig): Promise<string | undefined> {
  await lane.reference?.stop();
  // A station connected with TLS (security profile 2 and up) connects to the wss server.
  const csms = lane.materials.csms;
  const security = lane.materials.securityOf(config);
  const reference = await options.startReference!({ stationId: lane.stationId, ocpp: options.ocpp, config, security, pki: lane.materials.pki, ...(csms ? { csmsUrl: csms.urlFor(security) } : {}) });
  lane.reference = reference;
  lane.referenceConfig = config;
  lane.adapter = adapterFromConfig(config, { ...options.world, reference: reference.control });
  if (reference.csmsUrl && !options.target) lane.link.setEndpoint(reference.csmsUrl, security);
  return reference.csmsUrl;
}

async function drain(lane: StationLane, queue: TestCase[], options: ScaledSuite, result: RunResult): Promise<void> {
  const absent = options.sut === 'cs' && queue.length > 0 ? await awaitStation(lane, options) : undefined;
  if (absent) {
    for (const testCase of queue.splice(0)) result.cases.push(notStarted(testCase, `a station connected as ${lane.stationId}`, absent));
    return;
  }
  await lane.declarations.learn(lane.link, options.config.timeouts.messageMs);
  let first = true;
  while (queue.length > 0 && !options.signal.aborted) {
    const testCase = queue.shift()!;
    // Issue 16: a case needing what the station does not declare of itself does not start.
    const unmet = lane.declarations.unmetBy(testCase);
    const caseResult: CaseResult & { sutIdentity?: SutIdentity } = unmet ? notRun(testCase, 'not-applicable', unmet) : await runFitted(lane, testCase, options, first);
    if (!unmet) first = false;
    caseResult.stationId = lane.stationId;
    result.sutIdentity ??= caseResult.sutIdentity;
    delete caseResult.sutIdentity;
    result.cases.push(caseResult);
    writeResultsFile(options.outDir, { ...result, counts: countVerdicts(result.cases) });
    options.listener?.onCaseEnd?.(caseResult);
  }
}

/**
 * Against the built-in reference the station is the harness's to choose: each case gets the EVSEs
 * and the security profile it needs (a real SUT with less was planned not-applicable).
 */
async function runFitted(lane: StationLane, testCase: TestCase, options: ScaledSuite, first: boolean): Promise<CaseResult & { sutIdentity?: SutIdentity }> {
  const fresh = Boolean(options.startReference) && !lane.between;
  const config = fresh ? fitCase(options.config, testCase, lane.materials.fitPassword) : (lane.referenceConfig ?? options.config);
  if (fresh && (!first || !sameFit(config, lane.referenceConfig ?? options.config))) await restartReference(lane, options, config);
  options.listener?.onCaseBegin?.(testCase, lane.stationId);
  return runOne(lane, testCase, options, { ...config, stationId: lane.stationId });
}

async function runOne(lane: StationLane, testCase: TestCase, options: ScaledSuite, config: HarnessConfig): Promise<CaseResult & { sutIdentity?: SutIdentity }> {
  const tracePath = join('traces', `${testCase.id}.jsonl`);
  const records = new CaseRecords(directionFrom(options.sut));
  // Work before and after the case goes into its trace file, but not into the records its
  // assertions read.
  lane.router.begin(new JsonlTraceWriter(join(options.outDir, tracePath), { flushIntervalMs: 1 }));
  const between = lane.between;
  const env: CaseEnvironment = {
    // Templates see the timeouts as configured: a step's timeout is scaled once, in stepTimeoutMs.
    config, templateConfig: { ...config, timeouts: options.configuredTimeouts } as unknown as Record<string, unknown>,
    timeoutScale: options.timeoutScale ?? 1, baseTimeouts: options.configuredTimeouts,
    backgroundReplies: backgroundRepliesFor(config, options.ocpp), catalog: options.catalog,
    link: lane.link, adapter: between ? between.caseAdapter(lane.adapter) : lane.adapter, clock: () => new Date(), signal: options.signal, files: lane.files, pki: lane.materials.pkiView,
    ...(lane.materials.csms?.newRootPort !== undefined ? { newRootPort: lane.materials.csms.newRootPort } : {}),
    ...(between ? { beforeSend: between.beforeSend.bind(between) } : {}),
    ...(options.listener?.onStepBegin ? { onStep: (step: StepBegin) => options.listener?.onStepBegin?.({ ...step, caseId: testCase.id, stationId: lane.stationId }) } : {}),
  };
  try {
    lane.link.setContext(testCase.id, 'before');
    const prepared = between ? await between.before(testCase) : { report: emptyReport() };
    if (prepared.problem) return { ...notStarted(testCase, 'the SUT connected and idle', prepared.problem), trace: tracePath, betweenCases: { before: linesOf(prepared.report), after: [] } };
    lane.router.collectInto(records);
    lane.busy = true;
    const caseResult: CaseResult & { sutIdentity?: SutIdentity } = { ...(await runCase(testCase, { ...env, traceOffset: lane.router.written }, records)), trace: tracePath };
    lane.busy = false;
    lane.router.collectInto(undefined);
    const identity = identityFrom(records.records, options.ocpp, options.sut);
    if (identity) caseResult.sutIdentity = identity;
    if (between) {
      lane.link.setContext(testCase.id, 'after');
      const after = await between.after(testCase);
      caseResult.betweenCases = { before: linesOf(prepared.report), after: linesOf(after) };
    }
    return caseResult;
  } finally {
    lane.link.setContext(undefined, undefined);
    lane.busy = false;
    lane.router.end();
  }
}

// Between cases the harness is a plain, accepting peer (the general pre-condition of OCPP 2.0.1
// Part 6: the station is accepted and connected): the background reply, else the default reply,
// which accepts a BootNotification.
function answerOutsideCase(pending: PendingCall, options: SuiteOptions): void {
  const render = (template: unknown) => renderValue(template, { config: options.config as unknown as Record<string, unknown>, captured: {}, clock: () => new Date() });
  answerAsBackground(pending, { version: options.ocpp, config: options.config, backgroundReplies: backgroundRepliesFor(options.config, options.ocpp), render, clock: () => new Date() });
}

async function closeLane(lane: StationLane): Promise<void> {
  await lane.reference?.stop();
  await lane.link.drop().catch(() => undefined);
  await lane.adapter.closeAll();
  lane.router.end();
  lane.outside.close();
}

/** What the work before or after a case did, a line each; what it could not do starts with "problem:". */
function linesOf(report: UpkeepReport): string[] {
  return [...report.done, ...report.problems.map((problem) => `problem: ${problem}`)];
}

function finishResult(result: RunResult, options: SuiteOptions, startedAt: Date): RunResult {
  const order = new Map(options.plan.cases.map((planned, index) => [planned.testCase.id, index]));
  result.cases.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const endedAt = new Date();
  result.endedAt = endedAt.toISOString();
  result.durationMs = endedAt.getTime() - startedAt.getTime();
  result.counts = countVerdicts(result.cases);
  writeResultsFile(options.outDir, result);
  return result;
}
