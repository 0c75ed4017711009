import type { ActionOutcome } from '../../reference/index.js';

/** A step the harness cannot perform over OCPP: something done to the device or the CSMS. */
export interface DeviceAction {
  /** The action's name, one of STANDARD_ACTIONS or a lab's own. */
  name: string;
  params: Record<string, unknown>;
  /** Operator-facing text, e.g. "Connect the EV to EVSE 1" (a Handlebars template). */
  prompt?: string;
}

/** How a device action ended: one type for the references and every adapter. */
export type { ActionOutcome };

/** What the runner hands an adapter along with each action. */
export interface ActionContext {
  /** How long the action may take; Infinity waits forever. */
  timeoutMs: number;
  /** Aborted when the run is cancelled; the adapter stops and answers `aborted`. */
  signal?: AbortSignal;
  /**
   * Renders a template to text with the case's context (params, config, captured, with the
   * test-case template rules): an object becomes JSON, an omitted or null value the empty string.
   * Its output goes into shell commands, URLs and headers, so nothing is HTML-escaped.
   */
  render: (template: string) => string;
  /**
   * Renders every template inside a value, keeping types: a string that is one expression
   * (`{{params.payload}}`) yields that value, and `{{optional x}}` leaves the field out when x is absent.
   */
  renderValue: (template: unknown) => unknown;
}

/** Performs device actions one way: asking an operator, running a command, calling an API. */
export interface Adapter {
  readonly kind: 'prompt' | 'command' | 'http' | 'builtin';
  /** Performs the action; device-side problems come back as an outcome, never as an exception. */
  perform(action: DeviceAction, context: ActionContext): Promise<ActionOutcome>;
  /**
   * The params this adapter passes on for the action, as dotted paths (`action`, `evseId`);
   * undefined when it passes on all of them or cannot tell. What it keeps back, the SUT must
   * have worked out itself, which is what a relayed pass is judged on.
   */
  forwardedParams?(action: DeviceAction): string[] | undefined;
  /** Releases what the adapter holds (a readline interface, a connection). */
  close?(): Promise<void>;
}

/** An adapter configured or called wrongly: a programmer's or lab configuration's mistake, never the device's. */
export class AdapterConfigError extends Error {
  readonly code = 'OH_ADAPTER_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'AdapterConfigError';
  }
}

/** Looks up a per-action entry without ever matching an inherited name such as "toString". */
export function ownEntry<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Renders a template, turning a broken template into a `failed` outcome instead of an exception. */
export function renderTemplate(context: ActionContext, template: string, what: string): { text: string } | { outcome: ActionOutcome } {
  try {
    return { text: context.render(template) };
  } catch (error) {
    return { outcome: { status: 'failed', reason: `cannot render the ${what} template: ${(error as Error).message}` } };
  }
}
