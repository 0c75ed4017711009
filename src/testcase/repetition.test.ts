import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { yamlFilesUnder } from './catalog.js';
import { defaultTestcaseRoot } from './package-root.js';
import { measureRepetition, significantLines } from './repetition.js';

const block = (tag: string) => Array.from({ length: 6 }, (_, i) => `  - line ${i} ${tag}`).join('\n');

describe('repetition', () => {
  it('drops blank and comment lines', () => {
    expect(significantLines('# a comment\n\nkey: value  \n  # indented comment\n  - item\n')).toEqual(['key: value', '  - item']);
  });

  it('counts a six-line run shared by two files, not one within a single file', () => {
    const shared = block('shared');
    const result = measureRepetition([
      { file: 'a.yaml', text: `id: A\n${shared}\n` },
      { file: 'b.yaml', text: `id: B\n${shared}\n${block('own')}\n` },
      { file: 'c.yaml', text: `id: C\n${block('twice')}\n${block('twice')}\n` },
    ]);
    expect(result.lines).toBe(7 + 13 + 13);
    expect(result.repeatedLines).toBe(12);
    expect(result.blocks[0]).toEqual({ lines: shared.split('\n'), files: ['a.yaml', 'b.yaml'] });
  });

  it('a five-line copy is below the window', () => {
    const five = Array.from({ length: 5 }, (_, i) => `x${i}: 1`).join('\n');
    expect(measureRepetition([{ file: 'a', text: `a: 1\n${five}` }, { file: 'b', text: `b: 1\n${five}` }]).repeatedLines).toBe(0);
  });
});

describe('the shipped test cases', () => {
  it('copy at most 10 % of their lines (issue 12): a run copied into several files is a state to write', () => {
    const files = yamlFilesUnder(defaultTestcaseRoot());
    const result = measureRepetition(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
    expect(result.files).toBeGreaterThan(200);
    const worst = result.blocks.slice(0, 3).map((block) => `${block.files.join(', ')}:\n${block.lines.join('\n')}`).join('\n\n');
    expect(result.share, `repeated: ${result.repeatedLines} of ${result.lines} lines; most copied:\n${worst}`).toBeLessThanOrEqual(0.1);
  });
});
