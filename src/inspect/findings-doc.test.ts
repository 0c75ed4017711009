import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isOcppVersion } from '../protocol/index.js';
import { inspectTrace } from './index.js';

// docs/findings.md lists every finding code with its rule and an example; each example must give
// exactly its finding, with the severity the table says.
const root = new URL('../../', import.meta.url).pathname;
const doc = readFileSync(`${root}docs/findings.md`, 'utf8');

const table = [...doc.matchAll(/^\| `([a-z-]+)` \| (violation|warning|info)\b/gm)].map((match) => ({ code: match[1]!, severity: match[2]! }));

function sectionOf(code: string): string {
  const start = doc.indexOf(`### \`${code}\`\n`);
  if (start < 0) return '';
  const next = doc.indexOf('\n### ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('docs/findings.md', () => {
  it('lists the finding codes', () => {
    expect(table.length).toBeGreaterThanOrEqual(17);
  });

  it.each(table.map((row) => [row.code, row] as const))('gives a tested example of %s', (code, row) => {
    const section = sectionOf(code);
    const example = /```(frames|trace) ?(\S*)\n([\s\S]*?)```/.exec(section);
    if (!example) {
      // A finding only a live connection can show names the test that shows it.
      const testFile = /`(src\/\S+\.test\.ts)`/.exec(section)?.[1];
      expect(section, `no example for ${code}`).toMatch(/^Live only/m);
      expect(existsSync(`${root}${testFile}`)).toBe(true);
      expect(readFileSync(`${root}${testFile}`, 'utf8')).toContain(code);
      return;
    }
    const [, kind, version, text] = example as unknown as [string, 'frames' | 'trace', string, string];
    const inspection = inspectTrace(text, { input: kind, ...(isOcppVersion(version) ? { version } : {}) });
    // An example whose fault provokes a finding of its own names it: "Together with: `code`".
    const alongside = [.../^Together with: (.*)$/m.exec(section)?.[1]?.matchAll(/`([a-z-]+)`/g) ?? []].map((match) => match[1]!);
    const found = inspection.findings.map((finding) => [finding.code, finding.severity]);
    expect(found.filter(([found]) => found === code)).toEqual([[code, row.severity]]);
    expect(found.filter(([found]) => found !== code).map(([found]) => found).sort()).toEqual(alongside.sort());
  });
});
