/**
 * How much of a test-case tree is copied text (issue 12): every run of `window` significant lines
 * (blank and comment lines dropped) that appears in more than one file marks its lines as
 * repeated. The share of repeated lines is the figure `check --repetition` prints and the shipped
 * tree is held to.
 */

/** One copied run of lines and the files it appears in. */
export interface RepeatedBlock {
  lines: string[];
  files: string[];
}

/** The repetition of a set of files. */
export interface Repetition {
  files: number;
  lines: number;
  repeatedLines: number;
  /** repeatedLines / lines, 0..1. */
  share: number;
  /** The copied runs shared by the most files first. */
  blocks: RepeatedBlock[];
}

/** The window the issue measured with: runs of six lines. */
export const REPETITION_WINDOW = 6;

/** The lines that carry content: not blank and not a YAML comment; trailing space dropped. */
export function significantLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trimEnd()).filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

/** Measures the repeated-line share of the given files (path → text). */
export function measureRepetition(sources: ReadonlyArray<{ file: string; text: string }>, window = REPETITION_WINDOW): Repetition {
  const lines = sources.map(({ text }) => significantLines(text));
  const filesOf = new Map<string, Set<number>>();
  const windowsOf = (fileLines: string[]) => Array.from({ length: Math.max(0, fileLines.length - window + 1) }, (_, start) => fileLines.slice(start, start + window).join('\n'));
  lines.forEach((fileLines, index) => {
    for (const key of windowsOf(fileLines)) filesOf.set(key, (filesOf.get(key) ?? new Set()).add(index));
  });
  let repeatedLines = 0;
  for (const fileLines of lines) {
    const repeated = new Array<boolean>(fileLines.length).fill(false);
    windowsOf(fileLines).forEach((key, start) => {
      if (filesOf.get(key)!.size > 1) repeated.fill(true, start, start + window);
    });
    repeatedLines += repeated.filter(Boolean).length;
  }
  const total = lines.reduce((sum, fileLines) => sum + fileLines.length, 0);
  const blocks = [...filesOf].filter(([, files]) => files.size > 1)
    .sort(([, a], [, b]) => b.size - a.size)
    .map(([key, files]) => ({ lines: key.split('\n'), files: [...files].map((index) => sources[index]!.file) }));
  return { files: sources.length, lines: total, repeatedLines, share: total === 0 ? 0 : repeatedLines / total, blocks };
}
