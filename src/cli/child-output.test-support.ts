import type { ChildProcess } from 'node:child_process';

/**
 * Watches a child's stdout: `seen(pattern)` resolves with the first match, in what has already
 * come or in what comes later; `text()` is all of it so far.
 */
export function watchStdout(child: ChildProcess): { seen: (pattern: RegExp) => Promise<RegExpMatchArray>; text: () => string } {
  let stdout = '';
  const waiting: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wait of waiting.splice(0)) {
      const match = stdout.match(wait.pattern);
      if (match) wait.resolve(match);
      else waiting.push(wait);
    }
  });
  const seen = (pattern: RegExp) => new Promise<RegExpMatchArray>((resolve) => {
    const match = stdout.match(pattern);
    if (match) resolve(match);
    else waiting.push({ pattern, resolve });
  });
  return { seen, text: () => stdout };
}
