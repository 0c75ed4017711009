import { it } from 'vitest';
import { loadCorpus } from './corpus.test-support.js';
import { runEntry } from './run-entry.test-support.js';
it('debug', async () => {
  const entry = loadCorpus().find((e) => e.id === (process.env['ENTRY'] ?? 'non-json'))!;
  const o = await runEntry(entry, (process.env['ROLE'] ?? 'station') as 'station');
  console.log(o.stdout, o.stderr.slice(-3000), o.peer.problems, Math.round(o.runMs), o.afterLastCaseMs, o.peer.hostileCloseCode);
  for (const r of o.records) if (r.messageType === 'EVENT' || r.meta.findings) console.log(r.meta.testId, r.meta.connectionId, r.direction, r.messageType, JSON.stringify(r.meta.event ?? '').slice(0, 200), JSON.stringify(r.meta.findings ?? []).slice(0, 300));
}, 60000);
