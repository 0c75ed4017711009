import { connectorName, isPlugged } from '../../domain/index.js';
import type { Session } from '../../session/index.js';
import type { DeviceAction } from '../adapters/index.js';
import { ENDPOINT_PATHS } from '../csms-endpoints.js';
import type { SettingSnapshot } from './setting-snapshot.js';
import { absorb, accepted, callSut, describeOutcome, emptyReport, evseOfConnector, perform, until, type UpkeepContext, type UpkeepReport } from './upkeep-context.js';

// Work between cases when the SUT is a charging station and the harness its CSMS. OCPP 2.0.1
// Part 6 starts every case from its general pre-conditions: the station connected and
// Accepted, every connector Available, no transaction, nothing the CSMS changed left in force.

/** What the station's idle state lacks now, one line each; empty when it is idle. */
export function stationIdleProblems(context: UpkeepContext): string[] {
  const { ledger, link, version } = context;
  if (!link.session) return [`no connection from ${link.options.stationId}`];
  const problems: string[] = [];
  if (ledger.registration !== undefined && ledger.registration !== 'Accepted') problems.push(`its boot is ${ledger.registration}`);
  for (const tx of ledger.transactions.values()) problems.push(`transaction ${String(tx.transactionId)} running${since(tx.since)}`);
  for (const connector of ledger.busyConnectors()) problems.push(`${connectorName(version, connector.evseId, connector.connectorId)} ${connector.status}${since(connector.since)}`);
  for (const entry of ledger.unavailable.values()) problems.push(`${describeScope(entry.scope)} set Inoperative${since(entry.since)}`);
  return problems;
}

/**
 * Brings the station back to idle after a case: connectivity and registration first (a station
 * offline, Pending or Rejected cannot be asked anything), then transactions, then what the case
 * did to the device, then what it changed over OCPP. `reset` ends with a Reset of the station.
 */
export async function restoreStation(context: UpkeepContext, options: { undos: DeviceAction[]; settings: SettingSnapshot; installedBefore?: unknown[]; reset: boolean }): Promise<UpkeepReport> {
  const report = emptyReport();
  const connectivity = options.undos.filter((undo) => undo.name === 'goOnline');
  await runUndos(context, connectivity, report);
  if (!(await awaitConnection(context))) {
    report.problems.push(`${context.link.options.stationId} did not connect within ${context.config.timeouts.connectMs} ms`);
    return report;
  }
  await restoreSecurityProfile(context, report);
  await acceptRegistration(context, report);
  await stopTransactions(context, report);
  await cancelReservations(context, report);
  await runUndos(context, options.undos.filter((undo) => undo.name !== 'goOnline'), report);
  await unplugBusyConnectors(context, report);
  await restoreAvailability(context, report);
  // Before the settings: LocalAuthListEnabled set back to false would refuse the update.
  await emptyLocalList(context, report);
  await clearChargingProfiles(context, report);
  if (options.installedBefore) await removeInstalledCertificates(context, options.installedBefore, report);
  const session = context.link.session;
  let rebootRequired = false;
  if (session) {
    const restored = await options.settings.restore(session, [...context.ledger.variables.values()]);
    absorb(report, restored);
    rebootRequired = restored.rebootRequired;
    if (restored.reconnects) await awaitReconnection(context, session, report);
  }
  context.ledger.forgetChanges();
  // A setting set back with RebootRequired is in force only after a reboot (B05.FR.0x, 1.6 §5.3).
  if (options.reset || rebootRequired) await resetStation(context, report);
  return report;
}

/**
 * The certificates the station lists now, to compare after a case that installs some: 2.x lists
 * every type at once; a 1.6 Charge Point one certificateType per request (1.6 security whitepaper
 * M03), so both of its types are asked.
 */
export async function installedCertificates(context: UpkeepContext): Promise<unknown[] | undefined> {
  if (context.version === '1.6') {
    const listed: unknown[] = [];
    for (const certificateType of ['CentralSystemRootCertificate', 'ManufacturerRootCertificate']) {
      const outcome = await callSut(context, 'GetInstalledCertificateIds', { certificateType });
      if (outcome.kind !== 'result') return undefined;
      listed.push(...(outcome.payload['certificateHashData'] as unknown[] | undefined ?? []));
    }
    return listed;
  }
  const outcome = await callSut(context, 'GetInstalledCertificateIds', {});
  if (outcome.kind !== 'result') return undefined;
  return (outcome.payload['certificateHashDataChain'] as Array<Record<string, unknown>> | undefined ?? []).map((chain) => chain['certificateHashData']);
}

/** A station given its password back closes its connection and connects again with it (A01.FR.01). */
async function awaitReconnection(context: UpkeepContext, session: Session, report: UpkeepReport): Promise<void> {
  const { longOperationMs } = context.config.timeouts;
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([session.whenClosed().then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), longOperationMs)))]);
  clearTimeout(timer);
  if (!closed) return void report.problems.push(`the station kept its connection ${longOperationMs} ms after its password was set back`);
  if (await awaitConnection(context)) report.done.push('the station connected again with the configured password');
  else report.problems.push(`the station did not connect again within ${context.config.timeouts.connectMs} ms after its password was set back`);
}

/**
 * A station the case upgraded to a higher security profile (A05, TC_A_19_CS) is connected at the
 * upgrade endpoint, and never goes back over OCPP (A05.FR.06, B09.FR.04): the device action
 * restoreSecurityProfile sets it back by other means, and it connects as configured again.
 */
async function restoreSecurityProfile(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const session = context.link.session;
  if (!session || context.link.endpoint?.path !== ENDPOINT_PATHS.upgrade) return;
  const problem = await perform(context, { name: 'restoreSecurityProfile', params: {} });
  if (problem) return void report.problems.push(`the station stays at the security profile it was upgraded to: ${problem}`);
  report.done.push('device action restoreSecurityProfile');
  const { longOperationMs } = context.config.timeouts;
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([session.whenClosed().then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), longOperationMs)))]);
  clearTimeout(timer);
  if (!closed) return void report.problems.push(`the station kept its connection at the upgrade endpoint ${longOperationMs} ms after restoreSecurityProfile`);
  if (!(await awaitConnection(context))) return void report.problems.push(`the station did not connect again within ${context.config.timeouts.connectMs} ms after restoreSecurityProfile`);
  if (context.link.endpoint?.path === ENDPOINT_PATHS.upgrade) report.problems.push('the station connected at the upgrade endpoint again after restoreSecurityProfile');
  else report.done.push('the station connected again at its configured security profile');
}

/** Waits for a connection: the station may be rebooting after the case. */
export async function awaitConnection(context: UpkeepContext): Promise<boolean> {
  return Boolean(await context.link.waitForSession(context.config.timeouts.connectMs));
}

async function runUndos(context: UpkeepContext, undos: DeviceAction[], report: UpkeepReport): Promise<void> {
  for (const undo of undos) {
    const problem = await perform(context, undo);
    if (problem) report.problems.push(problem);
    else report.done.push(`device action ${undo.name} ${JSON.stringify(undo.params)}`);
  }
}

// B02.FR.0x / F06.FR.17: a Pending station boots again when triggered, and the harness between
// cases accepts it. A Rejected station talks to no one until its interval is over (B03.FR.02);
// a reboot is the way back when that interval is long.
async function acceptRegistration(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const { ledger, config } = context;
  const isAccepted = () => ledger.registration === undefined || ledger.registration === 'Accepted';
  if (isAccepted()) return;
  const was = ledger.registration;
  if (was === 'Pending') {
    const outcome = await callSut(context, 'TriggerMessage', { requestedMessage: 'BootNotification' });
    report.done.push(`TriggerMessage BootNotification: ${describeOutcome('TriggerMessage', outcome)}`);
    if (await until(ledger, isAccepted, config.timeouts.messageMs, context.signal)) return void report.done.push('boot accepted after the trigger');
  }
  const intervalMs = (ledger.bootIntervalS ?? 0) * 1000;
  const since = ledger.lastBootAtMs ?? performance.now();
  const remainingMs = Math.max(0, since + intervalMs - performance.now()) + config.timeouts.messageMs;
  if (remainingMs <= config.timeouts.messageMs * 2 && (await until(ledger, isAccepted, remainingMs, context.signal))) {
    return void report.done.push('boot accepted after its interval');
  }
  const problem = await perform(context, { name: 'reboot', params: {} });
  if (problem) return void report.problems.push(`the station's boot stays ${was}: ${problem}`);
  if (await until(ledger, isAccepted, config.timeouts.longOperationMs, context.signal)) return void report.done.push('rebooted and accepted');
  report.problems.push(`the station's boot stays ${ledger.registration}`);
}

async function stopTransactions(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const { ledger, version, config } = context;
  if (ledger.transactions.size === 0) return;
  for (const tx of [...ledger.transactions.values()]) {
    const outcome = version === '1.6'
      ? await callSut(context, 'RemoteStopTransaction', { transactionId: Number(tx.transactionId) })
      : await callSut(context, 'RequestStopTransaction', { transactionId: String(tx.transactionId) });
    report.done.push(`stop transaction ${String(tx.transactionId)}: ${describeOutcome(version === '1.6' ? 'RemoteStopTransaction' : 'RequestStopTransaction', outcome)}`);
  }
  if (await until(ledger, () => ledger.transactions.size === 0, config.timeouts.messageMs, context.signal)) return;
  // A station that does not end on a remote stop ends when the cable goes.
  for (const tx of ledger.transactions.values()) {
    if (tx.connectorId === undefined) continue;
    const evseId = tx.evseId ?? evseOfConnector(config, tx.connectorId);
    const problem = await perform(context, { name: 'unplug', params: { evseId, connectorId: tx.connectorId } });
    if (problem) report.problems.push(problem);
  }
  if (await until(ledger, () => ledger.transactions.size === 0, config.timeouts.messageMs, context.signal)) return;
  // The last resort: an Immediate reset ends every transaction (B12.FR.0x, 1.6 Reset Hard).
  report.done.push(`transactions still running (${[...ledger.transactions.keys()].join(', ')}): resetting the station`);
  await resetStation(context, report);
  if (!(await until(ledger, () => ledger.transactions.size === 0, config.timeouts.messageMs, context.signal))) {
    report.problems.push(`transactions still running: ${[...ledger.transactions.keys()].join(', ')}`);
  }
}

// 1.6 §5.1, 2.x H02: a reservation the case left is cancelled (Rejected: it had already ended,
// expired unreported), and the connectors it held are given time to report Available.
async function cancelReservations(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const { ledger, config } = context;
  if (ledger.reservations.size === 0) return;
  for (const reservation of [...ledger.reservations.values()]) {
    const outcome = await callSut(context, 'CancelReservation', { reservationId: reservation.reservationId });
    report.done.push(`reservation ${reservation.reservationId} cancelled: ${describeOutcome('CancelReservation', outcome)}`);
    if (outcome.kind !== 'result') report.problems.push(`reservation ${reservation.reservationId} not cancelled: ${describeOutcome('CancelReservation', outcome)}`);
  }
  ledger.reservations.clear();
  const reserved = () => [...ledger.connectors.values()].filter((connector) => connector.status === 'Reserved');
  if (!(await until(ledger, () => reserved().length === 0, config.timeouts.messageMs, context.signal))) {
    report.problems.push(`still Reserved after the cancel: ${reserved().map((connector) => connectorName(context.version, connector.evseId, connector.connectorId)).join(', ')}`);
  }
}

// A status that says the cable is still in; Unavailable and Faulted are left to ChangeAvailability
// and the undo of faultConnector.

async function unplugBusyConnectors(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const { ledger, config, version } = context;
  const plugged = () => ledger.busyConnectors().filter((connector) => isPlugged(connector.status));
  // The station may still be on its way to Available after the undos.
  if (await until(ledger, () => plugged().length === 0, Math.min(config.timeouts.messageMs, 2_000), context.signal)) return;
  for (const connector of plugged()) {
    const evseId = version === '1.6' ? evseOfConnector(config, connector.connectorId) : connector.evseId;
    const problem = await perform(context, { name: 'unplug', params: { evseId, connectorId: connector.connectorId } });
    if (problem) report.problems.push(problem);
    else report.done.push(`unplugged ${connectorName(version, connector.evseId, connector.connectorId)} (${connector.status})`);
  }
  await until(ledger, () => plugged().length === 0, config.timeouts.messageMs, context.signal);
}

async function restoreAvailability(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  for (const entry of [...context.ledger.unavailable.values()]) {
    const payload = context.version === '1.6'
      ? { connectorId: entry.scope.connectorId ?? 0, type: 'Operative' }
      : { operationalStatus: 'Operative', ...(entry.scope.evse ? { evse: entry.scope.evse } : {}) };
    const outcome = await callSut(context, 'ChangeAvailability', payload);
    if (accepted(outcome, ['Accepted', 'Scheduled'])) report.done.push(`${describeScope(entry.scope)} set Operative`);
    else report.problems.push(`${describeScope(entry.scope)} not set Operative: ${describeOutcome('ChangeAvailability', outcome)}`);
  }
}

async function clearChargingProfiles(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  for (const id of [...context.ledger.chargingProfiles.keys()]) {
    const outcome = await callSut(context, 'ClearChargingProfile', context.version === '1.6' ? { id } : { chargingProfileId: id });
    if (accepted(outcome)) report.done.push(`charging profile ${id} cleared`);
    // Unknown: the station no longer has it, e.g. a TxProfile deleted with its transaction (K02.FR.05, 1.6 §3.13.1).
    else if (accepted(outcome, ['Unknown'])) report.done.push(`charging profile ${id} already gone`);
    else report.problems.push(`charging profile ${id} not cleared: ${describeOutcome('ClearChargingProfile', outcome)}`);
  }
}

// 1.6 §5.15: a list a case installed is replaced by an empty Full update, so that the next case
// meets the list version 0 (§5.10) of a station no one gave a list. The entries of a list the lab
// had before cannot be read back over OCPP; a lab that needs one installs it in afterEach.
async function emptyLocalList(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const changedBy = context.ledger.localListChangedBy;
  if (changedBy === undefined || context.version !== '1.6') return;
  // Errata 3.52: a listVersion is never 0 or -1; an empty list reports 0 whatever its version.
  const outcome = await callSut(context, 'SendLocalList', { listVersion: 1, updateType: 'Full' });
  if (accepted(outcome)) report.done.push(`local authorization list set by ${changedBy} emptied`);
  else report.problems.push(`local authorization list set by ${changedBy} not emptied: ${describeOutcome('SendLocalList', outcome)}`);
}

// M04: what the case installed goes; what the station had before stays.
async function removeInstalledCertificates(context: UpkeepContext, before: unknown[], report: UpkeepReport): Promise<void> {
  const now = await installedCertificates(context);
  if (!now) return void report.problems.push('GetInstalledCertificateIds gave no list: certificates the case installed may remain');
  const known = new Set(before.map((hash) => JSON.stringify(hash)));
  for (const hash of now.filter((candidate) => !known.has(JSON.stringify(candidate)))) {
    const outcome = await callSut(context, 'DeleteCertificate', { certificateHashData: hash as Record<string, unknown> });
    if (accepted(outcome)) report.done.push(`certificate ${String((hash as Record<string, unknown>)['serialNumber'])} deleted`);
    else report.problems.push(`certificate ${String((hash as Record<string, unknown>)['serialNumber'])} not deleted: ${describeOutcome('DeleteCertificate', outcome)}`);
  }
}

// B11/B12 (1.6 Reset Hard): the station reboots; the harness accepts its boot between cases.
async function resetStation(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const { link, ledger, config } = context;
  const bootsBefore = ledger.lastBootAtMs;
  const outcome = await callSut(context, 'Reset', context.version === '1.6' ? { type: 'Hard' } : { type: 'Immediate' });
  report.done.push(describeOutcome('Reset', outcome));
  if (!accepted(outcome)) return void report.problems.push(`the station did not accept the Reset: ${describeOutcome('Reset', outcome)}`);
  const rebooted = await until(ledger, () => ledger.lastBootAtMs !== bootsBefore && ledger.registration === 'Accepted' && Boolean(link.session), config.timeouts.longOperationMs, context.signal);
  if (!rebooted) report.problems.push(`no accepted boot within ${config.timeouts.longOperationMs} ms after the Reset`);
}

function since(caseId: string | undefined): string {
  return caseId ? ` since ${caseId}` : '';
}

function describeScope(scope: { evse?: Record<string, unknown>; connectorId?: number }): string {
  if (scope.connectorId !== undefined) return scope.connectorId === 0 ? 'the station' : `connector ${scope.connectorId}`;
  if (!scope.evse) return 'the station';
  return scope.evse['connectorId'] !== undefined ? `EVSE ${String(scope.evse['id'])} connector ${String(scope.evse['connectorId'])}` : `EVSE ${String(scope.evse['id'])}`;
}
