import { connect } from 'node:net';
import type { DeviceAction } from '../adapters/index.js';
import { bootPayload, restoreConfiguredPassword } from './password-restore.js';
import { accepted, callSut, describeOutcome, emptyReport, perform, type UpkeepContext, type UpkeepReport } from './upkeep-context.js';

// Work between cases when the SUT is a CSMS and the harness plays the station. Whatever the
// harness-station left open at the CSMS is closed the way a real station would close it: its
// transactions end, its connectors report Available, and it disconnects; every case then starts
// with a fresh connection and boot (Part 6 "Booted").

/**
 * Ends what the harness-station left open at the CSMS, undoes what the case made the CSMS do
 * (a boot result it was told to give), and closes the connection.
 */
export async function restoreHarnessStation(context: UpkeepContext, undos: DeviceAction[]): Promise<UpkeepReport> {
  const report = emptyReport();
  for (const undo of undos) {
    const problem = await perform(context, undo);
    if (problem) report.problems.push(problem);
    else report.done.push(`device action ${undo.name} ${JSON.stringify(undo.params)}`);
  }
  // First: a CSMS holding a password the case set admits the station with nothing else.
  await restoreConfiguredPassword(context, report);
  const { ledger } = context;
  if (ledger.transactions.size > 0 || ledger.busyConnectors().length > 0) {
    if (await ensureRegistered(context, report)) {
      await endTransactions(context, report);
      await reportAvailable(context, report);
    }
  }
  ledger.transactions.clear();
  ledger.connectors.clear();
  ledger.forgetChanges();
  if (context.link.session) {
    await context.link.drop(1000, 'case over');
    report.done.push('disconnected');
  }
  return report;
}

/** Why the CSMS cannot be reached now (a TCP connection to its endpoint), or undefined when it can. */
export function unreachable(endpoint: string, timeoutMs: number): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return Promise.resolve(`the target ${endpoint} is not a URL`);
  }
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (problem: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(`cannot reach the CSMS at ${endpoint}: no TCP connection within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => finish(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(`cannot reach the CSMS at ${endpoint}: ${error.code ?? error.message}`));
  });
}

// The CSMS accepts a transaction's end only from a registered station (B02/B03 for 2.x, 1.6 §4.2).
async function ensureRegistered(context: UpkeepContext, report: UpkeepReport): Promise<boolean> {
  const { link, ledger, version } = context;
  if (link.session && ledger.registration === 'Accepted') return true;
  try {
    if (!link.session) await link.connect();
  } catch (error) {
    report.problems.push(`cannot reconnect to end what the case left open: ${(error as Error).message}`);
    return false;
  }
  const outcome = await callSut(context, 'BootNotification', bootPayload(version));
  if (accepted(outcome)) return true;
  report.problems.push(`the CSMS did not accept the harness-station's boot: ${describeOutcome('BootNotification', outcome)}`);
  return false;
}

async function endTransactions(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const now = () => new Date().toISOString();
  for (const tx of [...context.ledger.transactions.values()]) {
    const outcome = context.version === '1.6'
      ? await callSut(context, 'StopTransaction', { transactionId: Number(tx.transactionId), meterStop: tx.meterStart ?? 0, timestamp: now(), reason: 'EVDisconnected' })
      : await callSut(context, 'TransactionEvent', {
        eventType: 'Ended', timestamp: now(), triggerReason: 'EVDeparted', seqNo: (tx.lastSeqNo ?? 0) + 1,
        transactionInfo: { transactionId: String(tx.transactionId), stoppedReason: 'EVDisconnected' },
        ...(tx.evseId !== undefined ? { evse: { id: tx.evseId, ...(tx.connectorId !== undefined ? { connectorId: tx.connectorId } : {}) } } : {}),
      });
    const action = context.version === '1.6' ? 'StopTransaction' : 'TransactionEvent';
    if (outcome.kind === 'result') report.done.push(`transaction ${String(tx.transactionId)} ended`);
    else report.problems.push(`transaction ${String(tx.transactionId)} not ended: ${describeOutcome(action, outcome)}`);
  }
}

async function reportAvailable(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  for (const connector of context.ledger.busyConnectors()) {
    const payload = context.version === '1.6'
      ? { connectorId: connector.connectorId, errorCode: 'NoError', status: 'Available' }
      : { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: connector.evseId, connectorId: connector.connectorId };
    const outcome = await callSut(context, 'StatusNotification', payload);
    if (outcome.kind === 'result') report.done.push(`reported connector ${connector.evseId}/${connector.connectorId} Available`);
    else report.problems.push(describeOutcome('StatusNotification', outcome));
  }
}
