import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createFinding, type FindingCode } from './index.js';

describe('findings', () => {
  it('every code is documented in docs/findings.md with its severity', () => {
    const doc = readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./findings.ts', import.meta.url), 'utf8');
    const codes = [...source.matchAll(/^ {2}\| '([a-z-]+)'$/gm)].map((match) => match[1] as FindingCode);
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) {
      const severity = createFinding('2.0.1', code, '').severity;
      expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${severity}`));
    }
  });

  it('cites the rule of the version at hand', () => {
    expect(createFinding('1.6', 'orphan-response', 'x').rule).toBe('OCPP-J 1.6 §4.1.4');
    expect(createFinding('2.1', 'schema-violation', 'x').rule).toBe('OCPP 2.1 Part 3 JSON schemas');
  });
});
