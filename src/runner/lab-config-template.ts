import { DEFAULT_CONFIG } from '../config/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { Sut } from '../testcase/index.js';
import { STANDARD_ACTIONS, type StandardActionName } from './adapters/index.js';

/**
 * The commented lab configuration `ocpp-harness init` writes: every section a lab fills in for one
 * SUT (station id, layout, tokens, security, timeouts, how it is kept idle) with the defaults as
 * values, and one adapter entry per device action the cases of that role use, each a `prompt` stub
 * (an operator is asked, so the file runs as written) with the automated form shown beside it.
 */
export function labConfigTemplate(options: { sut: Sut; ocpp: OcppVersion }): string {
  const { sut, ocpp } = options;
  const defaults = DEFAULT_CONFIG;
  const tokens = Object.entries(defaults.idTokens).map(([role, token]) => `  ${role}: { idToken: ${token.idToken}, type: ${token.type} }`);
  const actions = (Object.keys(STANDARD_ACTIONS) as StandardActionName[]).filter((name) => STANDARD_ACTIONS[name].side === sut);
  const testedThing = sut === 'cs' ? 'a charging station (the harness plays the CSMS)' : 'a CSMS (the harness plays the charging station)';
  return [
    `# ocpp-harness lab configuration: OCPP ${ocpp}, testing ${testedThing}.`,
    '# Written by `ocpp-harness init`; every field is optional and shows its default here. Use it with',
    `#   ocpp-harness list --config THIS_FILE${sut === 'csms' ? ' --sut csms' : ''}   (what would run, and why the rest would not)`,
    `#   ocpp-harness run --config THIS_FILE${sut === 'csms' ? ' --sut csms --target ws://CSMS-HOST:PORT/PATH' : ''}`,
    '# The schema (for editor completion): ocpp-harness schema config.',
    '',
    '# The station identity: the last path segment of the OCPP-J URL, and the Basic-auth username',
    `# from security profile 1.${sut === 'csms' ? ' The CSMS under test must know this station.' : ''}`,
    `stationId: ${defaults.stationId}`,
    '',
    '# The OCPP version (the --ocpp flag wins over it).',
    `ocpp: ${ocpp}`,
    '',
    `# The ${sut === 'cs' ? "station's" : "harness station's"} EVSEs and connectors. A case that needs more EVSEs than declared is not applicable.`,
    ...(ocpp === '1.6' ? ['# OCPP 1.6 has no EVSEs: connectors[].id is the 1.6 connectorId, unique across the station.'] : []),
    'evses:',
    '  - id: 1',
    '    connectors:',
    '      - id: 1',
    '        type: cType2',
    '',
    '# Id tokens by the role they play in the test cases. The CSMS must know them in these states',
    '# (valid, valid2, group: Accepted; invalid unknown; blocked Blocked; expired Expired). At most',
    '# 20 characters if the SUT may also run OCPP 1.6.',
    'idTokens:',
    ...tokens,
    '',
    '# Security profile: 0 plain ws://, 1 Basic auth, 2 Basic auth over TLS (wss://), 3 TLS with client',
    '# certificates. Profiles 1 and 2 need basicAuthPassword (16 to 40 characters). Keep real secrets',
    '# out of version control. Certificate files are PEM, relative to this file.',
    ...(sut === 'cs'
      ? ['# From profile 2, install <out>/certs/csmsRoot.pem (written when a run begins) on the station; at 3', '# its client certificate (CN = stationId) must chain to stationRootFile (default that csmsRoot).']
      : ['# From profile 2 the CSMS\'s certificate must chain to csmsRootFile; at 3 the harness presents', '# clientCertificateFile (CN = stationId). upgradeTargetUrl: the CSMS\'s endpoint one profile up, where', '# the station connects once the CSMS upgraded it (TC_A_19_CSMS, TC_083_CSMS; default the --target URL).']),
    'security:',
    `  profile: ${defaults.security.profile}`,
    '  # basicAuthPassword: change-me-0123456789',
    ...(sut === 'cs' ? ['  # stationRootFile: certs/station-root.pem'] : ['  # csmsRootFile: certs/csms-root.pem', '  # clientCertificateFile: certs/CS001.pem', '  # clientKeyFile: certs/CS001.key.pem', '  # upgradeTargetUrl: wss://csms.example.com:8443/ocpp']),
    '',
    '# How long the harness waits for the SUT, in milliseconds.',
    'timeouts:',
    ...Object.entries(defaults.timeouts).map(([name, value]) => `  ${name}: ${value}`),
    '',
    '# PICS entries and features the SUT declares; a case needing an undeclared one is not applicable.',
    '# A 1.6 station declares its profiles and configuration keys itself (GetConfiguration); these add to them.',
    'features: []',
    '',
    "# The run's HTTP file server (firmware images, log uploads) on the --listen host: 0 is any free",
    '# port; a lab behind a firewall fixes one.',
    'fileServer:',
    `  port: ${defaults.fileServer.port}`,
    '',
    '# One SUT runs a whole suite: between cases the harness restores it (restore), also resets it',
    '# (reset), or leaves it (none). beforeEach / afterEach list device actions, e.g. a power cycle.',
    'betweenCases:',
    `  mode: ${defaults.betweenCases.mode}`,
    '  beforeEach: []',
    '  afterEach: []',
    '',
    '# Device actions: how the harness makes things happen that OCPP cannot (docs/adapters.md).',
    '# Each action below asks an operator at the terminal (prompt). To automate one, replace its',
    '# prompt with the command or HTTP form shown above it.',
    'adapters:',
    '  default: { kind: prompt }',
    '  actions:',
    ...actions.flatMap((name) => actionStub(name)),
    '',
  ].join('\n');
}

/** One action's entry: what it asks for, its automated forms as comments, and the prompt that runs as written. */
function actionStub(name: StandardActionName): string[] {
  const action = STANDARD_ACTIONS[name];
  const params = action.params.filter((param) => param !== 'payload').slice(0, 3);
  const args = params.map((param) => `{{params.${param}}}`).join(' ');
  return [
    `    # ${name}${action.params.length > 0 ? ` (${action.params.slice(0, 3).join(', ')}${action.params.length > 3 ? ', ...' : ''})` : ''}: ${action.prompt.replace(/\{\{[#/][^}]*\}\}/g, '')}`,
    `    #   ${name}: { kind: command, commands: { ${name}: './lab/${name}.sh${args ? ` ${args}` : ''}' } }`,
    `    #   ${name}: { kind: http, baseUrl: 'http://DEVICE-API', requests: { ${name}: { method: POST, path: /${name}${params.length > 0 ? `, body: { ${params.map((param) => `${param}: '{{params.${param}}}'`).join(', ')} }` : ''} } } }`,
    `    ${name}: { kind: prompt }`,
  ];
}
