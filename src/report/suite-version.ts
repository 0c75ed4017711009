import { execFileSync } from 'node:child_process';
import { packageInfo } from '../testcase/index.js';

/**
 * The version of the test-case suite: `git describe --tags --always --dirty` of its folder when
 * that is a git work tree (a lab's own cases change apart from the harness), else the harness
 * package version (the shipped cases are released with it).
 */
export function suiteVersionOf(testcaseRoot: string): string {
  try {
    const described = execFileSync('git', ['-C', testcaseRoot, 'describe', '--tags', '--always', '--dirty'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000,
    }).trim();
    if (described) return described;
  } catch {
    // No git, or not a work tree: fall back to the package version.
  }
  return packageInfo().version;
}
