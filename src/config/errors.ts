/** One thing wrong with a configuration, placed in its file where possible. */
export interface ConfigProblem {
  /** The file path, or where else the value came from (e.g. `command line`). */
  origin?: string;
  /** 1-based line in the file of the offending node, or of its nearest ancestor present there. */
  line?: number;
  /** Field path such as `evses[0].connectors[1]`; absent for problems of the file as a whole. */
  field?: string;
  /** What is wrong, e.g. `must be one of 0, 1, 2, 3; got 4`. */
  problem: string;
  /** What would be accepted there, when that is not already said by `problem`. */
  allowed?: string;
}

/** A problem found by a check, located by JSON pointer into the configuration value. */
export interface FieldProblem {
  pointer: string;
  /** Where to take the line from when that is not `pointer` (an unknown key names its parent). */
  linePointer?: string;
  problem: string;
  allowed?: string;
}

/** One line per problem: `<file>:<line>: <field path>: <what is wrong>; allowed: <allowed>`. */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.origin ? `${problem.origin}${problem.line === undefined ? '' : `:${problem.line}`}: ` : '';
  const field = problem.field ? `${problem.field}: ` : '';
  return `${where}${field}${problem.problem}${problem.allowed ? `; allowed: ${problem.allowed}` : ''}`;
}

/** A configuration that cannot be used: unreadable, not YAML, or not a valid harness configuration. */
export class ConfigError extends Error {
  readonly code = 'OH_CONFIG_INVALID';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Where a configuration value came from, to place problems: a file path and a line finder, or a label. */
export interface ConfigOrigin {
  path?: string;
  lineOf?: (jsonPointer: string) => number | undefined;
}

/** The segments of a JSON pointer, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON pointer of the given segments. */
export function toPointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The value at a JSON pointer, or undefined when the path does not exist. */
export function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The field path a user reads, e.g. `evses[0].connectors[1].id` for `/evses/0/connectors/1/id`. */
export function fieldPath(value: unknown, pointer: string): string {
  let current = value;
  let path = '';
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(current)) path += `[${segment}]`;
    else path += /^[A-Za-z_$][\w$-]*$/.test(segment) ? `${path ? '.' : ''}${segment}` : `[${JSON.stringify(segment)}]`;
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return path || '(top level)';
}

/** Places problems found in `value` in their file, sorted by line. */
export function placeProblems(problems: readonly FieldProblem[], value: unknown, origin: ConfigOrigin): ConfigProblem[] {
  const placed = problems.map((p): ConfigProblem => {
    const line = origin.lineOf?.(p.linePointer ?? p.pointer);
    return {
      ...(origin.path ? { origin: origin.path } : {}),
      ...(line === undefined ? {} : { line }),
      field: fieldPath(value, p.pointer),
      problem: p.problem,
      ...(p.allowed ? { allowed: p.allowed } : {}),
    };
  });
  const unique = [...new Map(placed.map((p) => [formatProblem(p), p])).values()];
  return unique.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

/** A value as an error message shows it: JSON for scalars, the kind for collections. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
