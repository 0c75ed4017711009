import { describe, expect, it } from 'vitest';
import { MAX_TEXT_NESTING, lineNestedDeeperThan } from './index.js';

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('lineNestedDeeperThan', () => {
  it('names the line where brackets first pass the limit, and nothing at the limit', () => {
    expect(lineNestedDeeperThan(`a: 1\nb: ${nested(MAX_TEXT_NESTING)}\n`)).toBeUndefined();
    expect(lineNestedDeeperThan(`a: 1\nb: ${nested(MAX_TEXT_NESTING + 1)}\n`)).toBe(2);
    expect(lineNestedDeeperThan(`{"a":\n${'{"a":'.repeat(3)}1}}}}`, 3)).toBe(2);
  });

  it('counts siblings once: depth, not the number of brackets', () => {
    expect(lineNestedDeeperThan(Array(1_000).fill('[[1]]').join(','), 2)).toBeUndefined();
  });

  it('skips brackets in quoted strings and comments, but not behind a quote inside a word', () => {
    expect(lineNestedDeeperThan(`a: "${'['.repeat(50)}\\"${'['.repeat(50)}"\nb: '${'{'.repeat(50)}'\n# ${'['.repeat(50)}`, 10)).toBeUndefined();
    expect(lineNestedDeeperThan(`a: don't ${'['.repeat(11)}`, 10)).toBe(1);
  });

  it('closes a quote left open at the end of its line, so a stray quote cannot hide the lines after it', () => {
    expect(lineNestedDeeperThan(`a: "open\nb: ${'['.repeat(11)}`, 10)).toBe(2);
  });

  it('cannot be fooled by closing brackets in strings or too many closings', () => {
    expect(lineNestedDeeperThan(`${']'.repeat(50)}${'['.repeat(11)}`, 10)).toBe(1);
    expect(lineNestedDeeperThan(`${'[ "]" '.repeat(11)}`, 10)).toBe(1);
  });
});
