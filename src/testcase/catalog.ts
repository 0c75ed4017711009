import { readdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { OcppVersion } from '../protocol/index.js';
import type { ReusableState, Sut, TestCase } from './format.js';
import { FolderDefaults, isTreeFile } from './folder-defaults.js';
import { loadFile, type Loaded } from './load.js';
import { RequirementCatalogue } from './requirement-catalogue.js';
import type { SourceFile, SourceProblem } from './source-file.js';
import type { StepFormats } from './step-format.js';

/** Every test case and reusable state under a root folder, with the problems found while loading. */
export interface Catalog {
  root: string;
  /** The step kinds the files were read with. */
  formats: StepFormats;
  cases: TestCase[];
  states: ReusableState[];
  /** Parsed sources by file, for checks that need line numbers. */
  sources: Map<string, SourceFile>;
  problems: SourceProblem[];
}

/** Key of a reusable state: version, role of the SUT and name. */
export function stateKey(ocpp: OcppVersion, sut: Sut, name: string): string {
  return `${ocpp}/${sut}/${name}`;
}

/** A path given as test cases that is neither a folder nor a YAML file: a usage mistake, not "no cases". */
export class TestcasePathError extends Error {
  readonly code = 'OH_TESTCASE_PATH';
  constructor(readonly path: string) {
    super(`${path}: not a folder nor a test-case file (.yaml, .yml)`);
    this.name = 'TestcasePathError';
  }
}

/** Lists the YAML files under a folder (or the file itself), sorted; a file that is no YAML throws TestcasePathError. */
export function yamlFilesUnder(path: string): string[] {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    if (/\.ya?ml$/.test(path)) return [path];
    throw new TestcasePathError(path);
  }
  return entries.flatMap((entry) => {
    const child = join(path, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(child);
    return /\.ya?ml$/.test(entry.name) ? [child] : [];
  }).sort();
}

/** Loads every YAML file under `root` (test cases and states, any version) with a set of step kinds. */
export function loadCatalog(root: string, formats: StepFormats, files: string[] = yamlFilesUnder(root)): Catalog {
  const catalog: Catalog = { root, formats, cases: [], states: [], sources: new Map(), problems: [] };
  const defaults = new FolderDefaults(root);
  const requirements = new RequirementCatalogue(root);
  for (const file of files.filter((candidate) => !isTreeFile(candidate))) {
    const loaded = loadFile(file, formats, defaults.for(file));
    catalog.sources.set(file, loaded.source);
    if (loaded.kind === 'invalid') catalog.problems.push(...loaded.problems);
    else if (loaded.kind === 'case') {
      catalog.problems.push(...citeRequirements(loaded, requirements));
      catalog.cases.push(loaded.testCase);
    } else catalog.states.push(loaded.state);
  }
  catalog.problems.push(...defaults.problems, ...requirements.problems);
  catalog.cases.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return catalog;
}

// A case that lists requirement ids takes their paraphrases from its version's catalogue.
function citeRequirements(loaded: Extract<Loaded, { kind: 'case' }>, catalogue: RequirementCatalogue): SourceProblem[] {
  const { testCase, source } = loaded;
  const listed = (source.value as Record<string, unknown>)['requirements'];
  if (!Array.isArray(listed)) return [];
  const problems: SourceProblem[] = [];
  listed.forEach((id: string, index) => {
    const text = catalogue.textOf(testCase.ocpp, id);
    // An unknown id stays listed (without text), so the checks that cite it are not reported twice.
    testCase.requirements[id] = text ?? '';
    if (text === undefined) problems.push({ file: testCase.file, line: source.lineOf(['requirements', index]), path: `requirements[${index}]`, message: `requirement ${id} is not in ${catalogue.fileOf(testCase.ocpp)}; add its paraphrase there` });
  });
  return problems;
}

/** Finds a reusable state for a version and SUT role. */
export function findState(catalog: Catalog, ocpp: OcppVersion, sut: Sut, name: string): ReusableState | undefined {
  return catalog.states.find((state) => state.ocpp === ocpp && state.sut === sut && state.state === name);
}

/** Where a file sits: `ocpp<version>/<module>/<ID>.yaml`, or `ocpp<version>/states/<sut>/<Name>.yaml`. */
export function placeOf(root: string, file: string): { version?: string; folder?: string; name: string } {
  const parts = relative(root, file).split(sep);
  const version = parts[0]?.startsWith('ocpp') ? parts[0].slice(4) : undefined;
  return { ...(version ? { version } : {}), ...(parts[1] ? { folder: parts[1] } : {}), name: basename(file).replace(/\.ya?ml$/, '') };
}
