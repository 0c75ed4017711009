import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 15: the package as a lab gets it, not as a clone. `npm pack` of the built tree (npm test
// builds first; the other CLI tests use the same dist/), installed into an empty folder from the
// npm cache that `npm ci` filled (the registry only for what the cache lacks), then used there
// through npx: run, list, trace, schema, init, and the README's programmatic example.
const root = new URL('../../', import.meta.url).pathname;

// The parent npm (npm test) hands its settings down as npm_* variables, its prefix among them:
// the npm run here must see the empty folder as its project, not this repository.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

function sh(command: string, args: string[], cwd: string, timeout = 120_000) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** `npx --no ocpp-harness ...`: the installed package's command, never a download. */
const harness = (lab: string, ...args: string[]) => sh('npx', ['--no', 'ocpp-harness', ...args], lab);

let lab: string;
let packed: string;

describe('the packed package, installed into an empty folder', () => {
  beforeAll(() => {
    packed = mkdtempSync(join(tmpdir(), 'oh-pack-'));
    const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', packed], root);
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = readdirSync(packed).find((name) => name.endsWith('.tgz'));
    expect(tarball, pack.stdout).toBeDefined();
    lab = mkdtempSync(join(tmpdir(), 'oh-lab-'));
    writeFileSync(join(lab, 'package.json'), JSON.stringify({ name: 'lab', private: true, type: 'module' }));
    const install = sh('npm', ['install', join(packed, tarball!), '--prefer-offline', '--no-audit', '--no-fund'], lab, 240_000);
    expect(install.code, `${install.stderr}${install.error ?? ''}`).toBe(0);
  }, 300_000);

  afterAll(() => {
    for (const dir of [packed, lab]) if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('ships its test cases, example configs and schemas, and no tests', () => {
    const installed = join(lab, 'node_modules', 'ocpp-harness');
    for (const path of ['testcases/ocpp2.0.1', 'fixtures/config/example.yaml', 'docs/schemas/config.schema.json', 'docs/schemas/testcase.schema.json', 'dist/src/api.d.ts', 'README.md']) {
      expect(existsSync(join(installed, path)), path).toBe(true);
    }
    expect(existsSync(join(installed, 'dist/src/cli/cli.test.js'))).toBe(false);
  });

  it('npx ocpp-harness: run --builtin, list, trace and schema work from there', () => {
    const run = harness(lab, 'run', '--builtin', 'TC_B_01_CS', '--out', 'out');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(lab, 'out', 'results.json'), 'utf8')) as { cases: Array<{ id: string; verdict: string }> };
    expect(results.cases.map((c) => [c.id, c.verdict])).toEqual([['TC_B_01_CS', 'pass']]);
    expect(existsSync(join(lab, 'out', 'index.html'))).toBe(true);

    const listed = harness(lab, 'list', '--sut', 'csms', '--module', 'core');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^OCPP 2\.0\.1, sut csms: \d+ selected$/m);
    expect(listed.stdout).toMatch(/^ {2}TC_B_01_CSMS /m);

    // The trace the run wrote, and a recorded one with three violations.
    expect(harness(lab, 'trace', join('out', 'traces', 'TC_B_01_CS.jsonl')).code).toBe(0);
    const violations = harness(lab, 'trace', join(root, 'fixtures/traces/ocpp16-three-violations.jsonl'));
    expect(violations.code).toBe(1);
    expect(violations.stdout).toMatch(/3 violations/);

    const schema = harness(lab, 'schema', 'config');
    expect(schema.code).toBe(0);
    expect(schema.stdout).toBe(readFileSync(join(lab, 'node_modules/ocpp-harness/docs/schemas/config.schema.json'), 'utf8'));
  }, 180_000);

  it('init writes a lab configuration that list and run accept, for either role', () => {
    const written = harness(lab, 'init', 'lab.yaml');
    expect(written.code, written.stderr).toBe(0);
    expect(harness(lab, 'init', 'lab.yaml').stderr.trim()).toBe('lab.yaml: already there; --force overwrites it');
    expect(harness(lab, 'list', '--config', 'lab.yaml').code).toBe(0);
    const run = harness(lab, 'run', '--builtin', '--config', 'lab.yaml', 'TC_B_01_CS', '--out', 'out-lab');
    expect(run.code, run.stdout + run.stderr).toBe(0);

    expect(harness(lab, 'init', 'csms-lab.yaml', '--sut', 'csms', '--ocpp', '1.6').code).toBe(0);
    const csms = harness(lab, 'run', '--builtin', '--sut', 'csms', '--ocpp', '1.6', '--config', 'csms-lab.yaml', 'TC_001_CSMS', '--out', 'out-csms');
    expect(csms.code, csms.stdout + csms.stderr).toBe(0);
  }, 180_000);

  it('the README\'s programmatic example type-checks against the installed types and runs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = /^## Programmatic API$[\s\S]*?^```js\n([\s\S]*?)^```$/m.exec(readme)?.[1];
    expect(example).toBeDefined();
    writeFileSync(join(lab, 'example.mjs'), example!);
    writeFileSync(join(lab, 'example.ts'), example!);
    writeFileSync(join(lab, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, typeRoots: [join(root, 'node_modules/@types')], types: ['node'] },
      files: ['example.ts'],
    }));
    const typed = sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], lab);
    expect(typed.code, typed.stdout + typed.stderr).toBe(0);
    const ran = sh(process.execPath, ['example.mjs'], lab);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe('TC_B_01_CS pass\n');
  }, 180_000);
});
