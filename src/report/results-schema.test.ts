import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createFileReporters } from './file-reporters.js';
import { multiplexReporters } from './multiplex.js';
import { RESULTS_JSON_SCHEMA } from './results-schema.js';
import { runRelaySample, runSample, writeSampleTree } from './run-fixture.test-support.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(RESULTS_JSON_SCHEMA);
}

describe('results.json schema', () => {
  it('accepts the results.json of a real run, as the runner writes it and as the JSON reporter completes it', { timeout: 30_000 }, async () => {
    const { result, outDir } = await runSample(writeSampleTree(3));
    expect(result.cases.map((c) => c.verdict)).toEqual(['pass', 'fail', 'pass', 'not-applicable']);
    const validate = validator();
    const fromRunner = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    expect(validate(fromRunner), JSON.stringify(validate.errors, null, 2)).toBe(true);

    let errors = '';
    await multiplexReporters(createFileReporters(['json'], outDir), { write: (text) => (errors += text) }).onRunEnd?.(result, outDir);
    expect(errors).toBe('');
    const completed = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    expect(validate(completed), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(completed).toMatchObject({ harnessVersion: 'test', suiteVersion: expect.any(String), configHash: 'test', sut: 'cs', ocpp: '2.0.1' });
    expect(Object.keys(completed).slice(0, 4)).toEqual(['schemaVersion', 'harness', 'harnessVersion', 'suiteVersion']);
    expect(completed.cases[1]).toMatchObject({ verdict: 'fail', failure: { step: '1', requirements: [{ id: 'R.1' }] }, trace: 'traces/OH_REP_02_CS.jsonl' });
  });

  it('accepts the relay marks of a real CSMS run, and only a relayed flag that is true', { timeout: 30_000 }, async () => {
    const { outDir } = await runRelaySample();
    const written = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    expect(written.cases.map((c: { id: string; relayed?: boolean }) => [c.id, c.relayed])).toEqual([['OH_REL_01_CSMS', true], ['OH_REL_02_CSMS', undefined]]);
    expect(written.cases[1].steps.at(-1).relay).toEqual({ supplied: ['idToken.idToken'], notSupplied: ['remoteStartId'] });
    const validate = validator();
    expect(validate(written), JSON.stringify(validate.errors, null, 2)).toBe(true);
    written.cases[1].relayed = false;
    expect(validate(written)).toBe(false);
  });

  it('rejects a field it does not describe, so the schema cannot silently fall behind the runner', () => {
    const validate = validator();
    const minimal = {
      schemaVersion: 1, harness: { name: 'ocpp-harness', version: '1' }, ocpp: '2.0.1', sut: 'cs', target: '', configHash: 'x',
      startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:00.000Z', durationMs: 0, interrupted: false,
      counts: { pass: 0, fail: 0, error: 0, inconclusive: 0, 'not-applicable': 0, skipped: 0 }, cases: [],
    };
    expect(validate(minimal)).toBe(true);
    expect(validate({ ...minimal, surprise: true })).toBe(false);
  });

  it('takes the explanation a verdict has, and no other: a reason and a failure for fail, error and inconclusive, a reason for not-applicable and skipped, neither for a pass', { timeout: 30_000 }, async () => {
    const { outDir } = await runSample(writeSampleTree(3));
    const written = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    const validate = validator();
    const [pass, fail, , notApplicable] = written.cases;
    const withCase = (changed: unknown) => ({ ...written, cases: [changed] });
    expect(validate(withCase(pass))).toBe(true);
    expect(validate(withCase({ ...pass, reason: 'a pass explained' }))).toBe(false);
    expect(validate(withCase({ ...pass, failure: fail.failure }))).toBe(false);
    const { failure: _failure, ...failWithoutFailure } = fail;
    expect(validate(withCase(failWithoutFailure))).toBe(false);
    expect(validate(withCase({ ...fail, relayed: true }))).toBe(false);
    expect(validate(withCase({ ...notApplicable, failure: fail.failure }))).toBe(false);
    const { reason: _reason, ...notApplicableWithoutReason } = notApplicable;
    expect(validate(withCase(notApplicableWithoutReason))).toBe(false);
    expect(fail.steps.map((step: { records: number[] }) => step.records)).toEqual([[0, 1]]);
  });

  it('describes every property', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const schema = node as { properties?: Record<string, unknown>; items?: unknown };
      for (const [name, child] of Object.entries(schema.properties ?? {})) {
        if (typeof (child as { description?: unknown }).description !== 'string') undocumented.push(`${path}.${name}`);
        walk(child, `${path}.${name}`);
      }
      if (schema.items) walk(schema.items, `${path}[]`);
    };
    walk(RESULTS_JSON_SCHEMA, '$');
    expect(undocumented).toEqual([]);
  });
});
