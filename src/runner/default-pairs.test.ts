import { describe, expect, it } from 'vitest';
import { loadTestcases } from './testcases.js';

// Issue 13's acceptance: every optional-with-default field that a case matches has a pair, a
// conforming variant that must pass and a violating one that must fail. A field a case matches
// with `$default` accepts its absence; the pass half is an `omit:<Action>.<path to it>` variation
// in some case's mustPassWith, which the self-check runs. (The fail half is each case's own
// mustFailWith.) This holds the tree to it: a new `$default` without its omit variation fails here.

const root = new URL('../../testcases/', import.meta.url).pathname;

/** `Action.field` for every field matched with $default, in cases and in the states they use. */
function fieldsMatchedWithDefault(source: unknown): Set<string> {
  const fields = new Set<string>();
  const walkMatch = (action: string, pattern: unknown): void => {
    if (typeof pattern !== 'object' || pattern === null) return;
    for (const [key, value] of Object.entries(pattern)) {
      if (typeof value === 'object' && value !== null && '$default' in value && !key.startsWith('$')) fields.add(`${action}.${key}`);
      walkMatch(action, value);
    }
  };
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const step = value as { action?: unknown; match?: unknown };
    if (typeof step.action === 'string' && step.match !== undefined) walkMatch(step.action, step.match);
    for (const child of Object.values(value)) walk(child);
  };
  walk(source);
  return fields;
}

/** `Action.field` of every `omit:` conforming variation: the field is the path's last name. */
function fieldsProvenOmittable(variations: readonly string[]): Set<string> {
  const proven = new Set<string>();
  for (const variation of variations) {
    const omitted = /^omit:(\w+)\.(.+)$/.exec(variation);
    if (!omitted) continue;
    const names = omitted[2]!.split('.').filter((segment) => !/^(\d+|\*)$/.test(segment));
    proven.add(`${omitted[1]}.${names.at(-1)}`);
  }
  return proven;
}

describe('every field matched with $default has its omit variation proven', () => {
  it('in the whole test-case tree', () => {
    const catalog = loadTestcases(root);
    const matched = fieldsMatchedWithDefault([catalog.cases, catalog.states]);
    const proven = fieldsProvenOmittable(catalog.cases.flatMap((testCase) => testCase.mustPassWith));
    expect(matched.size).toBeGreaterThan(5);
    expect([...matched].filter((field) => !proven.has(field)).sort()).toEqual([]);
  }, 60_000);

  it('the audit sees a field without its variation (it can fail)', () => {
    const matched = fieldsMatchedWithDefault({ action: 'NotifyReport', match: { reportData: { $contains: { variableAttribute: [{ type: { $default: 'Actual' } }] } } } });
    expect([...matched]).toEqual(['NotifyReport.type']);
    expect(fieldsProvenOmittable(['omit:NotifyReport.reportData.0.variableAttribute.0.type']).has('NotifyReport.type')).toBe(true);
    expect(fieldsProvenOmittable(['set:NotifyReport.tbc=false']).size).toBe(0);
  });
});
