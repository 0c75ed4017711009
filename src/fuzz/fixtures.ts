import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageInfo } from '../api.js';
import { fixtureName } from './fuzz.js';
import type { FuzzInput } from './targets.js';

/**
 * Crash fixtures: every input that once broke a target, kept in the repository and replayed by the
 * tests forever. `fixtures/fuzz/<target>/<place>/<hash>`: the folder path below the target is the
 * input's place (how the target reads it), the file its bytes.
 */
export const FIXTURE_ROOT = join(packageInfo().root, 'fixtures/fuzz');

/** Saves a crashing input (under `root`, by default the repository's fixtures); returns its path. */
export function saveFixture(target: string, input: FuzzInput, root = FIXTURE_ROOT): string {
  const path = join(root, target, input.place, fixtureName(input));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, input.bytes);
  return path;
}

/** The saved fixtures of a target, with the path each was read from. */
export function fixturesOf(target: string): Array<FuzzInput & { path: string }> {
  const folder = join(FIXTURE_ROOT, target);
  let entries;
  try {
    entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isFile() && entry.name !== 'README.md').map((entry) => {
    const path = join(entry.parentPath, entry.name);
    return { path, place: dirname(relative(folder, path)), bytes: readFileSync(path) };
  });
}
