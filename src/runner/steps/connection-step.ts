import type { ConnectionStep } from '../../testcase/index.js';
import { HandshakeError } from '../../transport/index.js';
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
    // The harness is the CSMS: only the station can bring the connection back.
    const session = await link.waitForSession(timeoutMs, { fresh: !link.session });
    if (run.pendingStop) throw run.pendingStop;
    if (!session) throw failStep('the station reconnects', `no connection within ${timeoutMs} ms`);
    return 'the station is connected';
  }
  const overrides = { ...(step.subprotocols ? { subprotocols: step.subprotocols } : {}), ...(step.password !== undefined ? { password: String(run.render(step.password)) } : {}) };
  return step.refused ? expectRefusal(run, overrides) : openConnection(run, overrides);
}

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
