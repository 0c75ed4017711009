import { it } from 'vitest';
import { loadCorpus } from './corpus.test-support.js';
import { runEntry } from './run-entry.test-support.js';
it('debug', async () => {
  const entry = loadCorpus().find((e) => e.id === (process.env['ENTRY'] ?? 'non-json'))!;
  const t0 = performance.now();
  const o = await runEntry(entry, (process.env['ROLE'] ?? 'station') as 'station');
  console.log(o.stdout, o.stderr.slice(-3000), o.peer.problems, Math.round(o.runMs), o.afterLastCaseMs, o.results?.durationMs, o.results?.cases.map((c) => [c.id, c.verdict, c.durationMs, (c as {reason?: string}).reason]));
}, 60000);
