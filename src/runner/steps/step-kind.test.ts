import { describe, expect, it } from 'vitest';
import { checkCatalog, formatSourceProblem, loadCatalog, StepFormats, text, writeScratchTree, type Step } from '../../testcase/index.js';
import { STEP_KINDS } from './index.js';
import { perItem, type StepKind } from './step-kind.js';

// The worked example of docs/testcase-format.md ("Adding a step kind"), word for word.

/** A line in the report, rendered with the step's templates. */
export interface NoteStep extends Step {
  kind: 'note';
  text: string;
}

export const noteKind: StepKind<NoteStep> = {
  name: 'note',
  summary: 'Put a line into the report (templates allowed).',
  fields: { note: text('The line; templates allowed.') },
  // It waits for nothing, so a timeoutMs on it is a misplaced field.
  timeout: undefined,
  normalise: (raw, common) => ({ ...common, kind: 'note', text: String(raw['note']) }),
  check: (raw, path, check) => check.templates(raw['note'], [...path, 'note']),
  describe: () => 'note',
  run: perItem((step, run, scope) => String(run.render(step.text, scope))),
};

describe('adding a step kind: one module and its registration', () => {
  const kinds = new StepFormats<StepKind>([...STEP_KINDS.list, noteKind as unknown as StepKind]);
  const header = 'id: TC_X_01_CS\ntitle: t\nocpp: 2.0.1\nsut: cs\nmodule: core\npurpose: p\nrequirements:\n  R.1: r\nsteps:\n  - expect: Heartbeat\n    checks: [R.1]\n';

  function problemsOf(steps: string): string[] {
    const root = writeScratchTree({ 'ocpp2.0.1/core/TC_X_01_CS.yaml': `${header}${steps}` });
    const catalog = loadCatalog(root, kinds);
    return [...catalog.problems, ...checkCatalog(catalog, { isConfigPath: () => false })].map((p) => formatSourceProblem({ ...p, file: 'TC_X_01_CS.yaml' }));
  }

  it('the loader reads the new kind, and check runs its own check', () => {
    const root = writeScratchTree({ 'ocpp2.0.1/core/TC_X_01_CS.yaml': `${header}  - note: 'token {{captured.token}}'\n    title: the token\n` });
    const catalog = loadCatalog(root, kinds);
    expect(catalog.cases[0]?.steps[1]).toEqual({ kind: 'note', text: 'token {{captured.token}}', title: 'the token' });
    expect(problemsOf("  - note: 'token {{captured.token}}'\n")).toEqual([
      'TC_X_01_CS.yaml:12: steps[1].note: template variable "captured.token" is not captured by an earlier step (captured so far: nothing)',
    ]);
  });

  it('its schema is closed: a timeoutMs on a kind that waits for nothing is misplaced', () => {
    expect(problemsOf('  - note: hello\n    timeoutMs: 5\n')).toEqual([
      'TC_X_01_CS.yaml:13: steps[1]: "timeoutMs" is not a field of a note step; it has: id, title, checks, forbid, forEach, when, note',
    ]);
  });
});
