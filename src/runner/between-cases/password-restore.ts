import type { Payload } from '../../protocol/index.js';
import type { CallReply } from '../../session/index.js';
import type { PendingCall } from '../sut-link.js';
import { accepted, callSut, describeOutcome, perform, type UpkeepContext, type UpkeepReport } from './upkeep-context.js';

// Work between cases when the SUT is a CSMS: a case that had the CSMS give the harness-station a
// new Basic-auth password (TC_A_09_CSMS, 1.6 TC_073_CSMS) leaves the CSMS admitting only that one
// (A01.FR.03). The CSMS is made to set the configured password back the way it set the case's: a
// SetVariables of SecurityCtrlr.BasicAuthPassword (2.x) or a ChangeConfiguration of AuthorizationKey
// (1.6 security whitepaper), which the harness accepts. No password goes into a report line.

/**
 * The request that sets the station's Basic-auth password, as csmsSend params (payload and key
 * values). `awaitResponse`: a CSMS that can report the answer does so before the harness
 * reconnects, so that it has taken the password back by then.
 */
function passwordRequest(version: UpkeepContext['version'], password: string): Record<string, unknown> {
  if (version === '1.6') return { action: 'ChangeConfiguration', key: 'AuthorizationKey', payload: { key: 'AuthorizationKey', value: password }, awaitResponse: true };
  const item = { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: password };
  return { action: 'SetVariables', component: 'SecurityCtrlr', variable: 'BasicAuthPassword', attributeValue: password, payload: { setVariableData: [item] }, awaitResponse: true };
}

/** The password a CSMS request sets for the station, if it sets one. */
function passwordSetBy(action: string, payload: Payload): string | undefined {
  if (action === 'ChangeConfiguration') return payload['key'] === 'AuthorizationKey' && typeof payload['value'] === 'string' ? payload['value'] : undefined;
  if (action !== 'SetVariables') return undefined;
  const items = (payload['setVariableData'] ?? []) as Array<{ variable?: { name?: unknown }; attributeValue?: unknown }>;
  const value = items.find((item) => item.variable?.name === 'BasicAuthPassword')?.attributeValue;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Outside a case the harness-station accepts a CSMS request that gives it back its configured
 * password (the set-back below); undefined for any other request, which gets its usual answer.
 */
export function configuredPasswordReply(action: string, payload: Payload, configured: string | undefined): CallReply | undefined {
  if (configured === undefined || passwordSetBy(action, payload) !== configured) return undefined;
  if (action === 'ChangeConfiguration') return { payload: { status: 'Accepted' } };
  return { payload: { setVariableResult: [{ attributeStatus: 'Accepted', component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] } };
}

/** Resolves true once the harness-station has received a CALL of `action`, false after the timeout. */
function callReceived(context: UpkeepContext, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const onCall = (pending: PendingCall) => {
      if (pending.call.action === action) finish(true);
    };
    const finish = (received: boolean) => {
      clearTimeout(timer);
      context.link.off('call', onCall);
      resolve(received);
    };
    const timer = setTimeout(() => finish(false), context.config.timeouts.messageMs);
    context.link.on('call', onCall);
  });
}

/**
 * When the CSMS admitted the station last with a password the case set: connects with it, boots,
 * has the CSMS set the configured password back (device action csmsSend) and connects again with
 * the configured one, which the CSMS must admit.
 */
export async function restoreConfiguredPassword(context: UpkeepContext, report: UpkeepReport): Promise<void> {
  const { link, config, version } = context;
  const casePassword = link.admittedOtherPassword;
  const configured = config.security.basicAuthPassword;
  if (casePassword === undefined || configured === undefined || casePassword === configured) return;
  try {
    if (!link.session) await link.connect({ password: casePassword });
  } catch (error) {
    return void report.problems.push(`cannot connect with the password the case set, to have the configured one set back: ${(error as Error).message}`);
  }
  const boot = await callSut(context, 'BootNotification', bootPayload(version));
  if (!accepted(boot)) return void report.problems.push(`the CSMS did not accept the harness-station's boot: ${describeOutcome('BootNotification', boot)}`);
  const request = passwordRequest(version, configured);
  const received = callReceived(context, String(request['action']));
  const problem = await perform(context, { name: 'csmsSend', params: request });
  if (problem) return void report.problems.push(problem.replace(configured, '<redacted>'));
  if (!(await received)) return void report.problems.push(`the CSMS sent no ${String(request['action'])} with the configured password within ${config.timeouts.messageMs} ms`);
  try {
    await link.connect();
    report.done.push('the CSMS set the configured Basic-auth password back and admitted the station with it');
  } catch (error) {
    report.problems.push(`the CSMS did not admit the configured password after setting it back: ${(error as Error).message}`);
  }
}

/** A BootNotification of the harness-station. */
export function bootPayload(version: UpkeepContext['version']): Payload {
  return version === '1.6'
    ? { chargePointVendor: 'ocpp-harness', chargePointModel: 'HarnessStation' }
    : { reason: 'PowerUp', chargingStation: { vendorName: 'ocpp-harness', model: 'HarnessStation' } };
}
