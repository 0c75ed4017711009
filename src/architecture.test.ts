import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ and what each may import (aesthetics §6.1): imports point down only, a layer
 * is entered through its index.ts, and no file takes part in an import cycle. The README's
 * architecture section lists the same table.
 */
const LAYERS: Record<string, readonly string[]> = {
  protocol: [],
  domain: ['protocol'],
  pki: [],
  transport: ['protocol'],
  session: ['protocol', 'domain', 'transport'],
  inspect: ['protocol', 'session'],
  testcase: ['protocol', 'domain', 'pki'],
  reference: ['protocol', 'domain', 'transport', 'session', 'pki'],
  config: ['protocol'],
  runner: ['protocol', 'domain', 'transport', 'session', 'inspect', 'testcase', 'config', 'reference', 'pki'],
  report: ['protocol', 'session', 'inspect', 'testcase', 'runner'],
  api: ['protocol', 'transport', 'session', 'inspect', 'testcase', 'config', 'reference', 'runner', 'report', 'pki'],
  cli: ['api'],
  fuzz: ['protocol', 'api'],
};

const SRC = dirname(new URL(import.meta.url).pathname);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file: string): string {
  const [first = ''] = relative(SRC, file).split('/');
  return first.replace(/\.ts$/, '');
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g)]
    .map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

// Tests may use a lower layer's test helpers (*.test-support.ts) directly; production code may not.
function isTestSupportImport(file: string, target: string): boolean {
  return /\.test(-support)?\.ts$/.test(file) && target.endsWith('.test-support.ts');
}

const files = sourceFiles(SRC).filter((file) => file !== new URL(import.meta.url).pathname);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('architecture', () => {
  it('knows the layer of every source file', () => {
    const unknown = files.map(layerOf).filter((layer) => !(layer in LAYERS));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it('imports point down the layers, into a layer only through its index.ts', () => {
    const offences: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      for (const target of targets) {
        const to = layerOf(target);
        const where = `${relative(SRC, file)} imports ${relative(SRC, target)}`;
        if (to === from) continue;
        if (!LAYERS[from]?.includes(to)) offences.push(`${where}: ${from} may not import ${to}`);
        else if (to !== 'api' && relative(join(SRC, to), target) !== 'index.ts' && !isTestSupportImport(file, target)) offences.push(`${where}: enter ${to} through ${to}/index.ts`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('the README draws the same layers', () => {
    const readme = readFileSync(join(SRC, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Architecture'));
    for (const [layer, allowed] of Object.entries(LAYERS)) {
      expect(section, `README architecture section must describe layer "${layer}"`).toContain(`\`${layer}/\``.replace('api/', 'api.ts'));
      for (const dependency of allowed) expect(section).toMatch(new RegExp(`${layer}.*${dependency}`));
    }
  });
});
