import { join } from 'node:path';
import { backgroundRepliesFor, type HarnessConfig } from '../config/index.js';
import { directionFrom } from '../protocol/index.js';
import { JsonlTraceWriter } from '../session/index.js';
import type { TestCase } from '../testcase/index.js';
import { emptyReport, type UpkeepReport } from './between-cases/upkeep-context.js';
import type { CaseEnvironment, StepBegin } from './case-environment.js';
import { presentsInTlsHandshakes } from './case-gate.js';
import { fitCase, sameFit } from './case-layout.js';
import { CaseRecords } from './case-records.js';
import { notRun, notStarted } from './not-run.js';
import { countVerdicts, type CaseResult, type RunResult, type SutIdentity } from './results.js';
import { writeResultsFile } from './results-file.js';
import { runCase } from './run-case.js';
import { awaitStation, restartReference, type StationLane } from './station-lane.js';
import type { ScaledSuite } from './suite-options.js';
import { identityFrom } from './sut-identity.js';
import { referenceTraitsFor, sameTraits, unbuiltReason } from './reference-build.js';

/**
 * Runs cases from the shared queue on one lane, one after another, until the queue is empty or
 * the run is stopped; each result goes into results.json as soon as it is known.
 */
export async function drain(lane: StationLane, queue: TestCase[], options: ScaledSuite, result: RunResult): Promise<void> {
  const absent = options.sut === 'cs' && queue.length > 0 ? await awaitStation(lane, options) : undefined;
  if (absent) {
    for (const testCase of queue.splice(0)) result.cases.push(notStarted(testCase, `a station connected as ${lane.stationId}`, absent));
    return;
  }
  await lane.declarations.learn(lane.link, options.config.timeouts.messageMs);
  let first = true;
  while (queue.length > 0 && !options.signal.aborted) {
    const testCase = queue.shift()!;
    // Issue 16: a case needing what the station does not declare of itself, or what the lane's
    // built-in reference is not built as, does not start.
    const unmet = lane.declarations.unmetBy(testCase) ?? unbuiltBy(lane, testCase, options);
    const caseResult: CaseResult & { sutIdentity?: SutIdentity } = unmet ? notRun(testCase, 'not-applicable', unmet) : await runGated(lane, testCase, options, first);
    if (!unmet) first = false;
    caseResult.stationId = lane.stationId;
    result.sutIdentity ??= caseResult.sutIdentity;
    delete caseResult.sutIdentity;
    result.cases.push(caseResult);
    writeResultsFile(options.outDir, { ...result, counts: countVerdicts(result.cases) });
    options.listener?.onCaseEnd?.(caseResult);
  }
}

/** Runs the case once the run's gate lets it (a case presenting in TLS handshakes runs alone, see CaseGate). */
async function runGated(lane: StationLane, testCase: TestCase, options: ScaledSuite, first: boolean): Promise<CaseResult & { sutIdentity?: SutIdentity }> {
  const leave = await lane.materials.gate.enter(options.sut === 'cs' && presentsInTlsHandshakes(testCase));
  try {
    return await runFitted(lane, testCase, options, first);
  } finally {
    leave();
  }
}

/**
 * Against the built-in reference the station is the harness's to choose: each case gets the EVSEs
 * and the security profile it needs (a real SUT with less was planned not-applicable).
 */
async function runFitted(lane: StationLane, testCase: TestCase, options: ScaledSuite, first: boolean): Promise<CaseResult & { sutIdentity?: SutIdentity }> {
  const fresh = Boolean(options.startReference) && !lane.between;
  const config = fresh ? fitCase(options.config, testCase, lane.materials.fitPassword) : (lane.referenceConfig ?? options.config);
  const traits = referenceTraitsFor(testCase, fresh ? undefined : lane.referenceTraits);
  const refit = !sameFit(config, lane.referenceConfig ?? options.config) || !sameTraits(traits, lane.referenceTraits);
  if (fresh && (!first || refit)) await restartReference(lane, options, config, traits);
  options.listener?.onCaseBegin?.(testCase, lane.stationId);
  return runOne(lane, testCase, options, { ...config, stationId: lane.stationId });
}

/** Against the built-in reference: why the reference this case would get is not built for it (reference-build.ts). */
function unbuiltBy(lane: StationLane, testCase: TestCase, options: ScaledSuite): string | undefined {
  if (!options.startReference || options.sut !== 'cs') return undefined;
  const kept = Boolean(lane.between);
  return unbuiltReason(options.ocpp, testCase, referenceTraitsFor(testCase, kept ? lane.referenceTraits : undefined), kept);
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
    ...upgradePortOf(lane, config),
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
    if (between && caseResult.verdict === 'fail') {
      // A dead SUT is never a fail: a case it left in the middle (a CSMS killed while the harness's
      // BootNotification waited for its answer) is error, naming why, and the step it stopped at.
      const gone = await between.goneDuring(testCase);
      if (gone) Object.assign(caseResult, { verdict: 'error', reason: `the SUT went away during the case: ${gone}; the case had stopped at ${caseResult.reason}` });
    }
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

/** The upgrade endpoint for the security profile the case runs at (A05), where the run serves one. */
function upgradePortOf(lane: StationLane, config: HarnessConfig): { upgradePort?: number } {
  const port = lane.materials.csms?.upgradePortFor(config.security.profile);
  return port === undefined ? {} : { upgradePort: port };
}

/** What the work before or after a case did, a line each; what it could not do starts with "problem:". */
function linesOf(report: UpkeepReport): string[] {
  return [...report.done, ...report.problems.map((problem) => `problem: ${problem}`)];
}
