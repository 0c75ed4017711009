import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type BetweenCasesMode, type EvseConfig } from '../config/index.js';
import type { OcppVersion, Payload } from '../protocol/index.js';
import { Session, MemoryTrace, type CallHandler, type CallReply, type FaultyCallPolicy, type IncomingCall } from '../session/index.js';
import { writeScratchTree } from '../testcase/index.js';
import { OcppServer, connectAsStation, type Connection } from '../transport/index.js';
import type { ActionOutcome } from './adapters/index.js';
import type { AdapterWorld } from './adapter-from-config.js';
import { harnessFrameFindingsInTraces } from './harness-frames.js';
import { planRun } from './select.js';
import { runSuite, type StartReference } from './run-suite.js';
import type { RunResult } from './results.js';
import { loadTestcases } from './testcases.js';

/** A station scripted by a test: how it answers the harness's CALLs and what it does on device actions. */
export interface StationScript {
  onCall?: CallHandler;
  onAction?: (name: string, params: Record<string, unknown>, station: Session) => ActionOutcome | Promise<ActionOutcome>;
  /** Runs once connected (e.g. send a BootNotification). */
  onConnect?: (station: Session) => void | Promise<void>;
  /** How the station answers frames it cannot process, when not by the OCPP-J rule. */
  faultyCalls?: FaultyCallPolicy;
}

/** The folder each run of these helpers wrote its traces and results.json to. */
const outDirs = new WeakMap<RunResult, string>();

/**
 * Issue 11 acceptance: the findings on frames the harness sent, over every trace of a run of these
 * helpers (cases and between cases), as "message [rule]" lines. A test asserts this is empty.
 */
export function harnessFindings(result: RunResult): string[] {
  const outDir = outDirs.get(result);
  if (!outDir) throw new Error('harnessFindings: not a run of runAgainstScript or runAgainstCsms');
  return harnessFrameFindingsInTraces(join(outDir, 'traces'), result.sut).map((finding) => `${finding.message} [${finding.rule}]`);
}

/** The output folder (traces, results.json) of a run of these helpers. */
export function outDirOf(result: RunResult): string {
  const outDir = outDirs.get(result);
  if (!outDir) throw new Error('outDirOf: not a run of runAgainstScript or runAgainstCsms');
  return outDir;
}

/** Writes YAML files into a fresh test-case tree and returns its root. */
export const writeTree = writeScratchTree;

/** Runs every case of a tree (sut cs) against a scripted station on loopback. */
export async function runAgainstScript(root: string, script: StationScript, options: {
  ocpp?: OcppVersion; config?: Record<string, unknown>; signal?: AbortSignal; patterns?: string[]; workers?: number; shard?: { index: number; total: number }; world?: AdapterWorld;
  /** Called with the EVSEs of each start of the scripted station (the built-in reference). */
  onStart?: (evses: EvseConfig[]) => void;
  /** `--timeout-scale`. */
  timeoutScale?: number;
  /** Replaces the scripted station by one of the test's own (a raw WebSocket that misbehaves below OCPP). */
  startReference?: StartReference;
} = {}): Promise<RunResult> {
  const ocpp = options.ocpp ?? '2.0.1';
  const config = resolveConfig({ timeouts: { messageMs: 2000, connectMs: 3000, longOperationMs: 3000 }, adapters: { default: { kind: 'builtin' } }, ...options.config });
  const catalog = loadTestcases(root);
  if (catalog.problems.length > 0) throw new Error(catalog.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
  const plan = planRun(catalog.cases, { ocpp, sut: 'cs', modules: [], patterns: options.patterns ?? [], features: config.features, ...(options.shard ? { shard: options.shard } : {}) });
  const startReference: StartReference = async ({ stationId, csmsUrl, config: started }) => {
    options.onStart?.(started.evses);
    const { connection } = await connectAsStation({ endpoint: csmsUrl!, stationId, versions: [ocpp] });
    let station = new Session({ role: 'cs', version: ocpp, connection, trace: new MemoryTrace(), ...(script.faultyCalls ? { faultyCalls: script.faultyCalls } : {}) });
    station.setCallHandler(script.onCall ?? (() => ({ payload: {} as Payload })));
    // Like a real station, it boots as soon as it is connected.
    await station.call('BootNotification', ocpp === '1.6' ? { chargePointVendor: 'Script', chargePointModel: 'S' } : { reason: 'PowerUp', chargingStation: { vendorName: 'Script', model: 'S' } });
    await script.onConnect?.(station);
    // A stopped station makes no further attempts (a later case has a station of its own).
    let stopped = false;
    const pending = new Set<NodeJS.Timeout>();
    return {
      control: {
        perform: async (name, params) => {
          if (name === 'reconnect') {
            const again = await connectAsStation({ endpoint: csmsUrl!, stationId, versions: [ocpp] });
            station = new Session({ role: 'cs', version: ocpp, connection: again.connection, trace: new MemoryTrace() });
            station.setCallHandler(script.onCall ?? (() => ({ payload: {} })));
            return { status: 'done' };
          }
          // In the background, like a station's back-off: first attempt after `afterMs`, at URL
          // path `path`; a refused attempt is retried after `retryAfterMs`.
          if (name === 'reconnectLater') {
            const { afterMs = 0, retryAfterMs = 100, path = '' } = params as { afterMs?: number; retryAfterMs?: number; path?: string };
            const attempt = () => stopped || void connectAsStation({ endpoint: `${csmsUrl!}${path}`, stationId, versions: [ocpp] }).then((again) => {
              station = new Session({ role: 'cs', version: ocpp, connection: again.connection, trace: new MemoryTrace() });
              station.setCallHandler(script.onCall ?? (() => ({ payload: {} })));
            }, () => pending.add(setTimeout(attempt, retryAfterMs)));
            pending.add(setTimeout(attempt, afterMs));
            return { status: 'done' };
          }
          return script.onAction ? script.onAction(name, params, station) : { status: 'unsupported', reason: 'no script' };
        },
      },
      stop: async () => {
        stopped = true;
        for (const timer of pending) clearTimeout(timer);
        if (station.isOpen) await station.close();
      },
    };
  };
  const outDir = mkdtempSync(join(tmpdir(), 'ocpp-harness-out-'));
  const result = await runSuite({
    ocpp, sut: 'cs', plan, catalog, config, configHash: 'test', harness: { name: 'ocpp-harness', version: 'test' },
    outDir, listen: { host: '127.0.0.1', port: 0 }, workers: options.workers ?? 1,
    world: options.world ?? {}, startReference: options.startReference ?? startReference, signal: options.signal ?? new AbortController().signal,
    ...(options.timeoutScale !== undefined ? { timeoutScale: options.timeoutScale } : {}),
  });
  outDirs.set(result, outDir);
  return result;
}

/** A BootNotification reply (as a case's YAML) that accepts the station. */
export const BOOT_REPLY = `{ status: Accepted, interval: 300, currentTime: '{{now}}' }`;

/** A minimal case file. */
export function caseFile(id: string, steps: string, extra = ''): string {
  return `id: ${id}
title: ${id}
ocpp: 2.0.1
sut: cs
module: core
purpose: engine test
requirements:
  R.1: the SUT does what the step says
${extra}steps:
${steps}`;
}

/** A minimal case file with the harness as station (sut csms). */
export function csmsCaseFile(id: string, steps: string, extra = ''): string {
  return `id: ${id}
title: ${id}
ocpp: 2.0.1
sut: csms
module: core
purpose: engine test, harness as station
requirements:
  R.1: the CSMS does what the step says
${extra}steps:
${steps}`;
}

/** A CSMS scripted by a test: how it answers the harness-station's CALLs, and what it sends when asked. */
export interface CsmsScript {
  /** How the CSMS answers the harness-station's CALLs; it may send CALLs of its own on `csms` first. */
  onCall?: (call: IncomingCall, csms: Session) => CallReply | Promise<CallReply>;
  /** Device action "make the CSMS send X": the test decides what the CSMS session does. */
  onAction?: (name: string, params: Record<string, unknown>, csms: Session | undefined) => ActionOutcome | Promise<ActionOutcome>;
  /** Runs when the harness-station connects, with the CSMS's session (e.g. for a CSMS API of the test's own). */
  onConnect?: (csms: Session) => void;
  /** Sees every connection the harness-station opens, when the CSMS accepts it. */
  onConnection?: (connection: Connection) => void;
}

/**
 * Runs every sut-csms case of a tree, the harness playing the station, against a scripted CSMS on
 * loopback: a CSMS under test at `--target`, or with `builtin` one started as the built-in reference
 * (`onStart` sees the EVSEs of each start).
 */
export async function runAgainstCsms(root: string, script: CsmsScript, options: {
  config?: Record<string, unknown>; reference?: { onStart?: (evses: EvseConfig[]) => void };
  /** The CSMS's Basic-auth password (security profile 1). */
  password?: string;
  /** Points the harness elsewhere than the scripted CSMS (an unreachable target). */
  target?: string;
  /** Trace files and results.json go here (default: a fresh temporary folder). */
  outDir?: string;
  betweenCases?: 'fresh' | BetweenCasesMode;
} = {}): Promise<RunResult> {
  const ocpp: OcppVersion = '2.0.1';
  const server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: [ocpp], ...(options.password ? { security: { profile: 1, basicAuth: { password: options.password }, trustedRoots: { server: [], client: [] } } } : {}) });
  let csms: Session | undefined;
  server.on('connection', (connection) => {
    script.onConnection?.(connection);
    const session = new Session({ role: 'csms', version: ocpp, connection, trace: new MemoryTrace() });
    session.setCallHandler((call) => (script.onCall ? script.onCall(call, session) : { payload: {} }));
    csms = session;
    script.onConnect?.(session);
  });
  // The scripted CSMS takes a reconnect at once: no pause of a rebooting station (timing.reconnectDelayS).
  const given = (options.config ?? {}) as { timing?: Record<string, unknown> };
  const config = resolveConfig({ timeouts: { messageMs: 2000, connectMs: 3000, longOperationMs: 3000 }, adapters: { default: { kind: 'builtin' } }, ...given, timing: { reconnectDelayS: 0, ...given.timing } });
  const catalog = loadTestcases(root);
  // A CSMS under test is planned with the configured EVSEs; the built-in reference fits each case's layout.
  const plan = planRun(catalog.cases, { ocpp, sut: 'csms', modules: [], patterns: [], features: config.features, ...(options.reference ? {} : { evses: config.evses.length }) });
  const control = { perform: (name: string, params: Record<string, unknown>) => (script.onAction ? script.onAction(name, params, csms) : { status: 'unsupported' as const, reason: 'no script' }) };
  const startReference: StartReference = async ({ config: started }) => {
    options.reference?.onStart?.(started.evses);
    return { control, stop: async () => undefined, csmsUrl: server.url };
  };
  const outDir = options.outDir ?? mkdtempSync(join(tmpdir(), 'ocpp-harness-out-'));
  try {
    const result = await runSuite({
      ocpp, sut: 'csms', plan, catalog, config, configHash: 'test', harness: { name: 'ocpp-harness', version: 'test' },
      outDir, workers: 1, signal: new AbortController().signal,
      // One case's behaviour is under test here; the work between cases has tests of its own.
      betweenCases: options.betweenCases ?? (options.reference ? 'fresh' : 'none'),
      ...(options.reference ? { startReference, world: {} } : { target: options.target ?? server.url, world: { reference: control } }),
    });
    outDirs.set(result, outDir);
  return result;
  } finally {
    await server.close();
  }
}
