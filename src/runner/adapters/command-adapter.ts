import { spawn, type ChildProcess } from 'node:child_process';
import { ownEntry, renderTemplate, type ActionContext, type ActionOutcome, type Adapter, type DeviceAction } from './adapter.js';
import { armDeadline, cancelledBeforeStart, cancelledOutcome } from './deadline.js';

/**
 * Shell commands per action name; each is a template rendered for the action (see ActionContext).
 * Besides the harness's environment, a command gets OCPP_HARNESS_ACTION (the action's name) and
 * OCPP_HARNESS_PARAMS (its params as JSON).
 */
export interface CommandAdapterOptions {
  commands: Record<string, string>;
  /** Runs for actions without an entry in `commands`; without it, those are unsupported. */
  defaultCommand?: string;
  cwd?: string;
  /** Added to the harness's own environment. */
  env?: Record<string, string>;
  /** Exit codes by which a command says it cannot perform this action: the case becomes inconclusive. */
  unsupported?: { exitCodes: number[] };
}

/** Keep this much of each output stream: enough for the verdict's reason, bounded for chatty commands. */
const KEPT_OUTPUT_CHARS = 64 * 1024;
const STDERR_EXCERPT_CHARS = 300;
/**
 * After the shell exits, how long to wait for its output pipes to close. A command that starts
 * a background process (a simulator, say) leaves them open for as long as that process runs.
 */
const PIPE_DRAIN_MS = 200;

/** Creates an adapter that runs a shell command (`/bin/sh -c`) per action. */
export function createCommandAdapter(options: CommandAdapterOptions): Adapter {
  return {
    kind: 'command',
    async perform(action, context) {
      const template = ownEntry(options.commands, action.name) ?? options.defaultCommand;
      if (template === undefined) return { status: 'unsupported', reason: `no command is configured for "${action.name}"` };
      const early = cancelledBeforeStart(context);
      if (early) return early;
      const command = renderTemplate(context, template, `command for "${action.name}"`);
      if ('outcome' in command) return command.outcome;
      return runCommand(command.text, action, options, context);
    },
  };
}

function runCommand(command: string, action: DeviceAction, options: CommandAdapterOptions, context: ActionContext): Promise<ActionOutcome> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, OCPP_HARNESS_ACTION: action.name, OCPP_HARNESS_PARAMS: JSON.stringify(action.params) },
      // Its own process group, so a timeout kills the shell and everything it started.
      detached: true,
      // stdin stays with the operator: a command must not swallow the answers to prompts.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout = keepTail(stdout + text)));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr = keepTail(stderr + text)));
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const settle = (outcome: ActionOutcome) => {
      if (settled) return;
      settled = true;
      disarm();
      clearTimeout(drainTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(outcome);
    };
    const disarm = armDeadline(context, (why) => {
      killGroup(child);
      settle(why.kind === 'timeout' ? { status: 'failed', reason: `no result within ${why.timeoutMs} ms` } : cancelledOutcome(why.reason));
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null) => settle(outcomeOfExit(code, signal, stdout, stderr, options.unsupported?.exitCodes ?? []));
    child.on('error', (error) => settle({ status: 'failed', reason: `cannot run the command: ${error.message}` }));
    child.on('exit', (code, signal) => {
      if (!settled) drainTimer = setTimeout(() => finish(code, signal), PIPE_DRAIN_MS);
    });
    child.on('close', finish);
  });
}

function outcomeOfExit(code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, unsupportedCodes: readonly number[]): ActionOutcome {
  if (code === 0) {
    const lastLine = stdout.trimEnd().split('\n').at(-1)?.trim();
    return lastLine ? { status: 'done', detail: lastLine } : { status: 'done' };
  }
  const how = code === null ? `killed by ${signal ?? 'a signal'}` : `exit code ${code}`;
  const excerpt = stderr.trim().slice(-STDERR_EXCERPT_CHARS);
  const reason = excerpt ? `${how}: ${excerpt}` : how;
  return code !== null && unsupportedCodes.includes(code) ? { status: 'unsupported', reason } : { status: 'failed', reason };
}

function keepTail(text: string): string {
  return text.length > KEPT_OUTPUT_CHARS ? text.slice(-KEPT_OUTPUT_CHARS) : text;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    // The negative pid addresses the whole group that `detached` created.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone (ESRCH): nothing left to stop.
  }
}
