import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 15: live progress on a terminal, seen through a real pseudo-terminal: util-linux's
// `script` runs the CLI on one and hands back everything written to it.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
const CLEAR_LINE = '\r\x1b[K';

function onTerminal(...args: string[]): { code: number | null; screen: string } {
  // -q quiet, -f flush at once, -e the command's exit code, -c the command; the typescript file is not wanted.
  const result = spawnSync('script', ['-qfec', [process.execPath, main, ...args].join(' '), '/dev/null'], { cwd: root, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new Error(`cannot run script(1) from util-linux: ${result.error.message}`);
  return { code: result.status, screen: result.stdout };
}

const out = () => mkdtempSync(join(tmpdir(), 'oh-live-'));
const CASES = ['TC_B_01_CS', 'TC_B_03_CS'];

describe('live progress', { timeout: 90_000 }, () => {
  it('on a terminal: one line rewritten in place with the case, its step, what it waits for, the time left, the tally and the time to go', () => {
    const { code, screen } = onTerminal('run', '--builtin', '--workers', '1', ...CASES, '--out', out(), '--reporter', 'console,json');
    expect(code).toBe(0);
    const frames = screen.split(CLEAR_LINE);
    expect(frames).toContain('[0/2] TC_B_01_CS step 1 state Booted');
    expect(frames.some((frame) => /^\[0\/2\] TC_B_01_CS step [\d.]+ expect BootNotificationRequest, \d+ s left$/.test(frame))).toBe(true);
    // TC_B_03_CS waits out a 5 s interval: the countdown moves while the step waits.
    const waiting = frames.filter((frame) => /^\[1\/2\] TC_B_03_CS step 3 .*, \d+ s left \| 1 pass \| about \d+s to go$/.test(frame));
    expect(new Set(waiting.map((frame) => /(\d+) s left/.exec(frame)![1])).size).toBeGreaterThan(1);
    // The case lines and the summary print as plain lines above it; the line is gone at the end.
    expect(screen).toMatch(/PASS +TC_B_01_CS /);
    expect(screen).toMatch(/\r\n2 cases: 2 pass in [\d.]+ s\r\n/);
    expect(screen.lastIndexOf(CLEAR_LINE)).toBeLessThan(screen.indexOf('2 cases: 2 pass'));
  });

  it('--reporter line on a terminal: plain lines only', () => {
    const { code, screen } = onTerminal('run', '--builtin', 'TC_B_01_CS', '--out', out(), '--reporter', 'line,json');
    expect(code).toBe(0);
    expect(screen).not.toContain(CLEAR_LINE);
    expect(screen).toMatch(/^PASS +TC_B_01_CS .*\r\n\r\n1 cases: 1 pass in/m);
  });

  it('--reporter dot on a terminal: quiet, a character per case and the summary', () => {
    const { code, screen } = onTerminal('run', '--builtin', ...CASES, '--out', out(), '--reporter', 'dot,json');
    expect(code).toBe(0);
    expect(screen).not.toContain(CLEAR_LINE);
    expect(screen).not.toContain('PASS');
    expect(screen).toMatch(/\.\.\r\n\r\n2 cases: 2 pass in/);
  });

  it('not on a terminal: plain lines', () => {
    const result = spawnSync(process.execPath, [main, 'run', '--builtin', 'TC_B_01_CS', '--out', out(), '--reporter', 'console,json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(/^PASS +TC_B_01_CS /m);
  });
});
