import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';
import { MAX_TEXT_NESTING, lineNestedDeeperThan } from '../protocol/index.js';

/** A problem in a source file, located at a line. */
export interface SourceProblem {
  file: string;
  line: number;
  /** Dotted path of the offending value, e.g. `steps[2].expect`. */
  path: string;
  message: string;
}

/** Formats a problem as `file:line: path: message`. */
export function formatSourceProblem(problem: SourceProblem): string {
  return `${problem.file}:${problem.line}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

/** A parsed YAML file that can say on which line any value sits. */
export interface SourceFile {
  file: string;
  value: unknown;
  /** The line (1-based) of the value at a path of keys and indexes; the nearest existing parent when it is absent. */
  lineOf(path: ReadonlyArray<string | number>): number;
  /** YAML syntax errors, already located. */
  problems: SourceProblem[];
}

/** Reads and parses a YAML file, keeping positions. Unreadable files become a problem on line 1. */
export function readSourceFile(file: string): SourceFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { file, value: undefined, lineOf: () => 1, problems: [{ file, line: 1, path: '', message: `cannot read the file: ${reason}` }] };
  }
  return parseSource(file, text);
}

/** Parses YAML text as if it came from `file`. */
export function parseSource(file: string, text: string): SourceFile {
  // The YAML parser recurses per level of brackets: a hostile depth is refused before it gets there.
  const deepLine = lineNestedDeeperThan(text);
  if (deepLine !== undefined) {
    return { file, value: undefined, lineOf: () => deepLine, problems: [{ file, line: deepLine, path: '', message: `YAML: brackets nested deeper than ${MAX_TEXT_NESTING} levels` }] };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: SourceProblem[] = document.errors.map((error) => ({
    file, line: lineCounter.linePos(error.pos[0]).line, path: '', message: `YAML: ${error.message.split('\n')[0]}`,
  }));
  const lineOf = (path: ReadonlyArray<string | number>): number => {
    let node: unknown = document.contents;
    let line = lineAt(node, lineCounter) ?? 1;
    for (const key of path) {
      const next = childOf(node, key);
      if (next === undefined) break;
      node = next;
      line = lineAt(node, lineCounter) ?? line;
    }
    return line;
  };
  return { file, value: problems.length > 0 ? undefined : valueOf(document, file, problems), lineOf, problems };
}

// An alias to no anchor, or aliases that expand past yaml's limit, surface only when the document
// becomes a value (found by fuzzing, issue 14): a problem of the file, like a syntax error.
function valueOf(document: ReturnType<typeof parseDocument>, file: string, problems: SourceProblem[]): unknown {
  try {
    return document.toJS();
  } catch (error) {
    problems.push({ file, line: 1, path: '', message: `YAML: ${(error as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

function childOf(node: unknown, key: string | number): unknown {
  if (isMap(node)) {
    const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
    return pair ? (pair.value ?? pair.key) : undefined;
  }
  if (isSeq(node) && typeof key === 'number') return node.items[key];
  return undefined;
}

function lineAt(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}

/** Turns a JSON pointer ("/steps/2/expect") into path segments, numbers for indexes. */
export function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer.split('/').slice(1).map((segment) => {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

/** Path segments as text: `steps[2].expect`. */
export function pathToText(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}
