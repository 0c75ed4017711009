import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionContextFor } from './action-context.test-support.js';
import { createCommandAdapter, type ActionContext, type DeviceAction } from './index.js';

const contextFor = (action: DeviceAction, timeoutMs = 5_000): ActionContext => actionContextFor(action, { station: 'CS-1' }, timeoutMs);
const PLUG_IN: DeviceAction = { name: 'plugIn', params: { evseId: 1, connectorId: 2 } };
const scratch = mkdtempSync(join(tmpdir(), 'ocpp-harness-command-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('command adapter', () => {
  it('runs the rendered command and reports the last line of its output', async () => {
    const adapter = createCommandAdapter({ commands: { plugIn: 'echo first; echo "  plugged {{config.station}} evse {{params.evseId}}/{{params.connectorId}}  "' } });
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toEqual({ status: 'done', detail: 'plugged CS-1 evse 1/2' });
  });

  it('is done without detail when the command prints nothing', async () => {
    const adapter = createCommandAdapter({ commands: { plugIn: 'true' } });
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toEqual({ status: 'done' });
  });

  it('exposes the action as environment variables, beside the configured env and cwd', async () => {
    const adapter = createCommandAdapter({
      commands: {},
      defaultCommand: 'printf "%s|%s|%s|%s" "$OCPP_HARNESS_ACTION" "$OCPP_HARNESS_PARAMS" "$LAB" "$(pwd)" > out.txt',
      cwd: scratch,
      env: { LAB: 'bench-3' },
    });
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toEqual({ status: 'done' });
    const [action, params, lab, cwd] = readFileSync(join(scratch, 'out.txt'), 'utf8').split('|');
    expect(action).toBe('plugIn');
    expect(JSON.parse(params ?? '')).toEqual(PLUG_IN.params);
    expect(lab).toBe('bench-3');
    expect(cwd).toBe(scratch);
  });

  it('fails with the exit code and the end of stderr', async () => {
    const adapter = createCommandAdapter({ commands: { plugIn: 'echo ignored; echo "relay stuck on EVSE {{params.evseId}}" >&2; exit 3' } });
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toEqual({ status: 'failed', reason: 'exit code 3: relay stuck on EVSE 1' });
  });

  it('is unsupported on a declared exit code, and still fails on any other', async () => {
    const adapter = createCommandAdapter({ commands: { plugIn: 'echo "no cable robot on this bench" >&2; exit {{params.evseId}}' }, unsupported: { exitCodes: [1, 64] } });
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toEqual({ status: 'unsupported', reason: 'exit code 1: no cable robot on this bench' });
    const other: DeviceAction = { name: 'plugIn', params: { evseId: 2 } };
    await expect(adapter.perform(other, contextFor(other))).resolves.toEqual({ status: 'failed', reason: 'exit code 2: no cable robot on this bench' });
  });

  it('renders an absent optional param as nothing and an object param as JSON', async () => {
    const adapter = createCommandAdapter({ commands: { csmsSend: "printf '%s|%s' '{{optional params.transactionId}}' '{{params.payload}}'{{#if params.evseId}} evse{{/if}}" } });
    const send: DeviceAction = { name: 'csmsSend', params: { action: 'Reset', payload: { type: 'OnIdle' } } };
    await expect(adapter.perform(send, contextFor(send))).resolves.toEqual({ status: 'done', detail: '|{"type":"OnIdle"}' });
  });

  it('keeps only the last 300 characters of stderr', async () => {
    const adapter = createCommandAdapter({ commands: { plugIn: 'head -c 1000 /dev/zero | tr "\\0" x >&2; printf END >&2; exit 1' } });
    const outcome = await adapter.perform(PLUG_IN, contextFor(PLUG_IN));
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.reason).toBe(`exit code 1: ${'x'.repeat(297)}END`);
  });

  it('kills the whole process group when the command overruns its timeout', async () => {
    const pidFile = join(scratch, 'sleep.pid');
    const adapter = createCommandAdapter({ commands: { plugIn: `sleep 5 & echo $! > ${pidFile}; wait` } });
    const started = performance.now();
    await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN, 300))).resolves.toEqual({ status: 'failed', reason: 'no result within 300 ms' });
    expect(performance.now() - started).toBeLessThan(4_000);
    const sleepPid = Number(readFileSync(pidFile, 'utf8'));
    // The killed sleep may linger as a zombie until reaped: poll its state rather than sleep.
    await expect.poll(() => isRunning(sleepPid), { timeout: 2_000 }).toBe(false);
  });

  it('is done when the shell exits, even if a process it started in the background keeps its output open', async () => {
    const pidFile = join(scratch, 'daemon.pid');
    const adapter = createCommandAdapter({ commands: { plugIn: `sleep 5 & echo $! > ${pidFile}; echo simulator started` } });
    try {
      await expect(adapter.perform(PLUG_IN, contextFor(PLUG_IN, 3_000))).resolves.toEqual({ status: 'done', detail: 'simulator started' });
    } finally {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  it('is unsupported for an action without a command, even one named like an Object method', async () => {
    const adapter = createCommandAdapter({ commands: { plugIn: 'true' } });
    await expect(adapter.perform({ name: 'toString', params: {} }, contextFor(PLUG_IN))).resolves.toEqual({
      status: 'unsupported',
      reason: 'no command is configured for "toString"',
    });
  });

  it('fails, without throwing, on a broken template or a missing directory', async () => {
    const broken = createCommandAdapter({ commands: { plugIn: 'echo {{#if}}' } });
    await expect(broken.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toMatchObject({ status: 'failed', reason: expect.stringContaining('cannot render') });
    const homeless = createCommandAdapter({ commands: { plugIn: 'true' }, cwd: join(scratch, 'missing') });
    await expect(homeless.perform(PLUG_IN, contextFor(PLUG_IN))).resolves.toMatchObject({ status: 'failed', reason: expect.stringContaining('cannot run the command') });
  });

  it('stops the command when the run is cancelled', async () => {
    const adapter = createCommandAdapter({ commands: { plugIn: 'echo started; sleep 5' } });
    const controller = new AbortController();
    const outcome = adapter.perform(PLUG_IN, { ...contextFor(PLUG_IN), signal: controller.signal });
    controller.abort('operator pressed Ctrl-C');
    await expect(outcome).resolves.toEqual({ status: 'aborted', reason: 'cancelled: operator pressed Ctrl-C' });
  });
});

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // A zombie (state Z) is dead, only waiting to be reaped.
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
