import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The harness's own package.json fields, found by walking up from this file (works from src/ and dist/). */
export function readPackageInfo(): { name: string; version: string } {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const info = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (info.name === 'ocpp-harness') return { name: info.name, version: info.version ?? '0.0.0' };
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(directory);
    if (parent === directory) return { name: 'ocpp-harness', version: '0.0.0' };
    directory = parent;
  }
}
