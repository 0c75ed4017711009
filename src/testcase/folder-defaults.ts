import { basename, dirname, join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { HEADER_PROPERTIES } from './schema.js';
import { readSourceFile, type SourceProblem } from './source-file.js';

/**
 * Per-folder defaults (issue 12): a `_defaults.yaml` gives the header fields every file below it
 * shares (version, module, profiles, the SUT's role), so a case states only what is its own. A
 * file's own field wins; a deeper folder's default wins over a shallower one.
 */
export const DEFAULTS_FILE = '_defaults.yaml';

/** The fields a folder may default. */
export const DEFAULTABLE_FIELDS = ['ocpp', 'sut', 'module', 'profiles'] as const;

const properties = HEADER_PROPERTIES;
const DEFAULTS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: { ocpp: properties.ocpp, sut: properties.sut, module: properties.module, profiles: properties.profiles },
};

let validator: ValidateFunction | undefined;

/** True for a file about the tree (`_defaults.yaml`, `_requirements.yaml`), which is neither a case nor a state. */
export function isTreeFile(file: string): boolean {
  return basename(file).startsWith('_');
}

/** Reads the defaults of the folders from `root` down to a file, once per folder. */
export class FolderDefaults {
  readonly problems: SourceProblem[] = [];
  private readonly byFolder = new Map<string, Record<string, unknown>>();

  constructor(private readonly root: string) {}

  /** The merged defaults that apply to `file`. */
  for(file: string): Record<string, unknown> {
    return Object.assign({}, ...this.foldersOf(file).map((folder) => this.read(folder)));
  }

  // From the root down to the file's folder; a file outside the root sees only its own folder.
  private foldersOf(file: string): string[] {
    const own = dirname(resolve(file));
    const root = resolve(this.root);
    if (relative(root, own).startsWith('..')) return [own];
    const folders: string[] = [];
    for (let folder = own; ; folder = dirname(folder)) {
      folders.unshift(folder);
      if (folder === root || dirname(folder) === folder) return folders;
    }
  }

  private read(folder: string): Record<string, unknown> {
    const known = this.byFolder.get(folder);
    if (known) return known;
    const values = this.load(join(folder, DEFAULTS_FILE));
    this.byFolder.set(folder, values);
    return values;
  }

  private load(file: string): Record<string, unknown> {
    if (!existsSync(file)) return {};
    const source = readSourceFile(file);
    this.problems.push(...source.problems);
    if (source.problems.length > 0) return {};
    const value = (source.value ?? {}) as Record<string, unknown>;
    // YAML reads `ocpp: 1.6` as a number; the version is a name.
    if (typeof value['ocpp'] === 'number') value['ocpp'] = String(value['ocpp']);
    validator ??= new Ajv({ allErrors: true, strict: false }).compile(DEFAULTS_SCHEMA);
    if (validator(value)) return value;
    // Report each bad field and keep the good ones, so one mistake does not cascade into every file below.
    const bad = new Set<string>();
    for (const error of validator.errors ?? []) {
      const key = error.keyword === 'additionalProperties' ? String(error.params['additionalProperty']) : error.instancePath.split('/')[1] ?? '';
      const message = error.keyword === 'additionalProperties' ? `a folder default may set only ${DEFAULTABLE_FIELDS.join(', ')}` : (error.message ?? 'is invalid');
      this.problems.push({ file, line: source.lineOf(key ? [key] : []), path: key, message });
      bad.add(key);
    }
    return Object.fromEntries(Object.entries(value).filter(([key]) => !bad.has(key)));
  }
}
