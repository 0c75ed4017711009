import { createInterface, type Interface } from 'node:readline';
import { AdapterConfigError, ownEntry, type ActionContext, type ActionOutcome, type Adapter, type DeviceAction } from './adapter.js';
import { armDeadline, cancelledBeforeStart, cancelledOutcome } from './deadline.js';
import { STANDARD_ACTIONS } from './route.js';

/** The streams an operator answers on; usually process.stdin and process.stdout. */
export interface PromptAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

const HINT = 'Press Enter when done, or type "a" + Enter to abort: ';
const ABORT_ANSWERS: Record<string, string> = { a: 'the operator aborted the action', abort: 'the operator aborted the action', s: 'the operator skipped the action', skip: 'the operator skipped the action' };

/** Creates an adapter that asks an operator at the terminal to perform each action. */
export function createPromptAdapter(options: PromptAdapterOptions): Adapter {
  return new PromptAdapter(options);
}

/** An answer line, or undefined when the input has ended. */
type Answer = string | undefined;

class PromptAdapter implements Adapter {
  readonly kind = 'prompt';
  private lines: Interface | undefined;
  private inputEnded = false;
  private closed = false;
  /** Lines piped in before their prompt: scripted answers, kept in order. */
  private readonly typedAhead: string[] = [];
  private waiter: ((answer: Answer) => void) | undefined;
  /** Prompts take turns, so two actions never share the operator's one answer line. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PromptAdapterOptions) {}

  perform(action: DeviceAction, context: ActionContext): Promise<ActionOutcome> {
    if (this.closed) return Promise.reject(new AdapterConfigError('the prompt adapter was used after close()'));
    const mine = this.turn.then(() => this.ask(action, context));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Closing readline pauses the input without destroying it: stdin stays usable for others.
    this.lines?.close();
    this.lines = undefined;
  }

  private ask(action: DeviceAction, context: ActionContext): Promise<ActionOutcome> {
    const early = cancelledBeforeStart(context);
    if (early) return Promise.resolve(early);
    this.write(`\n${describeAction(action, context)}\n${HINT}`);
    this.listen();
    return new Promise((resolve) => {
      const finish = (outcome: ActionOutcome) => {
        disarm();
        this.waiter = undefined;
        resolve(outcome);
      };
      const disarm = armDeadline(context, (why) => {
        this.waiter = undefined;
        if (why.kind === 'cancelled') return resolve(cancelledOutcome(why.reason));
        this.write(`\n(no answer within ${why.timeoutMs / 1000} s: skipped)\n`);
        resolve({ status: 'aborted', reason: `no answer within ${why.timeoutMs / 1000} s` });
      });
      this.waiter = (answer) => {
        if (answer === undefined) return finish({ status: 'aborted', reason: this.closed ? 'the prompt adapter was closed' : 'no operator input (stdin closed)' });
        const word = answer.trim().toLowerCase();
        if (word === '') return finish({ status: 'done' });
        const refusal = ownEntry(ABORT_ANSWERS, word);
        if (refusal) return finish({ status: 'aborted', reason: refusal });
        this.write(`Unrecognised answer "${answer.trim()}". ${HINT}`);
      };
      const queued = this.typedAhead.shift();
      if (queued !== undefined) this.waiter(queued);
      else if (this.inputEnded) this.waiter(undefined);
    });
  }

  /** Opens the one readline interface of this adapter on first use. */
  private listen(): void {
    if (this.lines || this.inputEnded) return;
    const input = this.options.input;
    // An input that ended before the first prompt never emits 'end' again for readline to see.
    if ((input as { readableEnded?: boolean }).readableEnded) {
      this.inputEnded = true;
      return;
    }
    // A terminal's lines typed between prompts are stray keypresses, not answers to the next
    // prompt; a pipe's are a script's answers, so they wait for their prompt.
    const keepTypedAhead = !(input as { isTTY?: boolean }).isTTY;
    this.lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.lines.on('line', (line) => {
      if (this.waiter) this.waiter(line);
      else if (keepTypedAhead) this.typedAhead.push(line);
    });
    this.lines.on('close', () => {
      this.inputEnded = true;
      this.waiter?.(undefined);
    });
  }

  private write(text: string): void {
    this.options.output.write(text);
  }
}

/** The operator's instruction: the action's prompt, else the standard one, else its name; then its params. */
function describeAction(action: DeviceAction, context: ActionContext): string {
  const template = action.prompt ?? ownEntry<{ prompt: string }>(STANDARD_ACTIONS, action.name)?.prompt;
  const params = Object.keys(action.params).length > 0 ? JSON.stringify(action.params) : '';
  if (template === undefined) return `Perform the device action "${action.name}"${params ? ` with ${params}` : ''}.`;
  let text: string;
  try {
    text = context.render(template);
  } catch {
    // The operator can still act on the raw template; a broken template must not lose the step.
    text = template;
  }
  return params ? `${text}\n  (${action.name} ${params})` : text;
}
