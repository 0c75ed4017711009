import { defaultTestcaseRoot } from '../testcase/index.js';
import { createConsoleReporter, createDotReporter } from './console-reporter.js';
import { createHtmlReporter } from './html-reporter.js';
import { createJsonReporter } from './json-reporter.js';
import { createJUnitReporter } from './junit-reporter.js';
import type { Reporter } from './reporter.js';
import { suiteVersionOf } from './suite-version.js';

/** The names `--reporter` accepts, in the order reports are written. */
export const REPORTER_NAMES = ['console', 'line', 'dot', 'json', 'junit', 'html'] as const;

/**
 * The reporters that write to the terminal: console (a line per case; on a terminal also a live
 * progress line), line (the same lines, never a live one), dot (quiet: a character per case).
 */
export const STREAM_REPORTER_NAMES: readonly ReporterName[] = ['console', 'line', 'dot'];

/** One of REPORTER_NAMES. */
export type ReporterName = (typeof REPORTER_NAMES)[number];

/** The default `--reporter` list. */
export const DEFAULT_REPORTERS = 'console,json,junit,html';

/** A `--reporter` list naming a reporter that does not exist. */
export class ReporterNameError extends Error {
  readonly code = 'OH_REPORTER_UNKNOWN';
  constructor(readonly names: string[]) {
    super(`--reporter: unknown reporter ${names.map((name) => `"${name}"`).join(', ')}; expected a comma-separated list of ${REPORTER_NAMES.join(', ')}`);
    this.name = 'ReporterNameError';
  }
}

/** Splits and checks a `--reporter` list ("console,junit"); throws ReporterNameError on an unknown name. */
export function parseReporterList(text: string): ReporterName[] {
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(REPORTER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new ReporterNameError(unknown);
  return [...new Set(names)] as ReporterName[];
}

/** Options of the reporter factories. */
export interface ReporterOptions {
  /** The test-case folder, whose `git describe` is the suite version (default: the shipped cases). */
  testcaseRoot?: string;
  /** Where the console, line and dot reporters write (a terminal: `isTTY`); without it they are left out. */
  output?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/**
 * The reporters that write files into `outDir`: json (results.json completed with harness and
 * suite versions), junit (junit.xml), html (index.html). The stream reporters are skipped (see
 * createReporters); an unknown name throws ReporterNameError.
 */
export function createFileReporters(names: string[], outDir: string, options: Omit<ReporterOptions, 'output'> = {}): Reporter[] {
  return createReporters(names.filter((name) => !(STREAM_REPORTER_NAMES as readonly string[]).includes(name)), outDir, options);
}

/** Every reporter named, console included when `options.output` is given, in REPORTER_NAMES order. */
export function createReporters(names: string[], outDir: string, options: ReporterOptions = {}): Reporter[] {
  const chosen = parseReporterList(names.join(','));
  let suiteVersion: string | undefined;
  const suite = () => (suiteVersion ??= suiteVersionOf(options.testcaseRoot ?? defaultTestcaseRoot()));
  const reporters: Reporter[] = [];
  for (const name of REPORTER_NAMES.filter((candidate) => chosen.includes(candidate))) {
    if (name === 'console' && options.output) reporters.push({ name, ...createConsoleReporter(options.output, { live: options.output.isTTY === true }) });
    if (name === 'line' && options.output) reporters.push({ name, ...createConsoleReporter(options.output) });
    if (name === 'dot' && options.output) reporters.push({ name, ...createDotReporter(options.output) });
    if (name === 'json') reporters.push(createJsonReporter(outDir, suite));
    if (name === 'junit') reporters.push(createJUnitReporter(outDir));
    if (name === 'html') reporters.push(createHtmlReporter(outDir));
  }
  return reporters;
}
