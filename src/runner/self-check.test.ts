import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { caseFile, writeTree } from './engine-harness.test-support.js';
import { runSelfCheck } from './self-check.js';
import { loadTestcases } from './testcases.js';

// Reads OfflineThreshold; the reference answers with attributeType Actual unless a fault says otherwise.
const READ = (attributeType: string) => `
  - send: GetVariables
    payload: { getVariableData: [{ component: { name: OCPPCommCtrlr }, variable: { name: OfflineThreshold } }] }
    match: { getVariableResult: [{ attributeStatus: Accepted, attributeType: ${attributeType} }] }
    checks: [R.1]
`;
const OMIT = 'omit:GetVariables.getVariableResult.0.attributeType';
const FAULTS = `mustFailWith: ['set:GetVariables.getVariableResult.0.attributeType="Target"']\nmustPassWith: ['${OMIT}']\n`;

describe('self-check of conforming variations (mustPassWith)', () => {
  it('proves a case passes under each one, and names the variation a too strict case fails under', async () => {
    const root = writeTree({
      // An absent attributeType is Actual (its default): $default takes both, a plain value only the present one.
      'ocpp2.0.1/core/OH_DEFAULT_01_CS.yaml': caseFile('OH_DEFAULT_01_CS', READ('{ $default: Actual }')) + FAULTS,
      'ocpp2.0.1/core/OH_DEFAULT_02_CS.yaml': caseFile('OH_DEFAULT_02_CS', READ('Actual')) + FAULTS,
    });
    const catalog = loadTestcases(root);
    expect(catalog.problems).toEqual([]);
    const lines = await runSelfCheck({
      catalog, cases: catalog.cases, config: resolveConfig({}), outDir: mkdtempSync(join(tmpdir(), 'oh-selfcheck-')),
      concurrency: 2, signal: new AbortController().signal,
    });
    const summary = lines.map((line) => [line.testCase.id, line.ok, line.variations.map((run) => [run.fault, run.verdict]), line.problem]);
    expect(summary).toEqual([
      ['OH_DEFAULT_01_CS', true, [[OMIT, 'pass']], undefined],
      ['OH_DEFAULT_02_CS', false, [[OMIT, 'fail']], expect.stringMatching(new RegExp(`^under the conforming ${OMIT}: fail instead of pass \\(`))],
    ]);
  }, 60_000);
});
