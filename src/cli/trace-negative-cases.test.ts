import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// `trace` on the traces of the negative cases (OH_RPC): the frames the harness sent invalid on
// purpose accuse no one (meta.deliberate), and a CALL with an over-long id is answered by the
// CALLERROR that carries "-1" (OCPP-J 2.0.1 §4.2.3), as the live session judges it.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'ocpp-harness-trace-negative-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Inspection { findings: Array<{ code: string; severity: string; message: string }> }

describe('trace on the traces of the negative cases', () => {
  it('finds no violation where the run passed every OH_RPC case', async () => {
    const suite = await run(process.execPath, [main, 'run', '--builtin', '--ocpp', '2.0.1', '--sut', 'cs', '--module', 'robustness', '--out', out, '--reporter', 'line'], { cwd: root });
    expect(suite.stdout).toMatch(/7 cases: 7 pass/);
    const traces = readdirSync(join(out, 'traces')).filter((name) => name.startsWith('OH_RPC_'));
    expect(traces).toHaveLength(7);
    for (const name of traces) {
      const checked = await run(process.execPath, [main, 'trace', join(out, 'traces', name), '--format', 'json'], { cwd: root }).catch((failed: { stdout: string }) => failed);
      const violations = (JSON.parse(checked.stdout) as Inspection).findings.filter((finding) => finding.severity === 'violation');
      expect(violations, name).toEqual([]);
    }
  }, 120_000);
});
