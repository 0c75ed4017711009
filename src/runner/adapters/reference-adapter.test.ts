import { describe, expect, it } from 'vitest';
import { AdapterConfigError, createReferenceAdapter, type ActionContext, type ActionOutcome, type ControlTarget } from './index.js';

const context = (timeoutMs = 5_000): ActionContext => ({ timeoutMs, render: (template) => template, renderValue: (template) => template });

/** A stand-in for the reference implementation's control API that records what it was asked. */
function fakeTarget(answer: (name: string) => Promise<ActionOutcome> | ActionOutcome, actions?: readonly string[]) {
  const calls: Array<[string, Record<string, unknown>]> = [];
  const target: ControlTarget = {
    actions,
    perform: (name, params) => {
      calls.push([name, params]);
      return answer(name);
    },
  };
  return { target, calls };
}

describe('reference adapter (kind builtin)', () => {
  it('forwards the action and returns the target\'s outcome, sync or async', async () => {
    const { target, calls } = fakeTarget((name) => (name === 'plugIn' ? { status: 'done', detail: 'cable in' } : Promise.resolve({ status: 'failed', reason: 'no EV' })));
    const adapter = createReferenceAdapter(target);
    await expect(adapter.perform({ name: 'plugIn', params: { evseId: 1 } }, context())).resolves.toEqual({ status: 'done', detail: 'cable in' });
    await expect(adapter.perform({ name: 'evResume', params: { evseId: 1 } }, context())).resolves.toEqual({ status: 'failed', reason: 'no EV' });
    expect(calls).toEqual([['plugIn', { evseId: 1 }], ['evResume', { evseId: 1 }]]);
    expect(adapter.kind).toBe('builtin');
  });

  it('is unsupported for an action the target does not list, without calling it', async () => {
    const { target, calls } = fakeTarget(() => ({ status: 'done' }), ['plugIn']);
    await expect(createReferenceAdapter(target).perform({ name: 'driveIn', params: {} }, context())).resolves.toEqual({
      status: 'unsupported',
      reason: 'the built-in implementation has no action "driveIn"',
    });
    expect(calls).toEqual([]);
  });

  it('fails when the target does not answer in time', async () => {
    const { target } = fakeTarget(() => new Promise<ActionOutcome>(() => undefined));
    await expect(createReferenceAdapter(target).perform({ name: 'reboot', params: {} }, context(50))).resolves.toEqual({ status: 'failed', reason: 'no result within 50 ms' });
  });

  it('turns a throwing target into a failed outcome', async () => {
    const { target } = fakeTarget(() => {
      throw new Error('no such EVSE');
    });
    await expect(createReferenceAdapter(target).perform({ name: 'plugIn', params: {} }, context())).resolves.toEqual({
      status: 'failed',
      reason: 'the built-in implementation threw: no such EVSE',
    });
  });

  it('answers aborted when the run was cancelled before the action', async () => {
    const { target, calls } = fakeTarget(() => ({ status: 'done' }));
    const signal = AbortSignal.abort(new Error('run stopped'));
    await expect(createReferenceAdapter(target).perform({ name: 'plugIn', params: {} }, { ...context(), signal })).resolves.toEqual({
      status: 'aborted',
      reason: 'cancelled: run stopped',
    });
    expect(calls).toEqual([]);
  });

  it('throws for a timeout that is not positive: a programmer error, not a device problem', async () => {
    const { target, calls } = fakeTarget(() => ({ status: 'done' }));
    await expect(createReferenceAdapter(target).perform({ name: 'plugIn', params: {} }, context(0))).rejects.toBeInstanceOf(AdapterConfigError);
    expect(calls).toEqual([]);
  });
});
