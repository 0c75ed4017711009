import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCatalog, formatSourceProblem, writeScratchTree as writeTree } from '../testcase/index.js';
import { STEP_KINDS } from './steps/index.js';
import { loadTestcases, TESTCASE_JSON_SCHEMA } from './testcases.js';

const options = { isConfigPath: (path: string) => ['timing.heartbeatIntervalS', 'idTokens.valid.idToken'].includes(path) };

function problemsOf(files: Record<string, string>): string[] {
  const root = writeTree(files);
  const catalog = loadTestcases(root);
  return [...catalog.problems, ...checkCatalog(catalog, options)].map((p) => formatSourceProblem({ ...p, file: p.file.slice(root.length + 1) }));
}

const header = (id: string) => `id: ${id}\ntitle: t\nocpp: 2.0.1\nsut: cs\nmodule: core\npurpose: p\nrequirements:\n  R.1: r\n`;

describe('test-case checks, with file:line', () => {
  it('names an unknown step kind', () => {
    expect(problemsOf({ 'ocpp2.0.1/core/TC_X_01_CS.yaml': `${header('TC_X_01_CS')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\n  - expct: Heartbeat\n` })).toEqual([
      'ocpp2.0.1/core/TC_X_01_CS.yaml:12: steps[1]: unknown step field "expct"; a step has exactly one of: expect, send, sendInvalid, action, wait, connection, assert, anyOf, use',
    ]);
  });

  describe('reject a field that is not their own, one line naming the kind', () => {
    const fieldsOf = (kind: string) => STEP_KINDS.fieldsOf(STEP_KINDS.list.find((format) => format.name === kind)!).join(', ');
    const misplaced: Array<[kind: string, step: string, field: string]> = [
      ['expect', '  - expect: Heartbeat\n    payload: {}\n', 'payload'],
      ['send', '  - send: Heartbeat\n    reply: {}\n', 'reply'],
      ['action', '  - action: plugIn\n    reply: {}\n', 'reply'],
      ['wait', '  - wait: { durationMs: 1 }\n    match: {}\n', 'match'],
      ['connection', '  - connection: drop\n    payload: {}\n', 'payload'],
      ['assert', '  - assert: { some: { action: Heartbeat } }\n    capture: { a: b }\n', 'capture'],
      ['anyOf', '  - anyOf:\n      - - expect: Heartbeat\n      - - expect: Authorize\n    forEach: evse\n', 'forEach'],
      ['use', '  - use: Booted\n    timeoutMs: 100\n', 'timeoutMs'],
    ];
    it.each(misplaced)('%s', (kind, step, field) => {
      const problems = problemsOf({
        'ocpp2.0.1/states/cs/Booted.yaml': 'state: Booted\nocpp: 2.0.1\nsut: cs\nsteps:\n  - expect: Heartbeat\n',
        'ocpp2.0.1/core/TC_X_20_CS.yaml': `${header('TC_X_20_CS')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\n${step}`,
      });
      const line = 11 + 1 + step.split('\n').findIndex((text) => text.trimStart().startsWith(`${field}:`));
      expect(problems).toEqual([`ocpp2.0.1/core/TC_X_20_CS.yaml:${line}: steps[1]: "${field}" is not a field of ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} step; it has: ${fieldsOf(kind)}`]);
    });

    it('one line per misplaced field, nested steps included, and none for a step with two kinds', () => {
      expect(problemsOf({
        'ocpp2.0.1/core/TC_X_21_CS.yaml': `${header('TC_X_21_CS')}steps:
  - expect: Heartbeat
    payload: {}
    attempts: 2
    checks: [R.1]
  - send: Heartbeat
    expect: Heartbeat
  - anyOf:
      - - expect: Heartbeat
          noRely: true
      - - expect: Authorize
`,
      })).toEqual([
        'ocpp2.0.1/core/TC_X_21_CS.yaml:14: steps[1]: a step has exactly one of: expect, send, sendInvalid, action, wait, connection, assert, anyOf, use; this one has expect and send',
        `ocpp2.0.1/core/TC_X_21_CS.yaml:11: steps[0]: "payload" is not a field of an expect step; it has: ${fieldsOf('expect')}`,
        `ocpp2.0.1/core/TC_X_21_CS.yaml:12: steps[0]: "attempts" is not a field of an expect step; it has: ${fieldsOf('expect')}`,
        `ocpp2.0.1/core/TC_X_21_CS.yaml:18: steps[2].anyOf[0][0]: "noRely" is not a field of an expect step; it has: ${fieldsOf('expect')}`,
      ]);
    });

    it('keeps post to passive kinds', () => {
      expect(problemsOf({ 'ocpp2.0.1/core/TC_X_22_CS.yaml': `${header('TC_X_22_CS')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\npost:\n  - send: Heartbeat\n` })).toEqual([
        'ocpp2.0.1/core/TC_X_22_CS.yaml:13: post[0]: post holds only assert steps, not send',
      ]);
    });
  });

  it('knows item inside a forEach over a literal list, and checks the list\'s templates', () => {
    expect(problemsOf({
      'ocpp2.0.1/core/TC_X_23_CS.yaml': `${header('TC_X_23_CS')}steps:
  - send: Heartbeat
    forEach: [{ a: 1 }, { a: '{{captured.none}}' }]
    payload: { x: '{{item.a}}' }
    checks: [R.1]
  - send: Heartbeat
    payload: { x: '{{item}}' }
`,
    })).toEqual([
      'ocpp2.0.1/core/TC_X_23_CS.yaml:11: steps[0].forEach: template variable "captured.none" is not captured by an earlier step (captured so far: nothing)',
      'ocpp2.0.1/core/TC_X_23_CS.yaml:15: steps[1].payload: template variable "item" is only defined inside a forEach step',
    ]);
  });

  it('takes the captures of a state from the states it uses too', () => {
    const state = (name: string, steps: string) => `state: ${name}\nocpp: 2.0.1\nsut: cs\nsteps:\n${steps}`;
    expect(problemsOf({
      'ocpp2.0.1/states/cs/Inner.yaml': state('Inner', '  - expect: Authorize\n    capture: { token: idToken.idToken }\n'),
      'ocpp2.0.1/states/cs/Outer.yaml': state('Outer', '  - use: Inner\n'),
      'ocpp2.0.1/core/TC_X_20_CS.yaml': `${header('TC_X_20_CS')}steps:\n  - use: Outer\n  - send: ClearCache\n    payload: { a: '{{captured.token}}', b: '{{captured.other}}' }\n    checks: [R.1]\n`,
    })).toEqual(['ocpp2.0.1/core/TC_X_20_CS.yaml:12: steps[1].payload: template variable "captured.other" is not captured by an earlier step (captured so far: token)']);
  });

  it('names an unknown reusable state, listing the known ones', () => {
    expect(problemsOf({
      'ocpp2.0.1/states/cs/Booted.yaml': 'state: Booted\nocpp: 2.0.1\nsut: cs\nsteps:\n  - expect: Heartbeat\n',
      'ocpp2.0.1/core/TC_X_02_CS.yaml': `${header('TC_X_02_CS')}steps:\n  - use: Booted\n    checks: [R.1]\n  - use: Bootet\n`,
    })).toEqual(['ocpp2.0.1/core/TC_X_02_CS.yaml:12: steps[1].use: unknown reusable state "Bootet" for OCPP 2.0.1 sut cs; known: Booted']);
  });

  it('names bad template variables: unknown root, unknown config, not yet captured, item outside forEach', () => {
    const problems = problemsOf({
      'ocpp2.0.1/core/TC_X_03_CS.yaml': `${header('TC_X_03_CS')}steps:
  - send: Heartbeat
    payload: { a: '{{confg.x}}', b: '{{config.timing.heartbeatIntervalSeconds}}', c: '{{captured.txId}}', d: '{{item.evseId}}' }
    checks: [R.1]
  - expect: Authorize
    capture: { txId: idToken.idToken }
  - send: Heartbeat
    payload: { ok: '{{captured.txId}} {{config.idTokens.valid.idToken}}' }
`,
    });
    expect(problems).toEqual([
      'ocpp2.0.1/core/TC_X_03_CS.yaml:11: steps[0].payload: unknown template variable "confg.x"; variables start with config, captured, params, item, files, pki, csms, target, unique, secret, csr, now',
      'ocpp2.0.1/core/TC_X_03_CS.yaml:11: steps[0].payload: template variable "config.timing.heartbeatIntervalSeconds" names no configuration value',
      'ocpp2.0.1/core/TC_X_03_CS.yaml:11: steps[0].payload: template variable "captured.txId" is not captured by an earlier step (captured so far: nothing)',
      'ocpp2.0.1/core/TC_X_03_CS.yaml:11: steps[0].payload: template variable "item.evseId" is only defined inside a forEach step',
    ]);
  });

  it('names a misspelt root in a presence test, which renders without error when the root is right', () => {
    const problems = problemsOf({
      'ocpp2.0.1/core/TC_X_09_CS.yaml': `${header('TC_X_09_CS')}steps:
  - send: Heartbeat
    payload: { a: '{{optional captrued.txId}}', b: '{{#if confg.x}}x{{/if}}', c: '{{#if config.timing.heartbeatIntervalS}}{{kebab "HeartbeatInterval"}}{{/if}}' }
    checks: [R.1]
`,
    });
    expect(problems).toEqual([
      'ocpp2.0.1/core/TC_X_09_CS.yaml:11: steps[0].payload: unknown template variable "captrued.txId"; variables start with config, captured, params, item, files, pki, csms, target, unique, secret, csr, now',
      'ocpp2.0.1/core/TC_X_09_CS.yaml:11: steps[0].payload: unknown template variable "confg.x"; variables start with config, captured, params, item, files, pki, csms, target, unique, secret, csr, now',
    ]);
  });

  it('knows unique.<name> as one value per name, and nextUnique as a helper', () => {
    expect(problemsOf({
      'ocpp2.0.1/core/TC_X_07_CS.yaml': `${header('TC_X_07_CS')}steps:
  - send: Heartbeat
    payload: { a: 'TX-{{unique.transaction}}', b: '{{nextUnique "eventId"}}', c: '{{unique.transaction.id}}' }
    checks: [R.1]
`,
    })).toEqual(['ocpp2.0.1/core/TC_X_07_CS.yaml:11: steps[0].payload: template variable "unique.transaction.id": unique.<name> is one run-unique integer per name, e.g. unique.transaction']);
  });

  it('names connection fields given to an operation they do not apply to', () => {
    expect(problemsOf({ 'ocpp2.0.1/core/TC_X_06_CS.yaml': `${header('TC_X_06_CS')}steps:\n  - connection: drop\n    minDelayS: 1\n    checks: [R.1]\n` })).toEqual([
      'ocpp2.0.1/core/TC_X_06_CS.yaml:11: steps[0].minDelayS: "minDelayS" applies to connection: refuse or restore, not drop',
    ]);
  });

  it('lets an anyOf branch open with a state only when the state opens with an expect', () => {
    expect(problemsOf({
      'ocpp2.0.1/states/cs/Waits.yaml': 'state: Waits\nocpp: 2.0.1\nsut: cs\nsteps:\n  - expect: Heartbeat\n',
      'ocpp2.0.1/states/cs/Sends.yaml': 'state: Sends\nocpp: 2.0.1\nsut: cs\nsteps:\n  - send: ClearCache\n    payload: {}\n',
      'ocpp2.0.1/core/TC_X_07_CS.yaml': `${header('TC_X_07_CS')}steps:\n  - anyOf:\n      - - use: Waits\n      - - use: Sends\n      - - expect: Heartbeat\n    checks: [R.1]\n`,
    })).toEqual(['ocpp2.0.1/core/TC_X_07_CS.yaml:12: steps[0].anyOf[1][0]: each anyOf branch must start with an expect step, or with a use (without forEach) of a reusable state whose first step is an expect']);
  });

  it('names test PKI variables that do not exist', () => {
    const problems = problemsOf({
      'ocpp2.0.1/core/TC_X_05_CS.yaml': `${header('TC_X_05_CS')}steps:
  - send: InstallCertificate
    payload: { certificateType: CSMSRootCertificate, certificate: '{{pki.csmsRoot.pem}}', a: '{{pki.csmsRoot.hashData.serialNumber}}', b: '{{pki.firmwareSignature}}', c: '{{pki.csmsRoot3.pem}}', d: '{{pki.csmsRoot.key}}', e: '{{pki.csmsRoot.hashDataSHA384.issuerKeyHash}}' }
    checks: [R.1]
`,
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('template variable "pki.csmsRoot3.pem": the test PKI offers pki.<certificate> and pki.<certificate>.pem|hashData|hashDataSHA384|hashDataSHA512 for csmsRoot, csmsRoot2');
    expect(problems[1]).toContain('"pki.csmsRoot.key"');
  });

  it('names unknown actions, requirement ids, pattern operators, and misplaced files', () => {
    const problems = problemsOf({
      'ocpp2.0.1/smart-charging/TC_X_04_CS.yaml': `${header('TC_X_04_CS')}steps:\n  - expect: StartTransaction\n    match: { a: { $regexp: x } }\n    checks: [R.2]\n`,
    });
    expect(problems).toEqual([
      'ocpp2.0.1/smart-charging/TC_X_04_CS.yaml:5: module: the case says module "core" but sits in smart-charging/',
      'ocpp2.0.1/smart-charging/TC_X_04_CS.yaml:12: steps[0].checks[0]: requirement R.2 is not listed under requirements',
      'ocpp2.0.1/smart-charging/TC_X_04_CS.yaml:10: steps[0].expect: unknown OCPP 2.0.1 action "StartTransaction"',
      expect.stringMatching(/^ocpp2\.0\.1\/smart-charging\/TC_X_04_CS\.yaml:11: steps\[0\]\.match: unknown operator "\$regexp"/),
      'ocpp2.0.1/smart-charging/TC_X_04_CS.yaml:8: requirements.R.1: requirement R.1 is listed but no step checks it',
    ]);
  });

  it('checks the pattern of a capture that picks an array element like a match', () => {
    const problems = problemsOf({
      'ocpp2.0.1/core/TC_X_06_CS.yaml': `${header('TC_X_06_CS')}steps:
  - send: GetInstalledCertificateIds
    payload: {}
    capture:
      ok: { in: certificateHashDataChain, where: { certificateHashData: { $hashDataOf: '{{pki.csmsRoot.pem}}' } }, path: certificateHashData }
      bad: { in: certificateHashDataChain, where: { certificateType: { $regexp: x }, n: '{{captured.nothing}}' } }
    checks: [R.1]
  - send: DeleteCertificate
    payload: { certificateHashData: '{{captured.ok}}' }
`,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^ocpp2\.0\.1\/core\/TC_X_06_CS\.yaml:\d+: steps\[0\]\.capture\.bad\.where: unknown operator "\$regexp"/),
      expect.stringMatching(/steps\[0\]\.capture\.bad\.where: template variable "captured\.nothing" is not captured by an earlier step/),
    ]);
  });

  it('names an expectedFindings code that no finding has, in one line, and takes the known ones', () => {
    const problems = problemsOf({
      'ocpp2.0.1/core/TC_X_08_CS.yaml': `${header('TC_X_08_CS')}steps:\n  - expect: Heartbeat\n    checks: [R.1]\nexpectedFindings: [frame-invalid, frame-invalids]\n`,
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ocpp2\.0\.1\/core\/TC_X_08_CS\.yaml:12: expectedFindings\[1\]: "frame-invalids" is no finding code; the codes are frame-invalid, message-type-unknown, .*idtokeninfo-missing(, [a-z0-9-]+)* \(docs\/findings\.md\)$/);
  });

  it('checks each action and pattern of an assertion\'s anyOf', () => {
    const problems = problemsOf({
      'ocpp2.0.1/core/TC_X_11_CS.yaml': `${header('TC_X_11_CS')}steps:
  - assert:
      some:
        anyOf:
          - { action: StatusNotification, match: { connectorStatus: '{{captured.status}}' } }
          - { action: StatusNotifications }
    checks: [R.1]
`,
    });
    expect(problems).toEqual([
      'ocpp2.0.1/core/TC_X_11_CS.yaml:13: steps[0].assert.some.anyOf[0].match: template variable "captured.status" is not captured by an earlier step (captured so far: nothing)',
      'ocpp2.0.1/core/TC_X_11_CS.yaml:14: steps[0].assert.some.anyOf[1].action: unknown OCPP 2.0.1 action "StatusNotifications"',
    ]);
  });

  it('knows target.url in a CSMS case only', () => {
    const csmsHeader = header('TC_X_09_CSMS').replace('sut: cs', 'sut: csms');
    const profile = (url: string) => `steps:\n  - action: csmsSend\n    params: { action: SetNetworkProfile, url: '${url}' }\n    checks: [R.1]\n`;
    expect(problemsOf({ 'ocpp2.0.1/core/TC_X_09_CSMS.yaml': `${csmsHeader}${profile('{{target.url}}')}` })).toEqual([]);
    expect(problemsOf({ 'ocpp2.0.1/core/TC_X_10_CSMS.yaml': `${csmsHeader.replace('TC_X_09_CSMS', 'TC_X_10_CSMS')}${profile('{{target.host}}')}` })).toEqual([
      'ocpp2.0.1/core/TC_X_10_CSMS.yaml:11: steps[0].params: template variable "target.host": the CSMS under test offers target.url, target.upgradeUrl',
    ]);
    expect(problemsOf({ 'ocpp2.0.1/core/TC_X_09_CS.yaml': `${header('TC_X_09_CS')}${profile('{{target.url}}')}` })).toEqual([
      'ocpp2.0.1/core/TC_X_09_CS.yaml:11: steps[0].params: template variable "target.url": target.* is the CSMS under test, defined in CSMS cases and states (sut: csms) only',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problemsOf({ 'ocpp2.0.1/core/TC_X_05_CS.yaml': `${header('TC_X_05_CS')}steps:\n  - send: [unclosed\n` })[0]).toMatch(/^ocpp2\.0\.1\/core\/TC_X_05_CS\.yaml:1[01]: YAML: /);
  });

  it('reports an alias to no anchor and an alias bomb as YAML problems of the file (found by fuzzing, issue 14)', () => {
    const bomb = Array.from({ length: 8 }, (_, level) => `l${level + 1}: &l${level + 1} [${Array(10).fill(`*l${level}`).join(',')}]`).join('\n');
    expect(problemsOf({
      'ocpp2.0.1/core/TC_X_06_CS.yaml': `${header('TC_X_06_CS')}x: *nowhere\nsteps: []\n`,
      'ocpp2.0.1/core/TC_X_07_CS.yaml': `${header('TC_X_07_CS')}l0: &l0 x\n${bomb}\nsteps: []\n`,
    })).toEqual([
      expect.stringMatching(/^ocpp2\.0\.1\/core\/TC_X_06_CS\.yaml:1: YAML: Unresolved alias/),
      expect.stringMatching(/^ocpp2\.0\.1\/core\/TC_X_07_CS\.yaml:1: YAML: Excessive alias count/),
    ]);
  });

  it('refuses brackets nested past the limit as a YAML problem on their line (found by fuzzing, issue 14)', () => {
    expect(problemsOf({ 'ocpp2.0.1/core/TC_X_08_CS.yaml': `${header('TC_X_08_CS')}steps:\n  - send: Heartbeat\n    payload: ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}\n` }))
      .toEqual(['ocpp2.0.1/core/TC_X_08_CS.yaml:11: YAML: brackets nested deeper than 100 levels']);
  });

  it('takes event selectors and count.in in assertions, and names an unknown event kind or file variable', () => {
    const problems = problemsOf({
      'ocpp2.0.1/core/TC_X_06_CS.yaml': `${header('TC_X_06_CS')}steps:
  - send: GetLog
    payload: { logType: DiagnosticsLog, requestId: 1, log: { remoteLocation: '{{files.missingLogUrl}}' } }
    checks: [R.1]
  - assert: { count: { event: http-request, match: { status: 404 }, in: [1, 4] } }
  - send: GetLog
    payload: { logType: DiagnosticsLog, requestId: 2, log: { remoteLocation: '{{files.uploadUrl}}' } }
`,
      'ocpp2.0.1/core/TC_X_07_CS.yaml': `${header('TC_X_07_CS')}steps:\n  - assert: { some: { event: http-upload } }\n    checks: [R.1]\n`,
    });
    expect(problems).toEqual([
      'ocpp2.0.1/core/TC_X_07_CS.yaml:10: steps[0].assert.some.event: must be one of "ws-open", "ws-rejected", "ws-close", "call-timeout", "pong-missing", "note", "http-request", "handshake-timeout", "peer-not-reading", "close-timeout"',
      'ocpp2.0.1/core/TC_X_06_CS.yaml:15: steps[2].payload: template variable "files.uploadUrl": the file server offers files.url, files.firmwareUrl, files.uninstallableFirmwareUrl, files.logUrl, files.missingLogUrl',
    ]);
  });

  it('docs/schemas/testcase.schema.json is the schema the code uses (regenerate: ocpp-harness schema testcase)', () => {
    const file = JSON.parse(readFileSync(new URL('../../docs/schemas/testcase.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(TESTCASE_JSON_SCHEMA)));
  });
});
