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
  try {
    const overrides = { ...(step.subprotocols ? { subprotocols: step.subprotocols } : {}), ...(step.password !== undefined ? { password: String(run.render(step.password)) } : {}) };
    await link.connect(overrides);
    return 'connected to the CSMS';
  } catch (error) {
    if (error instanceof HandshakeError) throw failStep('the CSMS accepts the connection', `${error.message} (HTTP ${error.handshake.responseStatus})`);
    throw errorStep('a connection to the CSMS', (error as Error).message);
  }
}
