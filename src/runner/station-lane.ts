import { join, relative, sep } from 'node:path';
import { backgroundRepliesFor, type BetweenCasesMode, type HarnessConfig } from '../config/index.js';
import { FindingGroups, directionFrom } from '../protocol/index.js';
import { JsonlTraceWriter, TeeTrace } from '../session/index.js';
import { renderValue, type TestCase } from '../testcase/index.js';
import { adapterFromConfig } from './adapter-from-config.js';
import type { AdapterRouter } from './adapters/index.js';
import { answerAsBackground } from './answer-policy.js';
import { BetweenCases } from './between-cases/between-cases.js';
import { SutLedger } from './between-cases/sut-ledger.js';
import { configuredPasswordReply } from './between-cases/password-restore.js';
import { upgradedConfig, withEvses, withSecurityProfile } from './case-layout.js';
import type { FileServerUrls } from './file-server.js';
import { harnessSideAgainst } from './harness-side.js';
import type { RunFinding, RunResult } from './results.js';
import { invalidServerCertificate, invalidStationCertificate, type InvalidCertificateVariant, type KeyedCertificate } from '../pki/index.js';
import { serverHosts } from './csms-servers.js';
import { connectionLimitsOf, listenOf, type RunMaterials } from './run-materials.js';
import { LaneDeclarations } from './station-declarations.js';
import type { RunningReference, SuiteOptions } from './suite-options.js';
import { SutLink, type PendingCall } from './sut-link.js';
import { TraceRouter } from './trace-router.js';
import type { StationTrait } from '../reference/index.js';

/**
 * One station identity of the run (`--workers` gives how many run side by side): the harness's
 * link to the SUT under that identity, its trace routing and ledger, its adapter and, against the
 * built-in reference, the reference started for it. Cases of the shared queue run on a lane one
 * after another.
 */
export interface StationLane {
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
  /** The traits the built-in reference station was built with (reference-build.ts). */
  referenceTraits: readonly StationTrait[];
  /** What the station declares of itself (OCPP 1.6: SupportedFeatureProfiles, its keys), asked once. */
  declarations: LaneDeclarations;
  busy: boolean;
}

/** How the lanes keep cases apart: a fresh built-in reference per case, or one SUT kept idle between them. */
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

/** The station identity of the run's lane `index`: the configured one, then `<id>-2`, `<id>-3`, ... */
export function laneStationId(options: SuiteOptions, index: number): string {
  return index === 0 ? options.config.stationId : `${options.config.stationId}-${index + 1}`;
}

/** The invalid certificates the harness presents in the negative cases of A00: as CSMS a server certificate, as station a station certificate. */
function invalidCertificateOf(options: SuiteOptions, materials: RunMaterials, stationId: string): (variant: InvalidCertificateVariant) => KeyedCertificate {
  if (options.sut === 'cs') return (variant) => invalidServerCertificate(materials.pki, variant, serverHosts(listenOf(options).host));
  return (variant) => invalidStationCertificate(materials.pki, variant, stationId);
}

/** Opens lane `index` of the lanes with `stationIds`; the first also records stalled handshakes no lane owns. */
export async function openLane(options: SuiteOptions, stationIds: readonly string[], index: number, result: RunResult, materials: RunMaterials, runnable: readonly TestCase[]): Promise<StationLane> {
  const stationId = stationIds[index]!;
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
    limits: connectionLimitsOf(options.config), connectMs: options.config.timeouts.connectMs, invalidCertificate: invalidCertificateOf(options, materials, stationId),
    ...(index === 0 ? { recordsStrayHandshake: (named: string) => !stationIds.includes(named) } : {}),
    ...(materials.csms ? { servers: materials.csms.all, refusals: materials.csms.refusals } : {}), ...(options.target ? { endpoint: options.target } : {}), security: materials.securityOf(options.config, stationId),
    ...(options.target ? { upgradeEndpoint: options.config.security.upgradeTargetUrl ?? options.target } : {}),
    securityAt: (profile) => materials.securityOf(withSecurityProfile(options.config, profile, materials.fitPassword), stationId),
  });
  // The SUT's requests to its own part of the file server go into the running case's trace.
  const urls = materials.fileServer.scope(stationId, ({ method, url, path, bytes, status, storedAs }) => link.recordSutEvent({ kind: 'http-request', method, url, path, bytes, status, ...(storedAs ? { storedAs } : {}) }));
  const lane: StationLane = { stationId, link, router, ledger, outside, adapter: adapterFromConfig(options.config, options.world), busy: false, files: urls, materials, declarations: new LaneDeclarations(options.plan, options.ocpp), referenceTraits: [] };
  lane.booted = new Promise((resolve) => (lane.markBooted = resolve));
  link.on('call', (pending) => {
    if (lane.busy) return;
    answerOutsideCase(pending, options);
    lane.markBooted?.();
  });
  if (options.startReference) {
    // Its default build: a case that needs another gets a reference of its own (fresh) or does not apply.
    const csmsUrl = await restartReference(lane, options, referenceConfig(options, runnable), []);
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

export async function awaitStation(lane: StationLane, options: SuiteOptions): Promise<string | undefined> {
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
export async function restartReference(lane: StationLane, options: SuiteOptions, config: HarnessConfig, traits: readonly StationTrait[]): Promise<string | undefined> {
  await lane.reference?.stop();
  // A station connected with TLS (security profile 2 and up) connects to the wss server.
  const csms = lane.materials.csms;
  const security = lane.materials.securityOf(config, lane.stationId);
  // A reference CSMS at profile 1 or 2 also serves the profile above, for the upgrade cases (A05).
  const upgraded = csms ? undefined : upgradedConfig(config, lane.materials.fitPassword);
  const upgradeSecurity = upgraded ? { upgradeSecurity: lane.materials.securityOf(upgraded, lane.stationId) } : {};
  const reference = await options.startReference!({
    stationId: lane.stationId, ocpp: options.ocpp, config, security, pki: lane.materials.pki, traits, ...upgradeSecurity, ...(csms ? { csmsUrl: csms.urlFor(security) } : {}),
  });
  lane.reference = reference;
  lane.referenceConfig = config;
  lane.referenceTraits = traits;
  lane.adapter = adapterFromConfig(config, { ...options.world, reference: reference.control });
  if (reference.csmsUrl && !options.target) lane.link.setEndpoint(reference.csmsUrl, security, reference.upgradeUrl);
  return reference.csmsUrl;
}

// Between cases the harness is a plain, accepting peer (the general pre-condition of OCPP 2.0.1
// Part 6: the station is accepted and connected): the background reply, else the default reply,
// which accepts a BootNotification.
function answerOutsideCase(pending: PendingCall, options: SuiteOptions): void {
  // The CSMS giving the harness-station its configured password back (between cases, A01) is accepted.
  const passwordBack = options.sut === 'csms' ? configuredPasswordReply(pending.call.action, pending.call.payload, options.config.security.basicAuthPassword) : undefined;
  if (passwordBack) return pending.respond(passwordBack);
  const render = (template: unknown) => renderValue(template, { config: options.config as unknown as Record<string, unknown>, captured: {}, clock: () => new Date() });
  answerAsBackground(pending, { version: options.ocpp, config: options.config, backgroundReplies: backgroundRepliesFor(options.config, options.ocpp), render, clock: () => new Date() });
}

export async function closeLane(lane: StationLane): Promise<void> {
  await lane.reference?.stop();
  await lane.link.drop().catch(() => undefined);
  await lane.adapter.closeAll();
  lane.router.end();
  lane.outside.close();
}
