import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './results.js';

/** Writes results.json atomically (write then rename), so a reader never sees half a file. */
export function writeResultsFile(outDir: string, result: RunResult): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'results.json');
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(temporary, path);
  return path;
}
