import type { ConnectionStep } from '../../testcase/index.js';
import { HandshakeError, type TlsFailure } from '../../transport/index.js';
import type { CaseRun } from '../case-run.js';
import { errorStep, failStep } from '../step-stop.js';

/** Drops the connection, gets it back (the station reconnects, or the harness reconnects as station), or opens one with options. */
export async function runConnection(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  const link = run.env.link;
  if (step.operation === 'drop') {
    await link.drop();
    return 'connection closed';
  }
  if (link.options.role === 'csms') {
    if (step.operation === 'refuse') return refuseAttempts(step, run, timeoutMs);
    // The harness is the CSMS: only the station can bring the connection back.
    const since = performance.now();
    const session = await link.waitForSession(timeoutMs, { fresh: !link.session });
    if (run.pendingStop) throw run.pendingStop;
    if (!session) throw failStep('the station reconnects', `no connection within ${timeoutMs} ms${tlsFailuresText(link.tlsFailuresSince(since))}`);
    const path = step.path === undefined ? undefined : String(run.render(step.path));
    const at = link.endpoint?.path ?? '';
    if (path !== undefined && at !== path) throw failStep(`the station connects at endpoint path "${path}"`, `it connected at "${at}"${tlsFailuresText(link.tlsFailuresSince(since))}`);
    const delay = checkDelay(step, run, link.reconnectedAfterMs, 'the station reconnects');
    return `the station is connected${path !== undefined ? ` at "${at}"` : ''}${delay}`;
  }
  if (step.operation === 'refuse') throw errorStep('connection: refuse', 'only the harness as CSMS can refuse connection attempts');
  const overrides = { ...(step.subprotocols ? { subprotocols: step.subprotocols } : {}), ...(step.password !== undefined ? { password: String(run.render(step.password)) } : {}) };
  return step.refused ? expectRefusal(run, overrides) : openConnection(run, overrides);
}

// TC_B_46, TC_B_57: the harness answers the station's attempts with HTTP 503, one after the other,
// and judges when each came.
async function refuseAttempts(step: ConnectionStep, run: CaseRun, timeoutMs: number): Promise<string> {
  const link = run.env.link;
  const attempts = step.attempts ?? 1;
  const path = step.path === undefined ? undefined : String(run.render(step.path));
  link.refuseAttempts(attempts, path);
  const delays: string[] = [];
  for (let i = 1; i <= attempts; i++) {
    const refused = await link.waitForRefusal(timeoutMs);
    if (run.pendingStop) throw run.pendingStop;
    if (!refused) throw failStep(`the station tries to connect${path !== undefined ? ` at "${path}"` : ''} (attempt ${i} of ${attempts})`, `no attempt within ${timeoutMs} ms`);
    delays.push(checkDelay(step, run, refused.afterDownMs, `attempt ${i} comes`));
  }
  return `refused ${attempts} attempt${attempts === 1 ? '' : 's'}${path !== undefined ? ` at "${path}"` : ''}${delays.join('')}`;
}

/** Checks `minDelayS` against a measured delay; returns the text the step reports. */
function checkDelay(step: ConnectionStep, run: CaseRun, measuredMs: number | undefined, what: string): string {
  if (step.minDelayS === undefined) return measuredMs === undefined ? '' : ` after ${seconds(measuredMs)}`;
  const minimumS = Number(run.render(step.minDelayS));
  if (!Number.isFinite(minimumS)) throw errorStep('minDelayS', `"${String(step.minDelayS)}" is not a number of seconds`);
  if (measuredMs === undefined) throw errorStep(`${what} at least ${minimumS} s after the connection was lost`, 'the harness saw no loss of connection to measure from');
  // Timers may fire a little early and the two ends measure separately: allow 100 ms.
  if (measuredMs + DELAY_TOLERANCE_MS < minimumS * 1000) throw failStep(`${what} at least ${minimumS} s after the connection was lost or the previous attempt refused`, `it came after ${seconds(measuredMs)}`);
  return ` after ${seconds(measuredMs)} (at least ${minimumS} s)`;
}

/** What a station that did not come back may have run into: TLS handshakes that failed meanwhile. */
function tlsFailuresText(failures: readonly TlsFailure[]): string {
  if (failures.length === 0) return '';
  const last = failures.at(-1)!;
  return `; meanwhile ${failures.length} TLS handshake${failures.length === 1 ? '' : 's'} with the harness failed (last${last.remoteAddress ? ` from ${last.remoteAddress}` : ''}: ${last.reason})`;
}

const DELAY_TOLERANCE_MS = 100;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function openConnection(run: CaseRun, overrides: { subprotocols?: string[]; password?: string }): Promise<string> {
  try {
    const session = await run.env.link.connect(overrides);
    return `connected to the CSMS (subprotocol ocpp${session.version})`;
  } catch (error) {
    if (error instanceof HandshakeError) throw failStep('the CSMS accepts the connection', `${error.message} (HTTP ${error.handshake.responseStatus})`);
    throw errorStep('a connection to the CSMS', (error as Error).message);
  }
}

// OCPP-J §3.1.2 and TC_B_58_CSMS: with no subprotocol it speaks, the CSMS must not end up in an
// OCPP connection: it answers without upgrading, or completes the handshake without a subprotocol
// and closes. Agreeing to an offered subprotocol it does not speak is the failure.
async function expectRefusal(run: CaseRun, overrides: { subprotocols?: string[]; password?: string }): Promise<string> {
  const expected = `the CSMS refuses a connection offering ${overrides.subprotocols?.join(', ') ?? 'these credentials'}`;
  try {
    await run.env.link.connect(overrides);
  } catch (error) {
    if (!(error instanceof HandshakeError)) throw errorStep('a connection attempt to the CSMS', (error as Error).message);
    const { responseStatus, subprotocol } = error.handshake;
    if (subprotocol) throw failStep(expected, `it agreed to subprotocol "${subprotocol}" (HTTP ${responseStatus})`);
    return responseStatus === 101 ? 'refused: handshake completed without a subprotocol, then closed' : `refused: HTTP ${responseStatus}`;
  }
  await run.env.link.drop();
  throw failStep(expected, 'it accepted the connection');
}
