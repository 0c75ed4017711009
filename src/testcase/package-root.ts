import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The harness's package directory and version, found by walking up from this file (works from src/ and dist/). */
export function packageInfo(): { root: string; name: string; version: string } {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const info = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (info.name === 'ocpp-harness') return { root: directory, name: info.name, version: info.version ?? '0.0.0' };
    } catch {
      // no package.json here; keep walking up
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error('ocpp-harness: cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    directory = parent;
  }
}

/** The test cases shipped with the harness: `<package>/testcases`. */
export function defaultTestcaseRoot(): string {
  return join(packageInfo().root, 'testcases');
}
