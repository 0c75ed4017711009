import { describe, expect, it } from 'vitest';
import { reasonOf } from './results.test-support.js';
import { caseFile, runAgainstScript, writeTree } from './engine-harness.test-support.js';

// The one timeout rule (issue 12): each kind waits for its configured default unless the step
// gives timeoutMs (a number or a template, which sees the timeouts as configured), and
// --timeout-scale multiplies whichever it was, once. Configured: message 200, connect 300, long
// operation 400 ms; scale 2.
const TIMEOUTS = { messageMs: 200, connectMs: 300, longOperationMs: 400 };
const SCALE = 2;

/** Case id → steps, and what its failure must say (or, for an assertion's window, how long it must wait). */
const CASES: Record<string, { steps: string; within?: string; waitsMs?: number }> = {
  OH_TO_EXPECT_1_CS: { steps: '  - expect: Authorize\n', within: 'within 400 ms' },
  OH_TO_EXPECT_2_CS: { steps: '  - expect: Authorize\n    timeoutMs: 150\n', within: 'within 300 ms' },
  OH_TO_SEND_1_CS: { steps: '  - send: ClearCache\n    payload: {}\n', within: 'within 400 ms' },
  OH_TO_SEND_2_CS: { steps: "  - send: ClearCache\n    payload: {}\n    timeoutMs: '{{config.timeouts.connectMs}}'\n", within: 'within 600 ms' },
  OH_TO_ACTION_1_CS: { steps: '  - action: hang\n', within: 'within 800 ms' },
  OH_TO_ACTION_2_CS: { steps: '  - action: hang\n    timeoutMs: 150\n', within: 'within 300 ms' },
  OH_TO_WAIT_1_CS: { steps: '  - wait: { until: disconnected }\n', within: 'after 400 ms' },
  OH_TO_WAIT_2_CS: { steps: '  - connection: drop\n  - wait: { until: connected }\n', within: 'within 600 ms' },
  OH_TO_WAIT_3_CS: { steps: '  - connection: drop\n  - wait: { until: connected }\n    timeoutMs: 150\n', within: 'within 300 ms' },
  OH_TO_CONNECTION_1_CS: { steps: '  - connection: drop\n  - connection: restore\n', within: 'within 600 ms' },
  OH_TO_CONNECTION_2_CS: { steps: "  - connection: drop\n  - connection: restore\n    timeoutMs: '{{config.timeouts.messageMs}}'\n", within: 'within 400 ms' },
  OH_TO_ANYOF_1_CS: { steps: '  - anyOf:\n      - - expect: Authorize\n      - - expect: DataTransfer\n', within: 'within 400 ms' },
  OH_TO_ANYOF_2_CS: { steps: '  - anyOf:\n      - - expect: Authorize\n      - - expect: DataTransfer\n    timeoutMs: 150\n', within: 'within 300 ms' },
  OH_TO_ASSERT_1_CS: { steps: '  - assert: { some: { action: Authorize } }\n', waitsMs: 400 },
  OH_TO_ASSERT_2_CS: { steps: '  - assert: { some: { action: Authorize } }\n    timeoutMs: 100\n', waitsMs: 200 },
};

describe('step timeouts: a default per kind, timeoutMs over it, --timeout-scale on either', () => {
  it('every kind that waits honours its default, an override (literal or templated) and the scale', async () => {
    const root = writeTree(Object.fromEntries(Object.entries(CASES).map(([id, { steps }]) => [`ocpp2.0.1/core/${id}.yaml`, caseFile(id, steps)])));
    const result = await runAgainstScript(root, {
      // The station answers nothing and finishes no device action: each step waits its full time.
      onCall: (call) => (call.action === 'ClearCache' ? new Promise(() => undefined) : { payload: {} }),
      onAction: () => new Promise(() => undefined),
    }, { config: { timeouts: TIMEOUTS }, timeoutScale: SCALE });
    for (const [id, { within, waitsMs }] of Object.entries(CASES)) {
      const outcome = result.cases.find((candidate) => candidate.id === id)!;
      expect({ id, verdict: outcome.verdict }).toEqual({ id, verdict: id.includes('ACTION') ? 'error' : 'fail' });
      if (within) expect({ id, reason: reasonOf(outcome) }).toEqual({ id, reason: expect.stringContaining(within) });
      if (waitsMs) {
        // An assertion about what must be there waits its window out: as long as the timeout, and no longer than twice.
        const step = outcome.steps.at(-1)!;
        expect({ id, waited: step.durationMs >= waitsMs && step.durationMs < 2 * waitsMs }).toEqual({ id, waited: true });
      }
    }
  }, 60_000);
});
