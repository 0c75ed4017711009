import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import forge from 'node-forge';
import type { RunResult } from '../api.js';

const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;
// Each test starts a simulator and runs whole suites in other processes: beside the other test
// files, that takes longer than vitest's default 5 s.
const SPAWNING_TEST_MS = 60_000;
let simulator: ChildProcessWithoutNullStreams | undefined;
let station: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  station?.kill('SIGINT');
  simulator?.kill('SIGINT');
  simulator = undefined;
  station = undefined;
});

function outputOf(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpMatchArray> {
  let text = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = text.match(pattern);
      if (match) resolve(match);
    });
  });
}

function runVerdicts(args: string[], out: string): string[][] {
  spawnSync(process.execPath, [main, 'run', ...args, '--out', out], { cwd: root, encoding: 'utf8' });
  const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
  return result.cases.map((c) => [c.id, c.verdict]);
}

/** The cases of a run that were not applicable because they need a higher security profile than the configuration's. */
function notApplicableForProfile(out: string): string[] {
  const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
  return result.cases.filter((c) => c.verdict === 'not-applicable' && 'reason' in c && /needs security profile/.test(String(c.reason))).map((c) => c.id);
}

/** A station certificate (CN = the identity) issued with the csmsRoot a simulator keeps in its PKI folder, as the lab's CA would. */
function stationCertificateOf(pkiDirectory: string, stationId: string): { certificatePem: string; privateKeyPem: string } {
  const issuer = forge.pki.certificateFromPem(readFileSync(join(pkiDirectory, 'csmsRoot.pem'), 'utf8'));
  const issuerKey = forge.pki.privateKeyFromPem(readFileSync(join(pkiDirectory, 'csmsRoot.key.pem'), 'utf8'));
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = `0${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  certificate.validity.notBefore = new Date(Date.now() - 3_600_000);
  certificate.validity.notAfter = new Date(Date.now() + 3_600_000);
  certificate.setSubject([{ name: 'commonName', value: stationId }]);
  certificate.setIssuer(issuer.subject.attributes);
  certificate.sign(issuerKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

describe('ocpp-harness simulate', () => {
  it('a CSMS started on its own, driven through the http adapter, gives the verdicts of the in-process run', async () => {
    simulator = spawn(process.execPath, [main, 'simulate', 'csms', '--ocpp', '1.6', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0'], { cwd: root });
    const [, csmsUrl, controlUrl] = await outputOf(simulator, /listening at (ws:\/\/\S+) .*\ncontrol API: (http:\/\/\S+)\/actions/);
    const dir = mkdtempSync(join(tmpdir(), 'oh-sim-'));
    const config = join(dir, 'lab.yaml');
    writeFileSync(config, `timing: { reconnectDelayS: 0 }
adapters:
  default: { kind: prompt }
  actions:
    csmsSend:
      kind: http
      baseUrl: ${controlUrl}
      requests:
        csmsSend: { method: POST, path: '/actions/csmsSend?wait=true', body: { action: '{{params.action}}', payload: '{{optional params.payload}}' } }
    csmsAddIdToken:
      kind: http
      baseUrl: ${controlUrl}
      requests:
        csmsAddIdToken: { method: POST, path: /actions/csmsAddIdToken, body: { idToken: '{{params.idToken}}', status: '{{params.status}}', groupIdToken: '{{optional params.groupIdToken}}' } }
# The simulated CSMS implements every 1.6 profile, as the built-in one the in-process run declares.
features: [FirmwareManagement, LocalAuthListManagement, Reservation, RemoteTrigger, SmartCharging]
`);
    const separate = runVerdicts(['--ocpp', '1.6', '--sut', 'csms', '--target', `${csmsUrl}/ocpp`, '--config', config], join(dir, 'separate'));
    const inProcess = runVerdicts(['--ocpp', '1.6', '--sut', 'csms', '--builtin'], join(dir, 'builtin'));
    // The lab runs at profile 0: the security cases that need Basic auth or TLS (TC_073, TC_074, TC_083,
    // TC_085 to TC_087) do not apply to it, while --builtin fits the reference to each case.
    const unreached = new Set(notApplicableForProfile(join(dir, 'separate')));
    expect([...unreached].sort()).toEqual(['TC_073_CSMS', 'TC_074_CSMS', 'TC_083_CSMS', 'TC_085_CSMS', 'TC_086_CSMS', 'TC_087_CSMS']);
    const compared = (verdicts: string[][]) => verdicts.filter(([id]) => !unreached.has(id!));
    expect(separate.length).toBeGreaterThanOrEqual(4);
    expect(compared(separate).every(([, verdict]) => verdict === 'pass')).toBe(true);
    expect(compared(separate)).toEqual(compared(inProcess));
  }, SPAWNING_TEST_MS);

  it('the whole 2.0.1 Core CSMS suite against a separately started CSMS, with the lab file fixtures/config/simulated-csms.yaml, gives the in-process verdicts', async () => {
    const fixture = join(root, 'fixtures', 'config', 'simulated-csms.yaml');
    simulator = spawn(process.execPath, [main, 'simulate', 'csms', '--ocpp', '2.0.1', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--config', fixture], { cwd: root });
    const [, csmsUrl, controlUrl] = await outputOf(simulator, /listening at (ws:\/\/\S+) .*\ncontrol API: (http:\/\/\S+)\/actions/);
    const dir = mkdtempSync(join(tmpdir(), 'oh-sim-'));
    const config = join(dir, 'lab.yaml');
    // The fixture names the control API's default port (simulate --control, the README); this test's simulator took a free one.
    const lab = readFileSync(fixture, 'utf8');
    expect(lab).toContain('http://127.0.0.1:9100');
    writeFileSync(config, lab.replaceAll('http://127.0.0.1:9100', controlUrl!));
    const separate = runVerdicts(['--ocpp', '2.0.1', '--sut', 'csms', '--module', 'core', '--target', `${csmsUrl}/ocpp`, '--config', config], join(dir, 'separate'));
    const inProcess = runVerdicts(['--ocpp', '2.0.1', '--sut', 'csms', '--module', 'core', '--builtin', '--config', config], join(dir, 'builtin'));
    // The lab runs at profile 0: the cases that need Basic auth or TLS (block A) are not applicable to
    // it, while --builtin fits the reference to the case. Every other verdict is the in-process one.
    const unreached = new Set(notApplicableForProfile(join(dir, 'separate')));
    expect([...unreached].sort()).toEqual(['TC_A_01_CSMS', 'TC_A_02_CSMS', 'TC_A_03_CSMS', 'TC_A_04_CSMS', 'TC_A_06_CSMS', 'TC_A_09_CSMS', 'TC_A_19_CSMS']);
    const compared = (verdicts: string[][]) => verdicts.filter(([id]) => !unreached.has(id!));
    expect(separate.length).toBeGreaterThanOrEqual(97);
    expect(compared(separate).filter(([, verdict]) => verdict !== 'pass')).toEqual([]);
    expect(compared(separate)).toEqual(compared(inProcess));
  }, SPAWNING_TEST_MS);

  it('simulate station connects to the harness as CSMS and boots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-sim-'));
    const run = spawn(process.execPath, [main, 'run', '--ocpp', '2.0.1', '--sut', 'cs', '--listen', '127.0.0.1:0', '--out', dir, 'TC_B_06_CS'], { cwd: root });
    const [, url] = await outputOf(run, /connect the station as (ws:\/\/\S+)\/CS001/);
    simulator = spawn(process.execPath, [main, 'simulate', 'station', '--ocpp', '2.0.1', '--target', url!, '--control', '127.0.0.1:0'], { cwd: root });
    await outputOf(simulator, /reference station connected to/);
    const code = await new Promise((resolve) => run.once('exit', resolve));
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
    expect(result.cases.map((c) => 'reason' in c)).toEqual([false]);
    expect(code).toBe(0);
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['TC_B_06_CS', 'pass']]);
    expect(result.sutIdentity).toBeUndefined();
  }, SPAWNING_TEST_MS);

  it('a station simulator and a run sharing --pki trust the same roots: the signed firmware case passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-sim-'));
    const pki = join(dir, 'pki');
    const run = spawn(process.execPath, [main, 'run', '--ocpp', '2.0.1', '--sut', 'cs', '--listen', '127.0.0.1:0', '--out', dir, '--pki', pki, 'TC_L_01_CS'], { cwd: root });
    const [, url] = await outputOf(run, /connect the station as (ws:\/\/\S+)\/CS001/);
    simulator = spawn(process.execPath, [main, 'simulate', 'station', '--ocpp', '2.0.1', '--target', url!, '--control', '127.0.0.1:0', '--pki', pki], { cwd: root });
    const code = await new Promise((resolve) => run.once('exit', resolve));
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
    expect(result.cases.map((c) => [c.id, c.verdict, 'reason' in c])).toEqual([['TC_L_01_CS', 'pass', false]]);
    expect(code).toBe(0);
    expect(readdirSync(pki)).toContain('manufacturerRoot.pem');
  }, SPAWNING_TEST_MS);

  it('simulate station --reboot-delay: a reboot waited for over the control API takes that long and ends connected and accepted', async () => {
    simulator = spawn(process.execPath, [main, 'simulate', 'csms', '--ocpp', '2.0.1', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0'], { cwd: root });
    const [, csmsUrl] = await outputOf(simulator, /listening at (ws:\/\/\S+) /);
    station = spawn(process.execPath, [main, 'simulate', 'station', '--ocpp', '2.0.1', '--target', `${csmsUrl}/ocpp`, '--control', '127.0.0.1:0', '--reboot-delay', '700'], { cwd: root });
    const [, controlUrl] = await outputOf(station, /control API: (http:\/\/\S+)\/actions/);
    const begun = Date.now();
    const reboot = await fetch(`${controlUrl}/actions/reboot?wait=true`, { method: 'POST' });
    expect(await reboot.json()).toEqual({ status: 'done' });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(700);
    expect(await (await fetch(`${controlUrl}/status`)).json()).toMatchObject({ connected: true, registration: 'Accepted', transactions: [] });
    const refused = spawnSync(process.execPath, [main, 'simulate', 'station', '--target', 'ws://127.0.0.1:1/ocpp', '--reboot-delay', '2s'], { cwd: root, encoding: 'utf8' });
    expect(refused.stderr).toContain('--reboot-delay: a whole number of milliseconds, not "2s"');
    expect(refused.status).not.toBe(0);
  }, SPAWNING_TEST_MS);

  it('as a station the harness tests a separately started CSMS at profile 3 over wss://, trusting the lab root of its configuration and presenting the lab\'s client certificate; one of another identity is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-sim-'));
    // The lab's PKI: the CSMS serves a certificate of its csmsRoot and accepts station certificates that root issued.
    writeFileSync(join(dir, 'csms.yaml'), 'security:\n  profile: 3\n');
    simulator = spawn(process.execPath, [main, 'simulate', 'csms', '--ocpp', '2.0.1', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--pki', join(dir, 'pki'), '--config', join(dir, 'csms.yaml')], { cwd: root });
    const [, csmsUrl] = await outputOf(simulator, /listening at (wss:\/\/\S+) /);
    writeFileSync(join(dir, 'csms-root.pem'), readFileSync(join(dir, 'pki', 'csmsRoot.pem')));
    for (const id of ['CS001', 'CS002']) {
      const issued = stationCertificateOf(join(dir, 'pki'), id);
      writeFileSync(join(dir, `${id}.pem`), issued.certificatePem);
      writeFileSync(join(dir, `${id}.key.pem`), issued.privateKeyPem, { mode: 0o600 });
    }
    const lab = (id: string) => {
      const config = join(dir, `lab-${id}.yaml`);
      // Relative paths: read from the config file's folder.
      writeFileSync(config, `security:\n  profile: 3\n  csmsRootFile: csms-root.pem\n  clientCertificateFile: ${id}.pem\n  clientKeyFile: ${id}.key.pem\n`);
      return config;
    };
    const out = join(dir, 'own');
    expect(runVerdicts(['--ocpp', '2.0.1', '--sut', 'csms', '--target', `${csmsUrl}/ocpp`, '--config', lab('CS001'), 'TC_B_01_CSMS'], out)).toEqual([['TC_B_01_CSMS', 'pass']]);
    const opened = readFileSync(join(out, 'traces', 'TC_B_01_CSMS.jsonl'), 'utf8').split('\n').find((line) => line.includes('"ws-open"'));
    expect(JSON.parse(opened!).meta.event.handshake.tls.peerCertificate.issuer).toContain('CN=ocpp-harness CSMS Root 1');
    // CS002's certificate, presented as CS001: the CSMS refuses the connection (A00.FR.405).
    const impostor = join(dir, 'impostor');
    spawnSync(process.execPath, [main, 'run', '--ocpp', '2.0.1', '--sut', 'csms', '--target', `${csmsUrl}/ocpp`, '--config', lab('CS002'), '--station-id', 'CS001', '--out', impostor, 'TC_B_01_CSMS'], { cwd: root, encoding: 'utf8' });
    const refused = (JSON.parse(readFileSync(join(impostor, 'results.json'), 'utf8')) as RunResult).cases[0]!;
    expect(refused.verdict).not.toBe('pass');
    expect(JSON.stringify(refused)).toContain('HTTP 403');
  }, SPAWNING_TEST_MS);

  it('as a station the harness tests a separately started CSMS at profile 2 over wss://, trusting the lab root of its configuration; without that root it does not trust the CSMS, an error and no fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-sim-'));
    const password = 'lab-password-0123456789';
    writeFileSync(join(dir, 'csms.yaml'), `security:\n  profile: 2\n  basicAuthPassword: ${password}\n`);
    simulator = spawn(process.execPath, [main, 'simulate', 'csms', '--ocpp', '2.0.1', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--pki', join(dir, 'pki'), '--config', join(dir, 'csms.yaml')], { cwd: root });
    const [, csmsUrl] = await outputOf(simulator, /listening at (wss:\/\/\S+) /);
    writeFileSync(join(dir, 'csms-root.pem'), readFileSync(join(dir, 'pki', 'csmsRoot.pem')));
    writeFileSync(join(dir, 'lab.yaml'), `security:\n  profile: 2\n  basicAuthPassword: ${password}\n  csmsRootFile: csms-root.pem\n`);
    const out = join(dir, 'own');
    expect(runVerdicts(['--ocpp', '2.0.1', '--sut', 'csms', '--target', `${csmsUrl}/ocpp`, '--config', join(dir, 'lab.yaml'), 'TC_B_01_CSMS'], out)).toEqual([['TC_B_01_CSMS', 'pass']]);
    const opened = readFileSync(join(out, 'traces', 'TC_B_01_CSMS.jsonl'), 'utf8').split('\n').find((line) => line.includes('"ws-open"'));
    expect(JSON.parse(opened!).meta.event.handshake.tls).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/), peerCertificate: { issuer: expect.stringContaining('CN=ocpp-harness CSMS Root 1') } });
    // Node's default roots do not hold the lab's root: the harness cannot trust the CSMS.
    writeFileSync(join(dir, 'no-root.yaml'), `security:\n  profile: 2\n  basicAuthPassword: ${password}\n`);
    expect(runVerdicts(['--ocpp', '2.0.1', '--sut', 'csms', '--target', `${csmsUrl}/ocpp`, '--config', join(dir, 'no-root.yaml'), 'TC_B_01_CSMS'], join(dir, 'untrusted'))).toEqual([['TC_B_01_CSMS', 'error']]);
  }, SPAWNING_TEST_MS);

  it('TC_A_19_CSMS against a separately started CSMS at profile 1: the harness reaches its profile 2 endpoint through security.upgradeTargetUrl, and is refused at profile 1 afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oh-sim-'));
    const security = 'security:\n  profile: 1\n  basicAuthPassword: lab-password-0123456789\n';
    writeFileSync(join(dir, 'csms.yaml'), security);
    simulator = spawn(process.execPath, [main, 'simulate', 'csms', '--ocpp', '2.0.1', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--pki', join(dir, 'pki'), '--config', join(dir, 'csms.yaml')], { cwd: root });
    const [, csmsUrl, upgradeUrl, controlUrl] = await outputOf(simulator, /listening at (ws:\/\/\S+) .*one security profile up, at (wss:\/\/\S+)\/<stationId>\)\ncontrol API: (http:\/\/\S+)\/actions/);
    const config = join(dir, 'lab.yaml');
    writeFileSync(config, `${security}  csmsRootFile: pki/csmsRoot.pem\n  upgradeTargetUrl: ${upgradeUrl}/ocpp
timing: { reconnectDelayS: 0 }
adapters:
  default: { kind: http, baseUrl: ${controlUrl}, requests: {}, defaultRequest: { method: POST, path: '/actions/{{params.action}}?wait=true', body: {} } }
  actions:
    csmsSend: { kind: http, baseUrl: ${controlUrl}, requests: { csmsSend: { method: POST, path: '/actions/csmsSend?wait=true', body: { action: '{{params.action}}', payload: '{{optional params.payload}}' } } } }
`);
    const out = join(dir, 'lab');
    expect(runVerdicts(['--ocpp', '2.0.1', '--sut', 'csms', '--target', `${csmsUrl}/ocpp`, '--config', config, 'TC_A_19_CSMS', 'TC_B_01_CSMS'], out)).toEqual([['TC_A_19_CSMS', 'pass'], ['TC_B_01_CSMS', 'error']]);
    const records = readFileSync(join(out, 'traces', 'TC_A_19_CSMS.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { action?: string; messageType?: string; raw: string });
    const profile = records.find((record) => record.messageType === 'CALL' && record.action === 'SetNetworkProfile')!;
    expect((JSON.parse(profile.raw) as [number, string, string, { connectionData: { ocppCsmsUrl: string } }])[3].connectionData.ocppCsmsUrl).toBe(`${upgradeUrl}/ocpp`);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toContain('refused: HTTP 403');
  }, SPAWNING_TEST_MS);
});
