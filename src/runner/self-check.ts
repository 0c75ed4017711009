import { join } from 'node:path';
import { applyOverrides, type HarnessConfig } from '../config/index.js';
import type { Catalog, TestCase } from '../testcase/index.js';
import { TEST_CERTIFICATE_NAMES, TestPki } from '../pki/index.js';
import { referenceStarter, configForReference } from './reference-starter.js';
import type { Verdict } from './results.js';
import { serverHosts } from './csms-servers.js';
import { harnessFrameFindingsInTraces } from './harness-frames.js';
import { runSuite } from './run-suite.js';

/** How one case fared in the self-check: clean against the reference, and under each listed fault. */
export interface SelfCheckLine {
  testCase: TestCase;
  ok: boolean;
  clean: { verdict: Verdict; reason?: string; harnessFinding?: string };
  faults: Array<{ fault: string; verdict: Verdict; reason?: string; harnessFinding?: string; ok: boolean }>;
  /** The runs under the conforming variations of `mustPassWith`, each of which must pass. */
  variations: Array<{ fault: string; verdict: Verdict; reason?: string; harnessFinding?: string; ok: boolean }>;
  /** Why the case did not prove itself, when it did not. */
  problem?: string;
}

/** Options of a self-check. */
export interface SelfCheckOptions {
  catalog: Catalog;
  cases: readonly TestCase[];
  config: HarnessConfig;
  outDir: string;
  /** Cases checked at once (each with its own reference and ports). */
  concurrency: number;
  signal: AbortSignal;
  onLine?(line: SelfCheckLine): void;
}

// The references answer at once, so short waits suffice under a fault: one that silences the SUT
// then costs seconds, not the 30 s a lab allows a real device. A run that must pass (clean, or a
// conforming variation) waits longer: it ends as soon as its messages arrive, and on a loaded host
// (load average 20 on 2 cores) a reference once took over 1.5 s to answer a BootNotification.
const SELF_CHECK_TIMEOUTS = { messageMs: 1500, longOperationMs: 3000, connectMs: 3000 };
// The harness as station opening its own connection: no CSMS fault silences a handshake (a refusal
// ends it at once), and at load average 30 a reference CSMS once took over 3 s to complete one, so
// the fault run ended in error instead of fail (TC_N_29/30_CSMS). Waiting for a station to connect
// stays short: there a fault may well keep it away.
const STATION_SIDE_FAULT_TIMEOUTS = { ...SELF_CHECK_TIMEOUTS, connectMs: 6000 };
const PASSING_RUN_TIMEOUTS = { messageMs: 5000, longOperationMs: 6000, connectMs: 6000 };
const SELF_CHECK_HOST = '127.0.0.1';

/**
 * Proves every test case both ways: it must pass against the built-in reference implementation
 * of the role it tests, and fail (not error) under each fault its `mustFailWith` lists. A case
 * without a listed fault proves nothing and fails the self-check. Under each conforming variation
 * its `mustPassWith` lists (an optional field left out, say) it must still pass.
 */
export async function runSelfCheck(options: SelfCheckOptions): Promise<SelfCheckLine[]> {
  const config = configForReference(applyOverrides(options.config, { timeouts: SELF_CHECK_TIMEOUTS }, 'self-check'));
  const passingConfig = configForReference(applyOverrides(options.config, { timeouts: PASSING_RUN_TIMEOUTS }, 'self-check'));
  const stationSideConfig = configForReference(applyOverrides(options.config, { timeouts: STATION_SIDE_FAULT_TIMEOUTS }, 'self-check'));
  // One test PKI for every run: issuing keys per fault run would cost more than the runs. It is
  // issued whole before the first case: each RSA key blocks the event loop for a few hundred ms,
  // which would eat into the short timeouts of the cases running alongside.
  const pki = new TestPki();
  for (const name of TEST_CERTIFICATE_NAMES) pki.certificate(name);
  // The harness's TLS server certificates too, when a case is connected over TLS (minSecurityProfile)
  // or may be upgraded to it (A05: from profile 1, a case whose maxSecurityProfile is below 3).
  if (options.cases.some((testCase) => testCase.sut === 'cs' && (testCase.minSecurityProfile >= 2 || (testCase.minSecurityProfile >= 1 && testCase.maxSecurityProfile < 3)))) {
    for (const root of ['csmsRoot', 'csmsRoot2'] as const) pki.serverCertificate(root, serverHosts(SELF_CHECK_HOST));
  }
  const queue = [...options.cases];
  const lines: SelfCheckLine[] = [];
  const worker = async () => {
    while (queue.length > 0 && !options.signal.aborted) {
      const testCase = queue.shift()!;
      const line = await checkCase(testCase, { ...options, config: testCase.sut === 'csms' ? stationSideConfig : config }, passingConfig, pki);
      lines.push(line);
      options.onLine?.(line);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  const order = new Map(options.cases.map((testCase, index) => [testCase, index]));
  return lines.sort((a, b) => (order.get(a.testCase) ?? 0) - (order.get(b.testCase) ?? 0));
}

async function checkCase(testCase: TestCase, options: SelfCheckOptions, passingConfig: HarnessConfig, pki: TestPki): Promise<SelfCheckLine> {
  const clean = await runOnce(testCase, [], { ...options, config: passingConfig }, pki);
  const line: SelfCheckLine = { testCase, ok: false, clean, faults: [], variations: [] };
  if (clean.verdict !== 'pass') return { ...line, problem: `does not pass against the reference: ${clean.verdict}${clean.reason ? ` (${clean.reason})` : ''}` };
  if (testCase.mustFailWith.length === 0) return { ...line, problem: 'lists no fault in mustFailWith: no fault proves it can fail' };
  for (const fault of testCase.mustFailWith) {
    const outcome = await runOnce(testCase, [fault], options, pki);
    line.faults.push({ fault, ...outcome, ok: outcome.verdict === 'fail' });
  }
  for (const variation of testCase.mustPassWith) {
    const outcome = await runOnce(testCase, [variation], { ...options, config: passingConfig }, pki);
    line.variations.push({ fault: variation, ...outcome, ok: outcome.verdict === 'pass' });
  }
  const invalid = [clean, ...line.faults, ...line.variations].find((run) => run.harnessFinding)?.harnessFinding;
  if (invalid) return { ...line, problem: `the harness sent an invalid frame: ${invalid}` };
  const missed = [
    ...line.faults.filter((fault) => !fault.ok).map((fault) => `under ${fault.fault}: ${fault.verdict} instead of fail${fault.verdict === 'error' && fault.reason ? ` (${fault.reason})` : ''}`),
    ...line.variations.filter((variation) => !variation.ok).map((variation) => `under the conforming ${variation.fault}: ${variation.verdict} instead of pass${variation.reason ? ` (${variation.reason})` : ''}`),
  ];
  if (missed.length > 0) return { ...line, problem: missed.join('; ') };
  return { ...line, ok: true };
}

/** One run of a case: its verdict, and the first finding on a frame the harness sent, if any. */
interface RunOutcome {
  verdict: Verdict;
  reason?: string;
  harnessFinding?: string;
}

async function runOnce(testCase: TestCase, faults: string[], options: SelfCheckOptions, pki: TestPki): Promise<RunOutcome> {
  const label = faults.length === 0 ? 'clean' : faults[0]!.replace(/[^\w.-]+/g, '_');
  const outDir = join(options.outDir, testCase.id, label);
  try {
    const result = await runSuite({
      ocpp: testCase.ocpp, sut: testCase.sut, plan: { cases: [{ testCase }], excluded: [] }, catalog: options.catalog,
      config: options.config, configHash: 'self-check', harness: { name: 'ocpp-harness', version: 'self-check' },
      outDir, listen: { host: SELF_CHECK_HOST, port: 0 }, workers: 1, world: {},
      startReference: referenceStarter(faults), signal: options.signal, pki,
    });
    const caseResult = result.cases[0];
    // Issue 11 acceptance: no harness frame in any self-check trace carries a finding.
    const finding = harnessFrameFindingsInTraces(join(outDir, 'traces'), testCase.sut)[0];
    const harnessFinding = finding ? { harnessFinding: `${finding.message} [${finding.rule}]` } : {};
    return caseResult ? { verdict: caseResult.verdict, ...(caseResult.verdict !== 'pass' ? { reason: caseResult.reason } : {}), ...harnessFinding } : { verdict: 'error', reason: 'no result', ...harnessFinding };
  } catch (error) {
    return { verdict: 'error', reason: `the reference could not start: ${(error as Error).message}` };
  }
}
