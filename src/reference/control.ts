import type { Payload } from '../protocol/index.js';
import { ExchangeTracker } from './exchanges.js';

/** The answer of the other side to a CALL a control action sent (csmsSend). */
export type CallAnswer =
  | { action: string; payload: Payload }
  | { action: string; errorCode: string; errorDescription: string };

/**
 * How a device action ended, on a reference implementation or through any adapter. Only `done`
 * lets the case go on; `aborted` makes it inconclusive, `unsupported` means another adapter must
 * be configured, `failed` means the attempt went wrong.
 */
export type ActionOutcome =
  /** `answer`: a waited csmsSend's answer from the other side. */
  | { status: 'done'; detail?: string; answer?: CallAnswer }
  /** An operator refused or skipped, or the run was cancelled: the case becomes inconclusive. */
  | { status: 'aborted'; reason: string }
  /** This adapter (or reference) cannot perform this action. */
  | { status: 'unsupported'; reason: string }
  /** The attempt did not work (exit code, HTTP status, timeout). */
  | { status: 'failed'; reason: string };

/** How the caller wants the action performed. */
export interface PerformOptions {
  /**
   * Answer only once the OCPP exchange the action caused has finished: every CALL the reference
   * sent for it answered (and what those answers made it send), like a synchronous device API.
   */
  wait?: boolean;
  /** The longest wait (default DEFAULT_WAIT_TIMEOUT_MS); past it the action reports `failed`. */
  timeoutMs?: number;
}

/** The longest a waited action waits for its exchange by default. */
export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

/**
 * The control API of a reference implementation: the device actions a test case asks for (plug
 * in, present a token, reboot; or, for the CSMS, "send X"). The `builtin` adapter calls it in
 * process; `ocpp-harness simulate` serves it over a small local HTTP endpoint.
 */
export interface ReferenceControl {
  /** The action names it knows. */
  readonly actions: readonly string[];
  perform(name: string, params: Record<string, unknown>, options?: PerformOptions): Promise<ActionOutcome> | ActionOutcome;
  /** What the reference's idle state consists of now (connection, registration, connectors, transactions). */
  status(): Record<string, unknown>;
}

/** A control action handler; `wait` tells it the caller waits for the exchange (csmsSend then reports the answer). */
export type ControlHandler = (params: Record<string, unknown>, options: { wait: boolean }) => Promise<ActionOutcome> | ActionOutcome;

/**
 * Builds a control from a table of action handlers; unknown names answer `unsupported`. A waited
 * action runs inside an exchange of `exchanges`, which the reference feeds with the CALLs it sends.
 */
export function controlFrom(handlers: Record<string, ControlHandler>, exchanges: ExchangeTracker, status: () => Record<string, unknown>): ReferenceControl {
  return {
    actions: Object.keys(handlers),
    status,
    async perform(name, params, options = {}) {
      const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
      if (!handler) return { status: 'unsupported', reason: `the reference knows no action "${name}"; it knows: ${Object.keys(handlers).join(', ')}` };
      const wait = options.wait === true;
      try {
        if (!wait) return await handler(params, { wait });
        const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
        const outcome = await exchanges.run(() => handler(params, { wait }), timeoutMs);
        if (outcome.settled) return outcome.value;
        return { status: 'failed', reason: `${name}: the exchange it caused did not finish within ${timeoutMs} ms; still open: ${[...new Set(outcome.pending)].join(', ')}` };
      } catch (error) {
        return { status: 'failed', reason: (error as Error).message };
      }
    },
  };
}
