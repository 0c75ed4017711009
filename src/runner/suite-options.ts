import type { BetweenCasesMode, HarnessConfig } from '../config/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { TestPki } from '../pki/index.js';
import type { Catalog, Sut, TestCase } from '../testcase/index.js';
import type { ConnectionSecurity } from '../transport/index.js';
import type { StationTrait } from '../reference/index.js';
import type { AdapterWorld } from './adapter-from-config.js';
import type { ControlTarget } from './adapters/index.js';
import type { StepBegin } from './case-environment.js';
import type { Plan } from './select.js';
import type { CaseResult } from './results.js';

/** A built-in reference implementation started for a lane (the `--builtin` mode). */
export interface RunningReference {
  control: ControlTarget;
  stop(): Promise<void>;
}

/** A reference CSMS as the harness, as station, reaches it: its endpoint and, given `upgradeSecurity`, the endpoint one profile up (A05). */
export interface ServedCsms {
  csmsUrl?: string;
  upgradeUrl?: string;
}

/**
 * Starts the built-in reference of one lane: for sut cs it connects a station to `csmsUrl`; for
 * sut csms it serves at a URL it returns. A station is built with `traits` (a fixed cable, say).
 */
export type StartReference = (request: {
  stationId: string; csmsUrl?: string; ocpp: OcppVersion; config: HarnessConfig; security: ConnectionSecurity; pki: TestPki; traits: readonly StationTrait[];
  /** A reference CSMS: the security of its second endpoint, one profile up (A05). */
  upgradeSecurity?: ConnectionSecurity;
}) => Promise<RunningReference & ServedCsms>;

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
export interface ScaledSuite extends SuiteOptions {
  configuredTimeouts: HarnessConfig['timeouts'];
}
