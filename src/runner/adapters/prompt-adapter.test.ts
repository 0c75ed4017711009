import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { actionContextFor } from './action-context.test-support.js';
import { AdapterConfigError, createPromptAdapter, type ActionContext, type Adapter, type DeviceAction } from './index.js';

const contextFor = (action: DeviceAction, timeoutMs = 5_000): ActionContext => actionContextFor(action, {}, timeoutMs);
const PLUG_IN: DeviceAction = { name: 'plugIn', params: { evseId: 1, connectorId: 2 } };

/** An operator's terminal: what the adapter wrote so far, and a way to wait for more. */
function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  let prompts = 0;
  const waiters: Array<() => void> = [];
  output.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    prompts = text.split('Press Enter when done').length - 1;
    for (const wake of waiters.splice(0)) wake();
  });
  const untilPrompt = (count: number): Promise<void> =>
    prompts >= count ? Promise.resolve() : new Promise((resolve) => waiters.push(() => resolve(untilPrompt(count))));
  return { input, output, text: () => text, untilPrompt };
}

let adapter: Adapter | undefined;
afterEach(async () => {
  await adapter?.close?.();
  adapter = undefined;
});

describe('prompt adapter', () => {
  it('shows the standard prompt with the params and is done on Enter', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    const outcome = adapter.perform(PLUG_IN, contextFor(PLUG_IN));
    await term.untilPrompt(1);
    term.input.write('\n');
    await expect(outcome).resolves.toEqual({ status: 'done' });
    expect(term.text()).toContain('Connect the EV to connector 2 of EVSE 1.');
    expect(term.text()).toContain('(plugIn {"evseId":1,"connectorId":2})');
    expect(term.text()).toContain('Press Enter when done, or type "a" + Enter to abort:');
  });

  it('renders the action\'s own prompt, and aborts on "a"', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    const action: DeviceAction = { name: 'custom', params: { bay: 7 }, prompt: 'Open the barrier of bay {{params.bay}}.' };
    const outcome = adapter.perform(action, contextFor(action));
    await term.untilPrompt(1);
    term.input.write('a\n');
    await expect(outcome).resolves.toEqual({ status: 'aborted', reason: 'the operator aborted the action' });
    expect(term.text()).toContain('Open the barrier of bay 7.');
  });

  it('names an unknown action without a prompt, and asks again on an unrecognised answer', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    const action: DeviceAction = { name: 'wiggle', params: { times: 3 } };
    const outcome = adapter.perform(action, contextFor(action));
    await term.untilPrompt(1);
    term.input.write('maybe\n');
    await term.untilPrompt(2);
    term.input.write('skip\n');
    await expect(outcome).resolves.toEqual({ status: 'aborted', reason: 'the operator skipped the action' });
    expect(term.text()).toContain('Perform the device action "wiggle" with {"times":3}.');
    expect(term.text()).toContain('Unrecognised answer "maybe"');
  });

  it('asks two prompts in a row on the same streams', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    const unplug: DeviceAction = { name: 'unplug', params: { evseId: 1, connectorId: 1 } };
    const first = adapter.perform(PLUG_IN, contextFor(PLUG_IN));
    const second = adapter.perform(unplug, contextFor(unplug));
    await term.untilPrompt(1);
    // The second prompt waits for the first answer: one operator, one answer line.
    expect(term.text()).not.toContain('Unplug the cable');
    term.input.write('\n');
    await expect(first).resolves.toEqual({ status: 'done' });
    await term.untilPrompt(2);
    expect(term.text()).toContain('Unplug the cable from connector 1 of EVSE 1.');
    term.input.write('abort\n');
    await expect(second).resolves.toMatchObject({ status: 'aborted' });
  });

  it('takes piped answers written ahead of their prompts, in order', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    const first = adapter.perform(PLUG_IN, contextFor(PLUG_IN));
    await term.untilPrompt(1);
    term.input.write('\na\n');
    await expect(first).resolves.toEqual({ status: 'done' });
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toMatchObject({ status: 'aborted' });
  });

  it('aborts when the input ends, now and for every later prompt', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    const outcome = adapter.perform(PLUG_IN, contextFor(PLUG_IN));
    await term.untilPrompt(1);
    term.input.end();
    const closed = { status: 'aborted', reason: 'no operator input (stdin closed)' };
    await expect(outcome).resolves.toEqual(closed);
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toEqual(closed);
  });

  it('aborts when nobody answers in time', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN, 50))).resolves.toEqual({ status: 'aborted', reason: 'no answer within 0.05 s' });
    expect(term.text()).toContain('no answer within 0.05 s');
    // A timed-out prompt leaves the adapter ready for the next one.
    const next = adapter.perform(PLUG_IN, contextFor(PLUG_IN));
    await term.untilPrompt(2);
    term.input.write('\n');
    await expect(next).resolves.toEqual({ status: 'done' });
  });

  it('stops waiting when the run is cancelled', async () => {
    const term = terminal();
    adapter = createPromptAdapter(term);
    const controller = new AbortController();
    const outcome = adapter.perform(PLUG_IN, { ...contextFor(PLUG_IN), signal: controller.signal });
    await term.untilPrompt(1);
    controller.abort(new Error('run stopped'));
    await expect(outcome).resolves.toEqual({ status: 'aborted', reason: 'cancelled: run stopped' });
    await expect(adapter.perform(PLUG_IN, { ...contextFor(PLUG_IN), signal: controller.signal })).resolves.toMatchObject({ status: 'aborted' });
  });

  it('ends a pending prompt on close() and refuses use afterwards, leaving the input open', async () => {
    const term = terminal();
    const prompt = createPromptAdapter(term);
    const outcome = prompt.perform(PLUG_IN, contextFor(PLUG_IN));
    await term.untilPrompt(1);
    await prompt.close?.();
    await expect(outcome).resolves.toEqual({ status: 'aborted', reason: 'the prompt adapter was closed' });
    await expect(prompt.perform(PLUG_IN, contextFor(PLUG_IN))).rejects.toBeInstanceOf(AdapterConfigError);
    expect(term.input.destroyed).toBe(false);
  });
});
