import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Issue 17: reports are uploaded as CI artifacts and shared with vendors. Runs in both roles with the
// lab's test PKI and a Basic-auth password, reported by every file reporter, with their traces and
// console output, and the `trace` and `certs show` commands on top, show no private key and no
// password anywhere. Keys issued per run and never written (the TLS server certificates') are
// covered by the PEM header check; every key kept in the PKI folder by each of its forms.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;

function cli(...args: string[]): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** A secret and the forms it can leak in. */
interface Secret {
  name: string;
  forms: Buffer[];
}

/**
 * The forms a private key can leak in: its PEM body lines (a key copied or embedded as text), the
 * base64 of its DER on one line (a key in a JSON string), and its DER bytes (a key in a binary file).
 */
function keySecret(name: string, pem: string): Secret {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  const lines = pem.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
  return { name, forms: [der, Buffer.from(der.toString('base64')), ...lines.map((line) => Buffer.from(line))] };
}

const PEM_KEY_HEADER = Buffer.from('PRIVATE KEY');

/** Every leak in `haystacks` (file or stream name → content): a PEM private-key header, or a form of a secret. */
function leaks(haystacks: ReadonlyMap<string, Buffer>, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const [where, content] of haystacks) {
    if (content.includes(PEM_KEY_HEADER)) found.push(`${where}: a PEM "PRIVATE KEY" header`);
    for (const secret of secrets) {
      if (secret.forms.some((form) => content.includes(form))) found.push(`${where}: ${secret.name}`);
    }
  }
  return found;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).map((name) => join(directory, name)).filter((path) => statSync(path).isFile());
}

let pkiDir: string;
let outDir: string;
let password: string;
const outputs = new Map<string, Buffer>();
let secrets: Secret[];

beforeAll(() => {
  const scratch = mkdtempSync(join(tmpdir(), 'oh-no-secrets-'));
  pkiDir = join(scratch, 'pki');
  outDir = join(scratch, 'out');
  // 24 characters of the passwordString alphabet (A00.FR.205), unlike anything else in a report.
  password = `Pw${randomBytes(16).toString('hex').slice(0, 22)}`;
  const config = join(scratch, 'lab.yaml');
  writeFileSync(config, `stationId: CS-SECRETS\nsecurity:\n  profile: 2\n  basicAuthPassword: ${password}\n`);
  const init = cli('certs', 'init', pkiDir, '--station', 'CS-SECRETS');
  expect(init.code, init.output).toBe(0);
  outputs.set('certs init (stdout+stderr)', Buffer.from(init.output));
  // Both roles at TLS with Basic auth (profile 2), with a root installed and a signed firmware update:
  // the harness as CSMS (the reference station sends the password) and as station (it sends it).
  const runs = { cs: ['TC_B_01_CS', 'TC_B_50_CS', 'TC_M_01_CS', 'TC_L_02_CS'], csms: ['TC_B_01_CSMS', 'TC_M_02_CSMS', 'TC_L_01_CSMS'] };
  for (const [sut, cases] of Object.entries(runs)) {
    const out = join(outDir, sut);
    const run = cli('run', '--builtin', '--ocpp', '2.0.1', '--sut', sut, '--config', config, '--pki', pkiDir, '--out', out, '--reporter', 'console,json,junit,html', ...cases);
    outputs.set(`run --sut ${sut} (stdout+stderr)`, Buffer.from(run.output));
    expect(run.code, run.output).toBe(0);
  }
  const trace = filesUnder(outDir).find((file) => file.endsWith('TC_B_50_CS.jsonl'))!;
  for (const format of ['text', 'json', 'html']) outputs.set(`trace --format ${format}`, Buffer.from(cli('trace', trace, '--format', format).output));
  outputs.set('certs show', Buffer.from(cli('certs', 'show', pkiDir).output));
  outputs.set('certs show --json', Buffer.from(cli('certs', 'show', pkiDir, '--json').output));
  for (const file of filesUnder(outDir)) outputs.set(relative(outDir, file), readFileSync(file));
  const keyFiles = readdirSync(pkiDir).filter((file) => file.endsWith('.key.pem'));
  secrets = [
    // As typed, and as the Authorization header carries it: base64 of identity:password (A00.FR.203).
    { name: 'the Basic-auth password', forms: [Buffer.from(password), Buffer.from(Buffer.from(`CS-SECRETS:${password}`).toString('base64'))] },
    ...keyFiles.map((file) => keySecret(`the private key of ${file}`, readFileSync(join(pkiDir, file), 'utf8'))),
  ];
}, 300_000);

describe('no private key or password in any output (issue 17)', () => {
  it('ran what it claims: every reporter wrote in both roles, the PKI and the password were in use, certificates went to <out>/certs', () => {
    const names = [...outputs.keys()];
    for (const sut of ['cs', 'csms']) {
      for (const expected of ['results.json', 'junit.xml', 'index.html']) expect(names).toContain(`${sut}/${expected}`);
      expect(names.filter((name) => name.startsWith(`${sut}/traces/`)).length).toBeGreaterThanOrEqual(3);
      // The run used the lab's roots: its csmsRoot is the one in the PKI folder.
      expect(outputs.get(`${sut}/certs/csmsRoot.pem`)?.toString()).toBe(readFileSync(join(pkiDir, 'csmsRoot.pem'), 'utf8'));
      // Both ends authenticated with the password; the traces name only the user.
      expect(outputs.get(`${sut}/traces/${sut === 'cs' ? 'TC_B_01_CS' : 'TC_B_01_CSMS'}.jsonl`)?.toString()).toContain('"authorization":"Basic <redacted user=\\"CS-SECRETS\\">"');
    }
    expect(names.filter((name) => name.includes('/certs/')).every((name) => name.endsWith('.pem') && !name.endsWith('.key.pem'))).toBe(true);
    expect(secrets.length).toBeGreaterThan(15);
  });

  it('finds no PEM private-key header, no form of a generated key and no password in any output file, stdout or stderr', () => {
    expect(leaks(outputs, secrets)).toEqual([]);
  });

  it('would catch a leak (negative control): a key file, a key inside JSON, DER bytes, a password in a trace', () => {
    const keyFile = readdirSync(pkiDir).find((file) => file.startsWith('station-CS-SECRETS') && file.endsWith('.key.pem'))!;
    const keyPem = readFileSync(join(pkiDir, keyFile), 'utf8');
    const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
    const planted = new Map<string, Buffer>([
      ['cs/certs/leaked.key.pem', Buffer.from(keyPem)],
      // The header gone, the body on one line in a JSON string.
      ['cs/results.json', Buffer.from(JSON.stringify({ key: keyPem.replace(/-----[^-]+-----/g, '').replace(/\s/g, '') }))],
      ['csms/uploads/blob.bin', Buffer.concat([randomBytes(32), der, randomBytes(32)])],
      ['csms/traces/TC_X.jsonl', Buffer.from(`{"headers":{"authorization":"${password}"}}`)],
    ]);
    expect(leaks(planted, secrets)).toEqual([
      'cs/certs/leaked.key.pem: a PEM "PRIVATE KEY" header',
      `cs/certs/leaked.key.pem: the private key of ${keyFile}`,
      `cs/results.json: the private key of ${keyFile}`,
      `csms/uploads/blob.bin: the private key of ${keyFile}`,
      'csms/traces/TC_X.jsonl: the Basic-auth password',
    ]);
  });
});
