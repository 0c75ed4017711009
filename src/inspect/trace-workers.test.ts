import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectTraceFileStreaming, type PlacedFinding, type RecordView } from './index.js';
import { RangePacker, WORKER_LINE_BYTES } from './trace-batch.js';
import { RANGE_BYTES } from './trace-workers.js';

// Issue 14, trace speed: worker threads do the stateless part of judging records; the findings,
// their order and the derived views must be exactly those of the single-thread path.
const fixtures = new URL('../../fixtures/traces/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ocpp-harness-trace-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function inspectWith(path: string, workers: number, rangeBytes?: number, maxLineBytes?: number): Promise<string> {
  const findings: PlacedFinding[] = [];
  const views: RecordView[] = [];
  try {
    const summary = await inspectTraceFileStreaming(path, { finding: (finding) => findings.push(finding), line: (_line, view) => views.push(view) }, { workers, ...(rangeBytes ? { rangeBytes } : {}), ...(maxLineBytes ? { maxLineBytes } : {}) });
    return JSON.stringify({ summary, findings, views });
  } catch (error) {
    return `throws ${(error as Error).name}: ${(error as Error).message}`;
  }
}

// The open-ocpp-trace fixtures (a frame log is read in the main thread only).
const traceFixtures = readdirSync(fixtures).filter((name) => name.endsWith('.jsonl') && !name.includes('.frames.')).sort();

describe('trace with worker threads', () => {
  it('has a worker pack a record with a canonical frame, and hand back any other line as text', () => {
    const [call, answer] = readFileSync(join(fixtures, 'ocpp201-clean.jsonl'), 'utf8').split('\n');
    const lines = [call!, answer!, '{"not a record"', call!.replace('"raw":"[2,', '"raw":"[ 2,'), '   '];
    const packer = new RangePacker(undefined, 1000);
    lines.forEach((text, at) => packer.add({ line: at + 1, text }));
    packer.add({ line: 6, overlong: { bytes: 1099, start: '{"a', at: 5000 } });
    packer.add({ line: 7, overlong: { bytes: 999, start: '{"b', at: 6100 } });
    const reading = packer.done();
    const { strings } = reading;
    const entries = reading.packed.flatMap((part) => JSON.parse(part) as unknown[]);
    // Packed records (arrays), two lines for the main thread (1), a blank one (0), one over the limit
    // (2), and one the worker left for the main thread to read from the file (3).
    expect(entries.map((entry) => (Array.isArray(entry) ? 'packed' : entry))).toEqual(['packed', 'packed', 1, 1, 0, 2, 3]);
    expect(reading.texts).toEqual([lines[2], lines[3]]);
    expect(reading.overlong).toEqual([{ bytes: 1099, start: '{"a', at: 5000 }, { bytes: 999, start: '{"b', at: 6100 }]);
    // The strings a record repeats go once per range; the packed records hold no line text.
    expect(strings).toContain('2.0.1');
    expect(reading.packed.join('')).not.toContain('"raw"');
  });

  it.each(traceFixtures)('judges %s as the main thread alone does', async (name) => {
    const path = join(fixtures, name);
    const single = await inspectWith(path, 0);
    expect(await inspectWith(path, 2)).toBe(single);
    // Ranges of a few lines: the worker and the main thread take turns, and boundaries fall inside lines.
    expect(await inspectWith(path, 1, 700)).toBe(single);
  });

  it('judges a trace of many batches in order, as the main thread alone does', async () => {
    // Every fixture record again and again, on several stations and connections, with blank and
    // broken lines: canonical frames, raw written another way, EVENTs, findings of every kind.
    // A file of records first, so that the file reads as a trace (FORMAT_PROBE_RECORDS).
    const ordered = [...traceFixtures.filter((name) => name.startsWith('ocpp')), ...traceFixtures.filter((name) => !name.startsWith('ocpp'))];
    const lines = ordered.flatMap((name) => readFileSync(join(fixtures, name), 'utf8').split('\n'));
    const out: string[] = [];
    let chars = 0;
    for (let round = 0; chars < 3.5 * RANGE_BYTES; round++) {
      for (const line of lines) {
        const text = line.replace(/"chargePointId":"([^"]*)"/, `"chargePointId":"$1-${round % 3}"`).replace(/"connectionId":"([^"]*)"/, `"connectionId":"$1-${round % 5}"`);
        out.push(text);
        chars += text.length + 1;
      }
      out.push('', '{"not a record"', '   ');
      // Lines longer than a worker reads (WORKER_LINE_BYTES): the main thread reads them from the file.
      if (round === 1) out.push(longRecord(), `{"not a record either ${'z'.repeat(WORKER_LINE_BYTES)}`);
    }
    const path = join(dir, 'many-batches.jsonl');
    writeFileSync(path, `${out.join('\n')}\n`);
    const single = await inspectWith(path, 0);
    expect(single).toMatch(/"findings":\[\{/);
    expect(await inspectWith(path, 1)).toBe(single);
    expect(await inspectWith(path, 2)).toBe(single);
    expect(await inspectWith(path, 3, 64 * 1024)).toBe(single);
    // Under a lower line limit the long lines are over it: judged by their size, read by no thread.
    const limited = await inspectWith(path, 0, undefined, WORKER_LINE_BYTES + 100);
    expect(limited).not.toBe(single);
    expect(await inspectWith(path, 2, 64 * 1024, WORKER_LINE_BYTES + 100)).toBe(limited);
  }, 60_000);
});

// A DataTransfer CALL over a MiB long, written canonically.
function longRecord(): string {
  const payload = { vendorId: 'ocpp-harness', data: 'a'.repeat(WORKER_LINE_BYTES) };
  return JSON.stringify({
    schemaVersion: '1.1', timestamp: '2026-11-21T00:00:00.000Z', ocppVersion: '2.0.1', transport: 'json', chargePointId: 'CS-LONG', direction: 'cp-to-csms',
    messageType: 'CALL', messageId: 'long-1', action: 'DataTransfer', payload, raw: JSON.stringify([2, 'long-1', 'DataTransfer', payload]), meta: { monotonicMs: 0, connectionId: 'c-long' },
  });
}
