import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileLines, type FileLine } from './index.js';
import { readFileLineBatches } from './line-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'ocpp-harness-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function linesOf(content: string | Buffer, maxLineBytes?: number): Promise<FileLine[]> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, content);
  const lines: FileLine[] = [];
  for await (const line of readFileLines(path, maxLineBytes)) lines.push(line);
  return lines;
}

describe('readFileLines', () => {
  it('numbers every line, blank ones too, with or without a final newline', async () => {
    expect(await linesOf('a\n\nc')).toEqual([{ line: 1, text: 'a' }, { line: 2, text: '' }, { line: 3, text: 'c' }]);
    expect(await linesOf('a\n')).toEqual([{ line: 1, text: 'a' }]);
    expect(await linesOf('')).toEqual([]);
  });

  it('joins a line that spans read chunks, and a UTF-8 character split between them', async () => {
    // The reader takes 64 KiB at a time: the € (3 bytes) straddles a chunk's end.
    const long = `${'x'.repeat(1024 * 1024 - 1)}€y`;
    const lines = await linesOf(`${long}\nnext\n`);
    expect(lines.map((line) => ('text' in line ? [line.line, line.text.length, line.text.slice(-2)] : line))).toEqual([[1, long.length, '€y'], [2, 4, 'xt']]);
  });

  it('reports a line over the limit by its size and start, never holding it, and reads on', async () => {
    const huge = `{"start":1,"pad":"${'p'.repeat(3 * 1024 * 1024)}"}`;
    const lines = await linesOf(`short\n${huge}\nafter\n`, 1024 * 1024);
    expect(lines[0]).toEqual({ line: 1, text: 'short' });
    expect(lines[1]).toMatchObject({ line: 2, overlong: { bytes: Buffer.byteLength(huge) } });
    expect((lines[1] as { overlong: { start: string } }).overlong.start).toMatch(/^\{"start":1,"pad":"p+$/);
    expect(lines[2]).toEqual({ line: 3, text: 'after' });
  });

  it('reads every line once across byte ranges, however the offsets fall', async () => {
    // Lines of every kind: blank, multi-byte, one longer than a read chunk, one over the limit, no final newline.
    const content = ['a', '', 'bé€', 'x'.repeat(70_000), 'y'.repeat(200_000), 'c', '', 'last'].join('\n');
    const path = join(dir, 'ranges');
    writeFileSync(path, content);
    const size = Buffer.byteLength(content);
    const whole = await linesIn(path, { from: 0, to: Infinity });
    expect(whole).toEqual(await linesOf(content, 100_000));
    let seed = 7;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    for (let round = 0; round < 40; round++) {
      const cuts = [...new Set([0, ...Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * (size + 2))), size + 5])].sort((a, b) => a - b);
      const joined: FileLine[] = [];
      for (let at = 0; at + 1 < cuts.length; at++) {
        // Line numbers count from 1 in each range: the caller adds the lines of the ranges before.
        const before = joined.length;
        for (const line of await linesIn(path, { from: cuts[at]!, to: cuts[at + 1]! })) joined.push({ ...line, line: line.line + before });
      }
      expect(joined, `cuts ${cuts.join(',')}`).toEqual(whole);
    }
  });
});

async function linesIn(path: string, range: { from: number; to: number }): Promise<FileLine[]> {
  const lines: FileLine[] = [];
  for await (const batch of readFileLineBatches(path, 100_000, range)) lines.push(...batch);
  return lines;
}
