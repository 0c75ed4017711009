import { it } from 'vitest';
import { loadCorpus } from './corpus.test-support.js';
import { runEntry } from './run-entry.test-support.js';
it('debug', async () => {
  const entry = loadCorpus().find((e) => e.id === (process.env['ENTRY'] ?? 'non-json'))!;
  if (process.env['STRIP']) delete entry.config;
  const o = await runEntry(entry, (process.env['ROLE'] ?? 'station') as 'station');
  console.log(o.stdout.split('\n').filter((l) => /PASS|FAIL|^ {13}/.test(l)).slice(0, 6).join('\n'), o.stderr.slice(-600), o.peer.problems, 'runMs', Math.round(o.runMs), 'after', o.afterLastCaseMs, 'close', o.peer.hostileCloseCode, 'side', o.peer.sideLifetimesMs.slice(0, 3), 'rss', o.peakRssMb);
  for (const r of o.records) if (r.messageType === 'EVENT' || r.meta.findings) console.log(r.meta.testId, r.meta.connectionId, r.direction, r.messageType, JSON.stringify(r.meta.event ?? '').slice(0, 120), JSON.stringify(r.meta.findings ?? []).slice(0, 200));
}, 120000);
