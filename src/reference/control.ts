/** How a control action on a reference implementation ended (the same shape adapters report). */
export type ControlOutcome =
  | { status: 'done'; detail?: string }
  | { status: 'failed'; reason: string }
  | { status: 'unsupported'; reason: string }
  | { status: 'aborted'; reason: string };

/**
 * The control API of a reference implementation: the device actions a test case asks for (plug
 * in, present a token, reboot; or, for the CSMS, "send X"). The `builtin` adapter calls it in
 * process; `ocpp-harness simulate` serves it over a small local HTTP endpoint.
 */
export interface ReferenceControl {
  /** The action names it knows. */
  readonly actions: readonly string[];
  perform(name: string, params: Record<string, unknown>): Promise<ControlOutcome> | ControlOutcome;
}

/** Builds a control from a table of action handlers; unknown names answer `unsupported`. */
export function controlFrom(handlers: Record<string, (params: Record<string, unknown>) => Promise<ControlOutcome> | ControlOutcome>): ReferenceControl {
  return {
    actions: Object.keys(handlers),
    async perform(name, params) {
      const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
      if (!handler) return { status: 'unsupported', reason: `the reference knows no action "${name}"; it knows: ${Object.keys(handlers).join(', ')}` };
      try {
        return await handler(params);
      } catch (error) {
        return { status: 'failed', reason: (error as Error).message };
      }
    },
  };
}
