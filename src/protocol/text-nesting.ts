/**
 * How deep the flow collections (`[ ]`, `{ }`) of a hand-written JSON or YAML file may nest. The
 * YAML parser recurses once per level: 100,000 levels take it tens of seconds, and a few thousand
 * arrays have aborted the process out of memory (found by fuzzing, issue 14). Configuration files
 * and test cases nest a few levels; the limit leaves them ample room.
 */
export const MAX_TEXT_NESTING = 100;

const OPENERS = new Set(['[', '{']);
const CLOSERS = new Set([']', '}']);
// A quote opens a quoted scalar only where a token starts; inside a word it is text (`don't`).
const TOKEN_START = /[\s[{,:-]/;

/**
 * The line (1-based) where a JSON or YAML text first nests its brackets deeper than `limit`, or
 * undefined. Brackets inside a quoted string on the same line, and after a comment's `#`, are not
 * counted; a quote still open at the end of a line is closed there, so that a stray quote can
 * hide brackets of one line at most: the count errs on the side of too deep.
 */
export function lineNestedDeeperThan(text: string, limit = MAX_TEXT_NESTING): number | undefined {
  let depth = 0;
  let line = 1;
  let quote: string | undefined;
  let comment = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (char === '\n') {
      line++;
      quote = undefined;
      comment = false;
    } else if (comment) continue;
    else if (quote) {
      if (char === '\\' && quote === '"') at++;
      else if (char === quote) quote = undefined;
    } else if ((char === '"' || char === "'") && (at === 0 || TOKEN_START.test(text[at - 1]!))) quote = char;
    else if (char === '#' && (at === 0 || /\s/.test(text[at - 1]!))) comment = true;
    else if (OPENERS.has(char) && ++depth > limit) return line;
    else if (CLOSERS.has(char)) depth = Math.max(0, depth - 1);
  }
  return undefined;
}
