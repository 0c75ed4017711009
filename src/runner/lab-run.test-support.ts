import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides, DEFAULT_CONFIG, type BetweenCasesConfig, type BetweenCasesMode } from '../config/index.js';
import type { OcppVersion } from '../protocol/index.js';
import { TEST_CERTIFICATE_NAMES, TestPki } from '../pki/index.js';
import { referenceFeatures } from '../reference/index.js';
import { defaultTestcaseRoot, type Sut } from '../testcase/index.js';
import { referenceStarter, configForReference } from './reference-starter.js';
import type { RunResult } from './results.js';
import { planRun } from './select.js';
import { runSuite } from './run-suite.js';
import { loadTestcases } from './testcases.js';

// Short waits, as in the self-check: the in-process references answer at once.
const TIMEOUTS = { messageMs: 1500, longOperationMs: 3000, connectMs: 3000 };

let sharedPki: TestPki | undefined;

/** One test PKI for every run of a test file: issuing keys per run would cost more than the runs. */
export function pki(): TestPki {
  if (!sharedPki) {
    sharedPki = new TestPki();
    for (const name of TEST_CERTIFICATE_NAMES) sharedPki.certificate(name);
  }
  return sharedPki;
}

/**
 * Runs shipped cases against the built-in reference as a lab would run them against one device:
 * `betweenCases` keeps one reference for the whole run ('fresh' gives each case its own, the
 * verdict a case has alone); `fault` makes the reference break the specification.
 */
export async function runShippedCases(ids: string[], options: { ocpp?: OcppVersion; sut?: Sut; betweenCases: 'fresh' | BetweenCasesMode; faults?: string[]; shuffleSeed?: number; hooks?: Partial<BetweenCasesConfig>; features?: string[]; security?: { profile: 0 | 1 | 2 | 3; basicAuthPassword?: string } }): Promise<RunResult> {
  const ocpp = options.ocpp ?? '2.0.1';
  const sut = options.sut ?? 'cs';
  const catalog = loadTestcases(defaultTestcaseRoot());
  const plan = planRun(catalog.cases, { ocpp, sut, modules: [], patterns: ids, features: [...referenceFeatures(ocpp, sut), ...(options.features ?? [])] });
  const base = configForReference(applyOverrides(DEFAULT_CONFIG, { timeouts: TIMEOUTS, ...(options.security ? { security: options.security } : {}) }, 'test'));
  const config = { ...base, betweenCases: { ...base.betweenCases, ...options.hooks } };
  return runSuite({
    ocpp, sut, plan, catalog, config, configHash: 'test', harness: { name: 'ocpp-harness', version: 'test' },
    outDir: mkdtempSync(join(tmpdir(), 'ocpp-harness-lab-')), listen: { host: '127.0.0.1', port: 0 }, workers: 1, world: {},
    startReference: referenceStarter(options.faults ?? []), signal: new AbortController().signal, pki: pki(),
    betweenCases: options.betweenCases, ...(options.shuffleSeed !== undefined ? { shuffleSeed: options.shuffleSeed } : {}),
  });
}

/** id → verdict, in plan order. */
export function verdicts(result: RunResult): Record<string, string> {
  return Object.fromEntries(result.cases.map((c) => [c.id, c.verdict]));
}
