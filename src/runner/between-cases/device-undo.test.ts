import { describe, expect, it } from 'vitest';
import type { ActionContext, Adapter, DeviceAction } from '../adapters/index.js';
import { DeviceActionLog } from './device-undo.js';

const context = { timeoutMs: 1000, render: (template: string) => template } as unknown as ActionContext;

/** A device that performs everything and remembers what it was asked. */
function device(): Adapter & { performed: string[] } {
  const performed: string[] = [];
  return { kind: 'builtin', performed, perform: async (action: DeviceAction) => (performed.push(action.name), { status: 'done' }) };
}

describe('undoing device actions between cases', () => {
  it('undoes removeCsmsRoots with restoreCsmsRoots, unless the case restored them itself', async () => {
    const log = new DeviceActionLog();
    const recording = log.recording(device());
    await recording.perform({ name: 'removeCsmsRoots', params: {} }, context);
    expect(log.takeUndos()).toEqual([{ name: 'restoreCsmsRoots', params: {} }]);
    await recording.perform({ name: 'removeCsmsRoots', params: {} }, context);
    await recording.perform({ name: 'restoreCsmsRoots', params: {} }, context);
    expect(log.takeUndos()).toEqual([]);
  });
});
