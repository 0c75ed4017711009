import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { STANDARD_ACTIONS, createAdapterRouter, type ActionContext, type Adapter } from './index.js';

const context: ActionContext = { timeoutMs: 1_000, render: (template) => template, renderValue: (template) => template };

/** An adapter that says which one it is, and counts how often it was closed. */
function namedAdapter(kind: Adapter['kind'], closeError?: Error) {
  const state = { closed: 0 };
  const adapter: Adapter = {
    kind,
    perform: async () => ({ status: 'done', detail: kind }),
    close: async () => {
      state.closed += 1;
      if (closeError) throw closeError;
    },
  };
  return { adapter, state };
}

describe('adapter router', () => {
  it('sends each action to its adapter and the rest to the fallback', async () => {
    const command = namedAdapter('command');
    const prompt = namedAdapter('prompt');
    const router = createAdapterRouter({ byAction: { reboot: command.adapter, goOffline: command.adapter }, fallback: prompt.adapter });
    await expect(router.perform({ name: 'reboot', params: {} }, context)).resolves.toEqual({ status: 'done', detail: 'command' });
    await expect(router.perform({ name: 'plugIn', params: {} }, context)).resolves.toEqual({ status: 'done', detail: 'prompt' });
    await expect(router.perform({ name: 'constructor', params: {} }, context)).resolves.toEqual({ status: 'done', detail: 'prompt' });
    expect(router.adapterFor('goOffline')).toBe(command.adapter);
    expect(router.kind).toBe('prompt');
  });

  it('closes every distinct adapter once, even when one of them fails to close', async () => {
    const command = namedAdapter('command', new Error('busy'));
    const prompt = namedAdapter('prompt');
    const router = createAdapterRouter({ byAction: { reboot: command.adapter, goOffline: command.adapter }, fallback: prompt.adapter });
    await expect(router.closeAll()).rejects.toThrow('busy');
    expect([command.state.closed, prompt.state.closed]).toEqual([1, 1]);
  });
});

describe('standard actions', () => {
  it('mention every required param in their prompt, and render as plain English', () => {
    for (const [name, entry] of Object.entries(STANDARD_ACTIONS)) {
      const optional: readonly string[] = 'optional' in entry ? entry.optional : [];
      for (const param of entry.params.filter((p) => !optional.includes(p))) expect(entry.prompt, name).toContain(`{{params.${param}}}`);
      const params = Object.fromEntries(entry.params.map((param) => [param, `<${param}>`]));
      expect(Handlebars.compile(entry.prompt, { noEscape: true })({ params }), name).toMatch(/^[A-Z].*\.$/);
    }
    expect(Handlebars.compile(STANDARD_ACTIONS.plugIn.prompt)({ params: { evseId: 1, connectorId: 2 } })).toBe('Connect the EV to connector 2 of EVSE 1.');
  });
});
