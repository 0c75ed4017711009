import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTrace, Session, connectAsStation, writeScratchTree, type RunResult } from '../api.js';
import { watchStdout } from './child-output.test-support.js';

// The CLI as a user runs it: the built entry point in a real process.
const root = new URL('../../', import.meta.url).pathname;
const main = `${root}dist/src/cli/main.js`;

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Tests that start several CLI processes one after another: beside the other test files, that
// takes longer than vitest's default 5 s.
const SPAWNING_TEST_MS = 20_000;

const header = (id: string, extra = '') => `id: ${id}\ntitle: ${id}\nocpp: 2.0.1\nsut: cs\nmodule: core\npurpose: p\nrequirements:\n  R.1: r\n${extra}`;

// Every test here starts CLI processes: on a busy 2-core host one takes seconds, past vitest's 5 s default.
describe('ocpp-harness list / run / check', { timeout: SPAWNING_TEST_MS }, () => {
  it('list prints the selection of the shipped 2.0.1 Core cases for a station', () => {
    const { code, stdout } = run('run', '--list', '--ocpp', '2.0.1', '--sut', 'cs', '--module', 'core');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^OCPP 2\.0\.1, sut cs: \d+ selected$/m);
    expect(stdout).toMatch(/^ {2}TC_B_01_CS +core +Cold Boot Charging Station - Accepted$/m);
  });

  it('list says why every other case is out, with no filter too: another version, the other role', () => {
    const tree = writeScratchTree({
      'ocpp2.0.1/core/TC_Y_01_CS.yaml': `${header('TC_Y_01_CS')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\n`,
      'ocpp2.0.1/core/TC_Y_01_CSMS.yaml': `${header('TC_Y_01_CSMS').replace('sut: cs', 'sut: csms')}steps:\n  - send: Heartbeat\n    checks: [R.1]\n`,
      'ocpp1.6/core/TC_Y_02_CS.yaml': `${header('TC_Y_02_CS').replace('ocpp: 2.0.1', 'ocpp: 1.6')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\n`,
    });
    const { code, stdout } = run('list', '--testcases', tree);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      'OCPP 2.0.1, sut cs: 1 selected',
      '  TC_Y_01_CS       core         TC_Y_01_CS',
      'excluded (2):',
      '  TC_Y_01_CSMS     CSMS case (--sut cs selected)',
      '  TC_Y_02_CS       OCPP 1.6 case (--ocpp 2.0.1 selected)',
    ]);
  });

  it('list marks a case not applicable when its feature is not declared, and explains exclusions', () => {
    const tree = writeScratchTree({
      'ocpp2.0.1/core/TC_Y_01_CS.yaml': `${header('TC_Y_01_CS', 'features: [C-09.1]\n')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\n`,
      'ocpp2.0.1/reservation/TC_Y_02_CS.yaml': `${header('TC_Y_02_CS').replace('module: core', 'module: reservation')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\n`,
    });
    const config = join(mkdtempSync(join(tmpdir(), 'oh-cfg-')), 'lab.yaml');
    writeFileSync(config, 'features: [C-09.1]\n');
    const without = run('list', '--testcases', tree, '--module', 'core');
    expect(without.stdout).toContain('TC_Y_01_CS       core         TC_Y_01_CS  [not applicable: needs feature C-09.1, not declared in the configuration]');
    expect(without.stdout).toContain('TC_Y_02_CS       module reservation not selected (--module core)');
    const withFeature = run('list', '--testcases', tree, '--module', 'core', '--config', config);
    expect(withFeature.stdout).not.toContain('not applicable');
  });

  it('minEvses: list marks a case not applicable with fewer EVSEs (not with --builtin), and check lets it name the EVSEs it needs', () => {
    const secondEvse = `steps:\n  - send: ClearCache\n    payload: { evse: '{{config.evses.[1].id}}' }\n    checks: [R.1]\n`;
    const tree = writeScratchTree({
      'ocpp2.0.1/core/TC_W_01_CS.yaml': `${header('TC_W_01_CS', 'minEvses: 2\n')}${secondEvse}`,
      'ocpp2.0.1/core/TC_W_02_CS.yaml': `${header('TC_W_02_CS')}${secondEvse}`,
    });
    const config = join(mkdtempSync(join(tmpdir(), 'oh-cfg-')), 'lab.yaml');
    writeFileSync(config, 'evses:\n  - { id: 1, connectors: [{ id: 1 }] }\n  - { id: 2, connectors: [{ id: 1 }] }\n');
    expect(run('list', '--testcases', tree, 'TC_W_01_CS').stdout).toContain('[not applicable: needs 2 EVSEs, the configuration declares 1 (evses)]');
    expect(run('list', '--testcases', tree, '--config', config, 'TC_W_01_CS').stdout).not.toContain('not applicable');
    expect(run('run', '--list', '--builtin', '--testcases', tree, 'TC_W_01_CS').stdout).not.toContain('not applicable');
    const checked = run('check', '--testcases', tree, tree);
    expect(checked.stdout.trim().split('\n')).toEqual([
      `${join(tree, 'ocpp2.0.1/core/TC_W_02_CS.yaml')}:11: steps[0].payload: template variable "config.evses.1.id" names no configuration value`,
      '2 file(s) checked, 1 problem(s)',
    ]);
  }, SPAWNING_TEST_MS);

  it('minSecurityProfile: list marks a case not applicable below it (not with --builtin), and check keeps csms.newRootUrl to TLS cases', () => {
    const newRoot = `steps:\n  - send: SetNetworkProfile\n    payload: { configurationSlot: 1, connectionData: { messageTimeout: 30, ocppCsmsUrl: '{{csms.newRootUrl}}', ocppInterface: Wired0, ocppTransport: JSON, ocppVersion: OCPP20, securityProfile: 2 } }\n    checks: [R.1]\n`;
    const tree = writeScratchTree({
      'ocpp2.0.1/core/TC_V_01_CS.yaml': `${header('TC_V_01_CS', 'minSecurityProfile: 2\n')}${newRoot}`,
      'ocpp2.0.1/core/TC_V_02_CS.yaml': `${header('TC_V_02_CS')}${newRoot}`,
    });
    const config = join(mkdtempSync(join(tmpdir(), 'oh-cfg-')), 'lab.yaml');
    writeFileSync(config, 'security:\n  profile: 2\n  basicAuthPassword: lab-password-0123456\n');
    expect(run('list', '--testcases', tree, 'TC_V_01_CS').stdout).toContain('[not applicable: needs security profile 2 or higher, the configuration declares 0 (security.profile)]');
    expect(run('list', '--testcases', tree, '--config', config, 'TC_V_01_CS').stdout).not.toContain('not applicable');
    expect(run('run', '--list', '--builtin', '--testcases', tree, 'TC_V_01_CS').stdout).not.toContain('not applicable');
    const checked = run('check', '--testcases', tree, tree);
    expect(checked.stdout.trim().split('\n')).toEqual([
      `${join(tree, 'ocpp2.0.1/core/TC_V_02_CS.yaml')}:11: steps[0].payload: template variable "csms.newRootUrl": the new-root endpoint is served over TLS only; the case needs minSecurityProfile: 2 (reusable states cannot use it)`,
      '2 file(s) checked, 1 problem(s)',
    ]);
  }, SPAWNING_TEST_MS);

  it('maxSecurityProfile: list marks a case that offers a higher profile (A05) not applicable above its bound (not with --builtin)', () => {
    const tree = writeScratchTree({
      'ocpp2.0.1/core/TC_V_03_CS.yaml': `${header('TC_V_03_CS', 'minSecurityProfile: 1\nmaxSecurityProfile: 1\n')}steps:\n  - send: Heartbeat\n    payload: {}\n    checks: [R.1]\n`,
    });
    const config = join(mkdtempSync(join(tmpdir(), 'oh-cfg-')), 'lab.yaml');
    writeFileSync(config, 'security:\n  profile: 2\n  basicAuthPassword: lab-password-0123456\n');
    expect(run('list', '--testcases', tree, '--config', config, 'TC_V_03_CS').stdout).toContain('[not applicable: needs security profile 1 or lower (it offers a higher one), the configuration declares 2 (security.profile)]');
    expect(run('run', '--list', '--builtin', '--testcases', tree, 'TC_V_03_CS').stdout).not.toContain('not applicable');
  }, SPAWNING_TEST_MS);

  it('1.6 features: list leaves a profile to the station, the run asks it and its summary says why a case is not applicable; a CSMS goes by the configuration', () => {
    const header16 = (id: string, features: string) => `${header(id, `features: ${features}\n`).replace('ocpp: 2.0.1', "ocpp: '1.6'").replace('sut: cs', `sut: ${id.endsWith('_CSMS') ? 'csms' : 'cs'}`)}`;
    const tree = writeScratchTree({
      'ocpp1.6/core/TC_U_01_CS.yaml': `${header16('TC_U_01_CS', '[]')}steps:\n  - send: ClearCache\n    checks: [R.1]\n`,
      'ocpp1.6/core/TC_U_02_CS.yaml': `${header16('TC_U_02_CS', '[Reservation]')}steps:\n  - send: ClearCache\n    checks: [R.1]\n`,
      'ocpp1.6/core/TC_U_03_CSMS.yaml': `${header16('TC_U_03_CSMS', '[Reservation]')}steps:\n  - connection: open\n  - send: BootNotification\n    payload: { chargePointVendor: V, chargePointModel: M }\n    checks: [R.1]\n`,
    });
    const listed = run('list', '--ocpp', '1.6', '--testcases', tree);
    expect(listed.stdout).toContain('TC_U_02_CS       core         TC_U_02_CS  [applies if the station declares Reservation: asked when the run starts]');
    expect(run('list', '--ocpp', '1.6', '--sut', 'csms', '--testcases', tree).stdout).toContain('TC_U_03_CSMS     core         TC_U_03_CSMS  [not applicable: needs feature Reservation, not declared in the configuration]');
    // The built-in reference CSMS implements every 1.6 profile.
    expect(run('list', '--ocpp', '1.6', '--sut', 'csms', '--builtin', '--testcases', tree).stdout).not.toContain('not applicable');
    const out = mkdtempSync(join(tmpdir(), 'oh-out-'));
    const ran = run('run', '--ocpp', '1.6', '--builtin', '--fault', 'behaviour:declares-core-only', '--testcases', tree, '--out', out, '--reporter', 'console');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^N\/A +TC_U_02_CS /m);
    expect(ran.stdout).toContain('\nnot applicable: TC_U_02_CS: needs Reservation: the station\'s SupportedFeatureProfiles is "Core"\n');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
    expect(results.cases.map((c) => [c.id, c.verdict])).toEqual([['TC_U_01_CS', 'pass'], ['TC_U_02_CS', 'not-applicable']]);
  }, 3 * SPAWNING_TEST_MS);

  it('a bad flag or configuration value: one line naming it and what is allowed, exit 2, no stack trace', () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', '--shard', '3/2'], /^--shard: expected I\/N with 1 <= I <= N, e\.g\. 1\/3; got "3\/2"$/],
      [['run', '--workers', '0'], /^--workers: expected a positive whole number, e\.g\. 4; got "0"$/],
      [['run', '--listen', 'nowhere'], /^--listen: expected HOST:PORT, e\.g\. 127\.0\.0\.1:9000; got "nowhere"$/],
      [['run', '--sut', 'csms'], /^--target: needed with --sut csms \(or --builtin\), e\.g\. --target ws:\/\/127\.0\.0\.1:9000\/ocpp$/],
      [['run', '--ocpp', '3'], /^error: option '--ocpp <version>' argument '3' is invalid\. Allowed choices are 1\.6, 2\.0\.1, 2\.1\. \(run with --help for usage\)$/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = run(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')[0]).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    const config = join(mkdtempSync(join(tmpdir(), 'oh-cfg-')), 'lab.yaml');
    writeFileSync(config, 'stationId: CS1\nsecurity:\n  profile: 4\n');
    const bad = run('run', '--config', config);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`${config}:3: security.profile: must be one of 0, 1, 2, 3; got 4`);
  }, SPAWNING_TEST_MS);

  it('check passes on the repository and fails with file:line on a broken case', () => {
    const good = run('check');
    expect(good.stdout).toMatch(/\d+ file\(s\) checked, 0 problem\(s\)/);
    expect(good.code).toBe(0);
    const tree = writeScratchTree({ 'ocpp2.0.1/core/TC_Z_01_CS.yaml': `${header('TC_Z_01_CS')}steps:\n  - use: Nowhere\n    checks: [R.1]\n` });
    const bad = run('check', '--testcases', tree, tree);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`${join(tree, 'ocpp2.0.1/core/TC_Z_01_CS.yaml')}:10: steps[0].use: unknown reusable state "Nowhere" for OCPP 2.0.1 sut cs; known: none`);
  });

  it('Ctrl-C: writes results and traces of the finished cases, ends the running one, exits 130', async () => {
    const tree = writeScratchTree({
      'ocpp2.0.1/core/TC_Q_01_CS.yaml': `${header('TC_Q_01_CS')}steps:\n  - send: ClearCache\n    payload: {}\n    match: { status: Accepted }\n    checks: [R.1]\n`,
      'ocpp2.0.1/core/TC_Q_02_CS.yaml': `${header('TC_Q_02_CS')}steps:\n  - wait: { durationMs: 60000 }\n    checks: [R.1]\n`,
    });
    const out = mkdtempSync(join(tmpdir(), 'oh-out-'));
    const child = spawn(process.execPath, [main, 'run', '--testcases', tree, '--listen', '127.0.0.1:0', '--out', out], { cwd: root });
    const { seen } = watchStdout(child);
    const [, url] = await seen(/connect the station as (ws:\/\/\S+)\/CS001/);
    const { connection } = await connectAsStation({ endpoint: url!, stationId: 'CS001', versions: ['2.0.1'] });
    const station = new Session({ role: 'cs', version: '2.0.1', connection, trace: new MemoryTrace() });
    station.setCallHandler(() => ({ payload: { status: 'Accepted' } }));
    await station.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Test', model: 'T' } });
    await seen(/^PASS +TC_Q_01_CS/m);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult;
    expect(results.interrupted).toBe(true);
    expect(results.cases.map((c) => [c.id, c.verdict])).toEqual([['TC_Q_01_CS', 'pass'], ['TC_Q_02_CS', 'error']]);
    expect(readFileSync(join(out, 'traces', 'TC_Q_01_CS.jsonl'), 'utf8')).toContain('"action":"ClearCache"');
  });
});
