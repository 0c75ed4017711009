// Summarizes a V8 CPU profile (from `node --cpu-prof`) as the functions with the most self time,
// mapped back to the TypeScript sources through the source maps in dist/.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/run.js --only harness
//   node dist/bench/profile-summary.js /tmp/prof/CPU.*.cpuprofile [top=25]
//
// Caveat: time spent inside system calls (fs.writeSync, socket writes) is attributed to the
// native function that made them and tends to be overstated by the sampling profiler.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!sourceMaps.has(url)) {
    const mapPath = url.startsWith('file:') ? `${fileURLToPath(url)}.map` : '';
    sourceMaps.set(url, mapPath && existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8'))) : undefined);
  }
  return sourceMaps.get(url);
}

/** "name  file:line", with dist/*.js positions mapped to the .ts source when a map exists. */
function locationOf({ functionName, url, lineNumber, columnNumber }: ProfileNode['callFrame']): string {
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const entry = sourceMapOf(url)?.findEntry(lineNumber, columnNumber);
  if (entry && 'originalSource' in entry && !url.includes('/node_modules/')) {
    const source = entry.originalSource.replace(/^.*?\/(src|bench)\//, '$1/');
    return `${name}  ${source}:${entry.originalLine + 1}`;
  }
  return `${name}  ${url.replace(/^file:\/\/.*?\/node_modules\//, 'node_modules/')}:${lineNumber + 1}`;
}

function selfTimeByFunction(profile: Profile): Map<string, number> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const key = locationOf(nodes.get(id)!.callFrame);
    selfUs.set(key, (selfUs.get(key) ?? 0) + (profile.timeDeltas[index + 1] ?? 0));
  });
  return selfUs;
}

function main(): void {
  const [file, topArgument] = process.argv.slice(2);
  if (!file) throw new Error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]');
  const selfUs = selfTimeByFunction(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);
  const top = [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(topArgument ?? 25));
  console.log(`total sampled ${(totalUs / 1000).toFixed(0)} ms; self time:`);
  for (const [location, us] of top) {
    console.log(`${((100 * us) / totalUs).toFixed(1).padStart(5)}% ${(us / 1000).toFixed(0).padStart(6)} ms  ${location}`);
  }
}

main();
