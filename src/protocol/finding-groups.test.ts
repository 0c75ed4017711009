import { describe, expect, it } from 'vitest';
import { FINDINGS_KEPT_IN_FULL, FindingGroups, countOccurrences, createFinding } from './index.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

describe('FindingGroups', () => {
  it('keeps the first five of a code on a connection in full and counts the rest in one grouped finding', () => {
    const groups = new FindingGroups();
    const listed = [];
    for (let i = 0; i < 50_000; i++) listed.push(groups.add('c1', createFinding('1.6', 'concurrent-call', `call ${i}`, `m${i}`), at(i % 60)));
    const list = groups.list();
    expect(list).toHaveLength(FINDINGS_KEPT_IN_FULL + 1);
    expect(list.slice(0, 5).map((finding) => finding.message)).toEqual(['call 0', 'call 1', 'call 2', 'call 3', 'call 4']);
    expect(list[5]).toMatchObject({ code: 'concurrent-call', message: 'call 5', count: 50_000, firstAt: at(0), lastAt: at(49_999 % 60) });
    expect(list.slice(0, 5).every((finding) => finding.count === undefined)).toBe(true);
    expect(countOccurrences(list)).toBe(50_000);
    // add() says what it listed: the finding, its grouped copy once, then nothing.
    expect(listed.filter((finding) => finding !== undefined)).toHaveLength(6);
  });

  it('groups per connection and per code, in order of first appearance', () => {
    const groups = new FindingGroups();
    for (let i = 0; i < 7; i++) {
      groups.add('c1', createFinding('2.0.1', 'schema-violation', `a${i}`), at(i));
      groups.add('c2', createFinding('2.0.1', 'schema-violation', `b${i}`), at(i));
    }
    groups.add('c1', createFinding('2.0.1', 'orphan-response', 'o'), at(9));
    const list = groups.list();
    expect(list.map((finding) => `${finding.message}${finding.count ? `×${finding.count}` : ''}`)).toEqual([
      'a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4', 'a5×7', 'b5×7', 'o',
    ]);
    expect(countOccurrences(list)).toBe(15);
  });
});
