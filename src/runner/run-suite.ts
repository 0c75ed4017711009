import { join } from 'node:path';
import { TestPki } from '../pki/index.js';
import { usesTls } from '../transport/index.js';
import { generatePassword } from './case-layout.js';
import { connectionSecurity, stationSideSecurity } from './connection-security.js';
import { startFileServer } from './file-server.js';
import { drain } from './lane-queue.js';
import { notRun } from './not-run.js';
import { preparePki } from './pki-preparation.js';
import { countVerdicts, type RunResult } from './results.js';
import { writeResultsFile } from './results-file.js';
import { CaseGate } from './case-gate.js';
import { ownCsmsOf, startServers, type RunMaterials } from './run-materials.js';
import { shuffled } from './shuffle.js';
import { closeLane, laneStationId, openLane, type StationLane } from './station-lane.js';
import type { ScaledSuite, SuiteOptions } from './suite-options.js';
import { scaleTimeouts } from './timeouts.js';

export type { RunningReference, StartReference, SuiteListener, SuiteOptions } from './suite-options.js';

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
    fileServer: files, pki, gate: new CaseGate(), pkiView: pki.templateView(files.firmwareImage, files.uninstallableFirmwareImage), fitPassword: generatePassword(),
    // Against a CSMS under test the station's side is checked before the first connection.
    securityOf: (config, stationId) => (ownCsms || stationId === undefined ? connectionSecurity(config.security, ownCsms, stationId) : stationSideSecurity(config.security, stationId)),
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
  // (A station at profile 1 upgraded to TLS by a case gets the root from the case: TC_A_19_CS installs it.)
  const trustRoot = csms && usesTls(materials.securityOf(options.config)) && !options.startReference ? join(certs, 'csmsRoot.pem') : undefined;
  if (trustRoot) pki.writeCertificates(certs);
  preparePki(materials.pkiView, runnable, options.catalog);
  const lanes: StationLane[] = [];
  try {
    const count = Math.max(1, Math.min(options.workers, runnable.length || 1));
    const stationIds = Array.from({ length: count }, (_, index) => laneStationId(options, index));
    for (let i = 0; i < count; i++) lanes.push(await openLane(options, stationIds, i, result, materials, runnable));
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

