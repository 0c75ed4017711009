import type { Finding } from './findings.js';

/** Issue 14: how many findings of one code on one connection are kept in full before they are counted. */
export const FINDINGS_KEPT_IN_FULL = 5;

interface Group<F extends Finding> {
  seen: number;
  firstAt: string;
  /** The finding that stands for the occurrences after the ones kept in full. */
  grouped?: F;
}

/**
 * The findings of a run or a case in bounded memory and output (issue 14): a peer that breaks
 * the same rule 50,000 times on one connection gives its first FINDINGS_KEPT_IN_FULL findings in
 * full, then one grouped finding (a copy of the next one) whose `count` is the total of that code
 * on that connection and whose `firstAt`/`lastAt` span all of them. Order is first appearance.
 */
export class FindingGroups<F extends Finding = Finding> {
  private readonly kept: F[] = [];
  private readonly groups = new Map<string, Group<F>>();

  /**
   * Adds a finding seen at `at` (ISO 8601) on connection `connection`. Returns the finding as it is
   * listed (the finding itself, or the grouped copy the first time it stands in), or undefined
   * when it was only counted.
   */
  add(connection: string, finding: F, at: string): F | undefined {
    const key = `${connection}\u0000${finding.code}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { seen: 0, firstAt: at }));
    group.seen++;
    if (group.seen <= FINDINGS_KEPT_IN_FULL) {
      this.kept.push(finding);
      return finding;
    }
    if (group.grouped) {
      group.grouped.count = group.seen;
      group.grouped.lastAt = at;
      return undefined;
    }
    group.grouped = { ...finding, count: group.seen, firstAt: group.firstAt, lastAt: at };
    this.kept.push(group.grouped);
    return group.grouped;
  }

  /** The listed findings, in order of first appearance. */
  list(): F[] {
    return [...this.kept];
  }
}

/** How many occurrences a listed finding stands for: 1, or a grouped one's besides those kept in full. */
export function occurrencesOf(finding: Finding): number {
  return finding.count === undefined ? 1 : finding.count - FINDINGS_KEPT_IN_FULL;
}

/** How many occurrences a list of findings (grouped or not) stands for. */
export function countOccurrences(findings: readonly Finding[]): number {
  let total = 0;
  for (const finding of findings) total += occurrencesOf(finding);
  return total;
}
