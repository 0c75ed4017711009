import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes files (relative path → YAML text) into a fresh temporary test-case tree and returns its root; for tests and experiments. */
export function writeScratchTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ocpp-harness-tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
