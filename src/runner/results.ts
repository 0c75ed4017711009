import type { Finding, OcppVersion } from '../protocol/index.js';
import type { Sut } from '../testcase/index.js';

/** The verdict of one test case. */
export type Verdict = 'pass' | 'fail' | 'error' | 'inconclusive' | 'not-applicable' | 'skipped';

/** Every verdict, in report order. */
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'error', 'inconclusive', 'not-applicable', 'skipped'];

/**
 * What an expect step's checks rest on, when a device action named the message it expects
 * (csmsSend): the checked payload paths ('' is the payload itself) whose values a device action
 * had passed on to the SUT through its adapter, and those it had not. With nothing in `notSupplied`, a SUT that only
 * forwards what its API was given passes the step too: the pass is a relay.
 */
export interface RelayNote {
  supplied: string[];
  notSupplied: string[];
}

/**
 * Issue 13 item 7: a case's checks, sorted by where the checked value came from, a line each:
 * "<step index> <message> <payload path>" ("(payload)" for the payload itself).
 */
export interface CheckOrigins {
  /** Values the SUT produced. */
  sut: string[];
  /** Values the harness had sent to the SUT in a CALL of the case, checked under the same field name: the SUT sent them back. */
  harness: string[];
  /** Values a device action had passed on to the SUT through its adapter (see RelayNote). */
  adapter: string[];
}

/** What happened in one step. */
export interface StepResult {
  /** Position, e.g. "3", or "2.4" for the 4th step of a state used at step 2; "before.1" for preparations. */
  index: string;
  kind: string;
  title: string;
  status: 'pass' | 'fail' | 'error' | 'inconclusive' | 'skipped';
  startedAt: string;
  durationMs: number;
  requirementIds: string[];
  /** What was observed, or why the step did not pass. */
  detail?: string;
  /** Expect steps whose message a device action named: which checked values the adapter had passed on. */
  relay?: RelayNote;
  /**
   * The trace records the step took part in, as 0-based record indices of the case's trace file,
   * ascending: each CALL it took and the answer it got, each CALL it sent and the response (or the
   * timeout), the messages an assertion judged.
   */
  records: number[];
}

/** Why a case failed: the step, the rule it proves, every acceptable outcome, and what happened instead. */
export interface CaseFailure {
  step: string;
  stepTitle: string;
  requirements: Array<{ id: string; text: string }>;
  expected: string[];
  actual: string;
  /** Expected and actual side by side, a row per line in aligned columns (a composite schedule period by period): reports show it whole, in monospace. */
  table?: string;
}

/** What every case result has, whatever its verdict. */
interface CaseBasics {
  id: string;
  title: string;
  module: string;
  sut: Sut;
  ocpp: OcppVersion;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  /**
   * Every protocol finding on a frame the SUT sent during the case, in trace order: the violation
   * that decided a fail among them (issue 13), warnings a pass is shown with. Issue 14: past the
   * first 5 of one code on one connection, one grouped finding (`count`, `firstAt`, `lastAt`)
   * stands for the rest.
   */
  findings: Finding[];
  /**
   * Issue 14: how many of the case's trace records came after the first CASE_RECORDS_IN_MEMORY
   * (10,000); they are in the trace file, but the case's steps did not read them.
   */
  recordsNotKept?: number;
  /** The checks the case's steps made, by where the checked value came from (absent when the case did not run). */
  checks?: CheckOrigins;
  /** The case's trace, relative to the output folder (absent when the case did not run). */
  trace?: string;
  /** The station identity the case ran with (one per worker). */
  stationId?: string;
  /**
   * One SUT for many cases: what the harness did to verify the SUT idle before the case and to
   * undo the case after it, a line each (problems start with "problem:").
   */
  betweenCases?: { before: string[]; after: string[] };
}

/** A pass: nothing to explain. */
export interface PassResult extends CaseBasics {
  verdict: 'pass';
  /** Every check was of a value the adapter had passed on: a SUT that only forwards passes too. */
  relayed?: true;
}

/** A case that went wrong (fail, error, inconclusive): the reason in one line, and what was expected instead. */
export interface FailureResult extends CaseBasics {
  verdict: 'fail' | 'error' | 'inconclusive';
  reason: string;
  failure: CaseFailure;
}

/** A case that was not run: its reason. */
export interface NotRunResult extends CaseBasics {
  verdict: 'not-applicable' | 'skipped';
  reason: string;
}

/** The result of one test case: its verdict decides which explanation it carries. */
export type CaseResult = PassResult | FailureResult | NotRunResult;

/** The SUT's identity as it announced itself in a BootNotification. */
export interface SutIdentity {
  vendor?: string;
  model?: string;
  firmwareVersion?: string;
  serialNumber?: string;
}

/** A whole run: what ran against what, and each case's result. Reporters read only this. */
export interface RunResult {
  schemaVersion: 1;
  harness: { name: string; version: string };
  ocpp: OcppVersion;
  sut: Sut;
  target: string;
  sutIdentity?: SutIdentity;
  configHash: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  interrupted: boolean;
  counts: Record<Verdict, number>;
  cases: CaseResult[];
  /** Findings on frames that decide no case (between cases, before or after one, on a retired connection); no case's verdict holds them. */
  findings?: RunFinding[];
}

/** A protocol finding on a frame the SUT sent outside every case. */
export interface RunFinding extends Finding {
  /** The station identity whose traffic it was. */
  stationId: string;
  /** The trace file with the frame, relative to the output folder. */
  trace: string;
}

/** True for a pass whose every check was of a value the adapter had passed on. */
export function isRelayed(result: CaseResult): boolean {
  return result.verdict === 'pass' && result.relayed === true;
}

/** Counts results per verdict. */
export function countVerdicts(cases: readonly CaseResult[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  for (const result of cases) counts[result.verdict]++;
  return counts;
}

/** True when the run should exit non-zero: something failed or errored. */
export function hasFailures(cases: readonly CaseResult[]): boolean {
  return cases.some((result) => result.verdict === 'fail' || result.verdict === 'error');
}
