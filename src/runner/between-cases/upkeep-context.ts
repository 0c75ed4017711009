import type { HarnessConfig } from '../../config/index.js';
import { findConnector16 } from '../../domain/index.js';
import type { OcppVersion, Payload } from '../../protocol/index.js';
import type { CallOutcome, Session } from '../../session/index.js';
import { renderText, renderValue } from '../../testcase/index.js';
import type { Adapter, DeviceAction } from '../adapters/index.js';
import type { SutLink } from '../sut-link.js';
import type { SutLedger } from './sut-ledger.js';

/** What the work between cases runs with: the link to the SUT, what the wire told about it, the adapter. */
export interface UpkeepContext {
  version: OcppVersion;
  config: HarnessConfig;
  link: SutLink;
  ledger: SutLedger;
  adapter: Adapter;
  signal: AbortSignal;
}

/** What a piece of upkeep did, line by line, and what it could not do. */
export interface UpkeepReport {
  done: string[];
  problems: string[];
}

export function emptyReport(): UpkeepReport {
  return { done: [], problems: [] };
}

/** Adds what another piece of upkeep did to a report. */
export function absorb(report: UpkeepReport, other: UpkeepReport): void {
  report.done.push(...other.done);
  report.problems.push(...other.problems);
}

/** Resolves true once `holds()` is true (checked now and after every ledger change), false after the timeout. */
export function until(ledger: SutLedger, holds: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (holds()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (value: boolean) => {
      clearTimeout(timer);
      ledger.off('change', check);
      signal?.removeEventListener('abort', abort);
      resolve(value);
    };
    const check = () => holds() && finish(true);
    const abort = () => finish(false);
    const timer = setTimeout(() => finish(holds()), timeoutMs);
    ledger.on('change', check);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** Sends one CALL on the current session; a missing session is an outcome like a closed one. */
export async function callSut(context: UpkeepContext, action: string, payload: Payload, timeoutMs = context.config.timeouts.messageMs): Promise<CallOutcome> {
  const session: Session | undefined = context.link.session;
  if (!session) return { kind: 'closed' };
  return session.call(action, payload, { timeoutMs });
}

/** A CALLRESULT whose status is one of `statuses`. */
export function accepted(outcome: CallOutcome, statuses: readonly string[] = ['Accepted']): boolean {
  return outcome.kind === 'result' && statuses.includes(String(outcome.payload['status']));
}

/** One line for a CALL's outcome: the status it answered, or how it ended. */
export function describeOutcome(action: string, outcome: CallOutcome): string {
  switch (outcome.kind) {
    case 'result': return `${action} answered ${JSON.stringify(outcome.payload['status'] ?? outcome.payload)}`;
    case 'error': return `${action} answered CALLERROR ${outcome.errorCode}`;
    case 'timeout': return `${action} unanswered within ${outcome.timeoutMs} ms`;
    default: return `${action}: no connection`;
  }
}

/** Performs a device action through the adapter; returns a problem line unless it was done. */
export async function perform(context: UpkeepContext, action: DeviceAction): Promise<string | undefined> {
  const scope = { config: context.config as unknown as Record<string, unknown>, captured: {}, params: action.params, clock: () => new Date() };
  const outcome = await context.adapter.perform(action, {
    timeoutMs: context.config.timeouts.longOperationMs,
    signal: context.signal,
    render: (template) => renderText(template, scope),
    renderValue: (template) => renderValue(template, scope),
  });
  return outcome.status === 'done' ? undefined : `device action ${action.name} ${outcome.status}: ${outcome.reason}`;
}

/** The EVSE of a 1.6 connector id per the configured layout (1.6 lists connectors station-wide). */
export function evseOfConnector(config: HarnessConfig, connectorId: number): number {
  return findConnector16(config.evses, connectorId)?.evse.id ?? 1;
}
