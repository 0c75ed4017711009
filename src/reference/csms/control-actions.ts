import type { Payload } from '../../protocol/index.js';
import { controlFrom, type ActionOutcome, type ReferenceControl } from '../control.js';
import type { CsmsContext } from './context.js';
import { csmsSend } from './csms-send.js';
import { BOOT_STATUSES, ID_TOKEN_STATUSES, type BootStatus, type IdTokenStatus } from './types.js';

function text(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw new Error(`parameter "${name}" must be a non-empty string`);
  return value;
}

function optionalText(params: Record<string, unknown>, name: string): string | undefined {
  return params[name] === undefined ? undefined : text(params, name);
}

function oneOf<T extends string>(params: Record<string, unknown>, name: string, allowed: readonly T[]): T {
  const value = text(params, name);
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`parameter "${name}" must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

function optionalPayload(params: Record<string, unknown>): Payload | undefined {
  const value = params['payload'];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('parameter "payload" must be a JSON object');
  return value as Payload;
}

async function disconnect(context: CsmsContext, params: Record<string, unknown>): Promise<ActionOutcome> {
  const station = context.state.target(optionalText(params, 'stationId'));
  if (!station?.session?.isOpen) return { status: 'failed', reason: 'that station is not connected to the CSMS' };
  const info = await station.session.close(1000, 'closed by the CSMS on request');
  return { status: 'done', detail: `closed the connection of ${station.stationId} (code ${info.code})` };
}

/**
 * The control API of the reference CSMS: `csmsSend { stationId?, action, payload?, awaitResponse?,
 * force? }`, `csmsSetBootResult { status }`, `csmsAddIdToken { idToken, status, type?, groupIdToken? }`,
 * `csmsDisconnect { stationId? }`. A bad parameter makes the action fail, never throw.
 */
export function csmsControl(context: CsmsContext): ReferenceControl {
  return controlFrom({
    // A caller that waits for the exchange gets the station's answer in the outcome.
    csmsSend: (params, { wait }) => csmsSend(context, {
      action: text(params, 'action'),
      ...withDefined('stationId', optionalText(params, 'stationId')),
      ...withDefined('payload', optionalPayload(params)),
      awaitResponse: wait || params['awaitResponse'] === true,
      force: params['force'] === true,
    }),
    csmsSetBootResult: (params) => {
      const status: BootStatus = oneOf(params, 'status', BOOT_STATUSES);
      context.settings.bootStatus = status;
      return { status: 'done', detail: `the next BootNotification is answered ${status}` };
    },
    csmsAddIdToken: (params) => {
      const idToken = text(params, 'idToken');
      const status: IdTokenStatus = oneOf(params, 'status', ID_TOKEN_STATUSES);
      const group = optionalText(params, 'groupIdToken');
      context.tokens.set(idToken, status, optionalText(params, 'type'), group);
      return { status: 'done', detail: `id token ${idToken} is ${status}${group ? ` in group ${group}` : ''}` };
    },
    csmsDisconnect: (params) => disconnect(context, params),
  }, context.exchanges, () => csmsStatus(context));
}

/** What makes the CSMS's view of its stations idle or not: connection, boot status, connectors, open transactions. */
function csmsStatus(context: CsmsContext): Record<string, unknown> {
  const snapshot = context.state.snapshot();
  return {
    nextBootResult: context.settings.bootStatus,
    stations: snapshot.stations.map(({ stationId, connected, bootStatus, connectors }) => ({ stationId, connected, ...(bootStatus ? { bootStatus } : {}), connectors })),
    activeTransactions: snapshot.transactions.filter((transaction) => transaction.active).map(({ stationId, transactionId }) => ({ stationId, transactionId })),
  };
}

function withDefined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
