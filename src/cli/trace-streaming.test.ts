import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 14: `trace` streams. Real files in a temporary folder, the real CLI as a child process;
// its peak RSS is written at exit by a preloaded module (process.resourceUsage().maxRSS).
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
const dir = mkdtempSync(join(tmpdir(), 'ocpp-harness-trace-stream-'));
const preload = join(dir, 'max-rss.mjs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIB = 1024 * 1024;
const HEAD = '"schemaVersion":"1.1","ocppVersion":"2.0.1","transport":"json","chargePointId":"CS-1"';

interface Outcome { code: number | null; stdout: string; stderr: string; peakRssMiB: number }

async function trace(...args: string[]): Promise<Outcome> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, ['--import', preload, main, 'trace', ...args], { cwd: root, env: { ...process.env, RSS_FILE: rssFile } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr, peakRssMiB: Number(readFileSync(rssFile, 'utf8')) / MIB };
}

// A conversation of Heartbeats and MeterValues with their answers, until the file has `bytes`.
async function writeLog(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let records = 0;
  for (let n = 0; written < bytes; n++) {
    const at = new Date(Date.UTC(2026, 10, 21) + n * 1000).toISOString();
    const payload = n % 2 === 0 ? {} : { evseId: 1, meterValue: [{ timestamp: at, sampledValue: [{ value: 1000 + n }] }] };
    const action = n % 2 === 0 ? 'Heartbeat' : 'MeterValues';
    const answer = n % 2 === 0 ? { currentTime: at } : {};
    const text = `{${HEAD},"timestamp":"${at}","direction":"cp-to-csms","messageType":"CALL","messageId":"m${n}","action":"${action}","payload":${JSON.stringify(payload)},"raw":${JSON.stringify(JSON.stringify([2, `m${n}`, action, payload]))},"meta":{"monotonicMs":${n}}}\n`
      + `{${HEAD},"timestamp":"${at}","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"m${n}","payload":${JSON.stringify(answer)},"raw":${JSON.stringify(JSON.stringify([3, `m${n}`, answer]))},"meta":{"monotonicMs":${n}}}\n`;
    written += text.length;
    records += 2;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return records;
}

const record = (fields: string) => `{${HEAD},"timestamp":"2026-11-21T00:00:00.000Z",${fields},"meta":{"monotonicMs":0}}\n`;

beforeAll(() => {
  writeFileSync(preload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));\n");
});

describe('trace streams its file', () => {
  it('checks a 40 MB log in bounded memory (peak RSS under 150 MiB), with the JSON counts', async () => {
    const path = join(dir, 'big.jsonl');
    const records = await writeLog(path, 40 * MIB);
    const outcome = await trace(path, '--format', 'json');
    expect([outcome.code, outcome.stderr]).toEqual([0, '']);
    expect(JSON.parse(outcome.stdout)).toEqual({
      file: path, findings: [], versions: ['2.0.1'], records, severities: { violation: 0, warning: 0, info: 0 }, unansweredCalls: 0, orphanResponses: 0,
    });
    expect(outcome.peakRssMiB).toBeLessThan(150);
  }, 240_000);

  it('reports a line over --max-line-bytes as record-unreadable with its size, and reads on', async () => {
    const path = join(dir, 'long-line.jsonl');
    const frame = `[2,"big","DataTransfer",{"vendorId":"V","data":"${'d'.repeat(3 * MIB)}"}]`;
    writeFileSync(path, `${record(`"direction":"cp-to-csms","messageType":"CALL","messageId":"h","raw":"[2,\\"h\\",\\"Heartbeat\\",{}]"`)}${record(`"direction":"cp-to-csms","raw":${JSON.stringify(frame)}`)}`);
    const outcome = await trace(path, '--max-line-bytes', String(MIB));
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(new RegExp(`line 2 \\(record 1\\) {2}violation {2}record-unreadable: line of ${Buffer.byteLength(record(`"direction":"cp-to-csms","raw":${JSON.stringify(frame)}`)) - 1} bytes is longer than the ${MIB} a record may have`));
    expect(outcome.stdout).toMatch(/line 1 \(record 0\) {2}violation {2}unanswered-call/);
  }, 60_000);
});

describe('trace on deep nesting (issue 14)', () => {
  it('gives nesting-too-deep for a 5,000-deep payload and exits 1, without a stack trace', async () => {
    const path = join(dir, 'deep.jsonl');
    const deep = `${'['.repeat(5000)}0${']'.repeat(5000)}`;
    const raw = `[2,"1","DataTransfer",{"vendorId":"V","data":${deep}}]`;
    writeFileSync(path, record(`"direction":"cp-to-csms","messageType":"CALL","messageId":"1","action":"DataTransfer","payload":{"vendorId":"V","data":${deep}},"raw":${JSON.stringify(raw)}`)
      + record('"direction":"csms-to-cp","messageType":"CALLERROR","messageId":"1","raw":"[4,\\"1\\",\\"FormatViolation\\",\\"too deep\\",{}]"')
      + record(`"direction":"cp-to-csms","messageType":"CALL","messageId":"2","action":"DataTransfer","payload":{"vendorId":"V","data":${deep}}`));
    expect(readFileSync(path).length).toBeGreaterThan(30_000);
    const text = await trace(path);
    expect([text.code, text.stderr]).toEqual([1, '']);
    expect(text.stdout.match(/line \d+ \(record \d+\) {2}\w+ {2}[a-z-]+/g)).toEqual([
      'line 1 (record 0)  violation  nesting-too-deep',
      'line 3 (record 2)  violation  nesting-too-deep',
      'line 3 (record 2)  violation  unanswered-call',
    ]);
    const html = await trace(path, '--format', 'html');
    expect([html.code, html.stderr]).toEqual([1, '']);
    expect(html.stdout).toContain('nesting-too-deep');
  }, 60_000);
});

describe('trace --format html on huge frames', () => {
  it('shows the start of a 3 MiB frame and how many bytes follow, not the whole frame', async () => {
    const path = join(dir, 'huge-frame.jsonl');
    const data = 'z'.repeat(3 * MIB);
    const raw = `[2,"big","DataTransfer",{"vendorId":"V","data":"${data}"}]`;
    writeFileSync(path, record(`"direction":"cp-to-csms","messageType":"CALL","messageId":"big","action":"DataTransfer","raw":${JSON.stringify(raw)}`)
      + record('"direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"big","raw":"[3,\\"big\\",{\\"status\\":\\"Accepted\\"}]"'));
    const outcome = await trace(path, '--format', 'html');
    expect([outcome.code, outcome.stderr]).toEqual([0, '']);
    expect(outcome.stdout).toContain(`… ${Buffer.byteLength(raw) - 64 * 1024} bytes more`);
    expect(outcome.stdout.length).toBeLessThan(MIB);
  }, 60_000);
});

describe('trace on a frame kept in base64 (meta.rawEncoding)', () => {
  it('reads the record, names it frame-invalid-utf8, and finds no raw-mismatch', async () => {
    const path = join(dir, 'base64.jsonl');
    const bytes = Buffer.from([0x5b, 0x32, 0x2c, 0xff, 0xfe, 0x5d]).toString('base64');
    writeFileSync(path, `{${HEAD},"timestamp":"2026-11-21T00:00:00.000Z","direction":"cp-to-csms","messageType":"INVALID","raw":"${bytes}","meta":{"monotonicMs":0,"rawEncoding":"base64"}}\n`);
    const outcome = await trace(path, '--format', 'json');
    const findings = (JSON.parse(outcome.stdout) as { findings: Array<{ code: string; message: string }> }).findings;
    expect(findings.map((finding) => finding.code)).not.toContain('raw-mismatch');
    expect(findings[0]?.code).toBe('frame-invalid-utf8');
    const html = await trace(path, '--format', 'html');
    expect(html.stdout).toContain(`base64 of a text frame that is not UTF-8: ${bytes}`);
  }, 60_000);
});
