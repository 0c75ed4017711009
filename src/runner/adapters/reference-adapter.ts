import type { ActionOutcome, Adapter } from './adapter.js';
import { armDeadline, cancelledBeforeStart, cancelledOutcome } from './deadline.js';

/**
 * The control API the harness's built-in reference station or CSMS must offer: it performs a
 * device action on itself (plugs in a simulated cable, reboots, sends a CALL on command).
 */
export interface ControlTarget {
  /** Performs the action; like an adapter, it answers device-side problems with an outcome. */
  perform(name: string, params: Record<string, unknown>): Promise<ActionOutcome> | ActionOutcome;
  /** The action names it knows; when given, any other name is unsupported without a call. */
  readonly actions?: readonly string[];
}

/** Creates an adapter that forwards actions to the built-in implementation, within the action's timeout. */
export function createReferenceAdapter(target: ControlTarget): Adapter {
  return {
    kind: 'builtin',
    async perform(action, context) {
      if (target.actions && !target.actions.includes(action.name)) {
        return { status: 'unsupported', reason: `the built-in implementation has no action "${action.name}"` };
      }
      const early = cancelledBeforeStart(context);
      if (early) return early;
      return new Promise<ActionOutcome>((resolve) => {
        const disarm = armDeadline(context, (why) => {
          resolve(why.kind === 'timeout' ? { status: 'failed', reason: `no result within ${why.timeoutMs} ms` } : cancelledOutcome(why.reason));
        });
        const settle = (outcome: ActionOutcome) => {
          disarm();
          resolve(outcome);
        };
        // A throwing target is a bug in the reference implementation; report it on the case, keep the run going.
        Promise.resolve()
          .then(() => target.perform(action.name, action.params))
          .then(settle, (error: unknown) => settle({ status: 'failed', reason: `the built-in implementation threw: ${(error as Error)?.message ?? String(error)}` }));
      });
    },
  };
}
