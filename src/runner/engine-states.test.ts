import { describe, expect, it } from 'vitest';
import type { Session } from '../session/index.js';
import { BOOT_REPLY, caseFile, harnessFindings, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { reasonOf } from './results.test-support.js';

// The step engine's reusable states: `use` with parameters and captures, a state opening an anyOf
// branch, preparations and nested states, and the steps repeated by forEach.

describe('step engine: reusable states', () => {
  it('use: runs a reusable state with parameters and keeps its captures', async () => {
    const root = writeTree({
      'ocpp2.0.1/states/cs/Authorized.yaml': `state: Authorized
ocpp: 2.0.1
sut: cs
description: the station authorizes a token
params:
  token: '{{config.idTokens.valid.idToken}}'
steps:
  - action: presentIdToken
    params: { idToken: '{{params.token}}' }
  - expect: Authorize
    match: { idToken: { idToken: '{{params.token}}' } }
    capture: { authorizedToken: idToken.idToken }
    reply: { idTokenInfo: { status: Accepted } }
`,
      'ocpp2.0.1/core/OH_USE_01_CS.yaml': caseFile('OH_USE_01_CS', `
  - use: Authorized
    with: { token: OTHER-TOKEN }
  - assert:
      some: { action: Authorize, match: { idToken: { idToken: '{{captured.authorizedToken}}' } } }
    checks: [R.1]
`),
    });
    const result = await runAgainstScript(root, {
      onAction: (name, params, station) => {
        if (name === 'presentIdToken') void station.call('Authorize', { idToken: { idToken: String(params['idToken']), type: 'ISO14443' } });
        return { status: 'done' };
      },
    });
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.steps.map((s) => s.index)).toEqual(['1', '1.1', '1.2', '2']);
    expect(harnessFindings(result)).toEqual([]);
  });


  it('when: a step or a preparation whose template does not render true is skipped, the rest runs', async () => {
    const root = writeTree({
      'ocpp2.0.1/states/cs/Told.yaml': `state: Told
ocpp: 2.0.1
sut: cs
description: the harness says something
params:
  text: hello
steps:
  - action: say
    params: { text: '{{params.text}}' }
`,
      'ocpp2.0.1/core/OH_WHEN_01_CS.yaml': caseFile('OH_WHEN_01_CS', `
  - action: say
    params: { text: profile-0 }
    when: '{{eq config.security.profile 0}}'
    checks: [R.1]
  - action: say
    params: { text: profile-1 }
    when: '{{eq config.security.profile 1}}'
`, `before:
  states:
    - { use: Told, with: { text: before-0 }, when: '{{eq config.security.profile 0}}' }
    - { use: Told, with: { text: before-1 }, when: '{{eq config.security.profile 1}}' }
`),
    });
    const said: unknown[] = [];
    const result = await runAgainstScript(root, { onAction: (_name, params) => (said.push(params['text']), { status: 'done' }) });
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(said).toEqual(['before-0', 'profile-0']);
    expect(result.cases[0]?.steps.filter((step) => step.status === 'skipped').map((step) => step.index)).toEqual(['before.2', '2']);
  });

  it('anyOf: a branch may open with a reusable state, whose first expect waits with the other branches', async () => {
    const root = writeTree({
      'ocpp2.0.1/states/cs/Rebooted.yaml': `state: Rebooted
ocpp: 2.0.1
sut: cs
description: the station says it reboots, then boots
params:
  requestId: 0
steps:
  - expect: FirmwareStatusNotification
    match: { status: InstallRebooting, requestId: '{{params.requestId}}' }
    reply: {}
  - expect: BootNotification
    reply: ${BOOT_REPLY}
`,
      'ocpp2.0.1/core/OH_ANY_02_CS.yaml': caseFile('OH_ANY_02_CS', `
  - action: install
  - anyOf:
      - - use: Rebooted
          with: { requestId: 7 }
        - expect: FirmwareStatusNotification
          match: { status: Installed }
          reply: {}
      - - expect: FirmwareStatusNotification
          match: { status: Installed }
          reply: {}
    checks: [R.1]
`),
    });
    const result = await runAgainstScript(root, {
      onAction: (_name, _params, station) => {
        void (async () => {
          // Another request's reboot does not open the state's branch: its pattern has the state's requestId.
          await station.call('FirmwareStatusNotification', { status: 'InstallRebooting', requestId: 6 });
          await station.call('FirmwareStatusNotification', { status: 'InstallRebooting', requestId: 7 });
          await station.call('BootNotification', { reason: 'FirmwareUpdate', chargingStation: { model: 'M', vendorName: 'V' } });
          await station.call('FirmwareStatusNotification', { status: 'Installed', requestId: 7 });
        })();
        return { status: 'done' };
      },
    });
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.steps[1]?.detail).toBe('branch 1 (state Rebooted: FirmwareStatusNotification)');
    expect(result.cases[0]?.steps.map((s) => s.index)).toEqual(['1', '2', '2.1.Rebooted.1', '2.1.1']);
  });

});

describe('preparations and nested states', () => {
  it('sets the configuration before reaching the states, and passes an outer state parameter to an inner one', async () => {
    const root = writeTree({
      'ocpp2.0.1/states/cs/Inner.yaml': `state: Inner
ocpp: 2.0.1
sut: cs
params: { value: default-inner }
steps:
  - send: DataTransfer
    payload: { vendorId: '{{params.value}}' }
`,
      'ocpp2.0.1/states/cs/Outer.yaml': `state: Outer
ocpp: 2.0.1
sut: cs
params: { outer: from-outer-default }
steps:
  - use: Inner
    with: { value: '{{params.outer}}' }
`,
      'ocpp2.0.1/core/OH_PREP_01_CS.yaml': caseFile('OH_PREP_01_CS', `
  - use: Outer
    with: { outer: given-by-case }
    checks: [R.1]
`, `before:
  states: [Inner]
  configuration:
    - { component: TxCtrlr, variable: TxStartPoint, value: PowerPathClosed }
    - { component: SampledDataCtrlr, variable: TxUpdatedInterval, value: '5' }
    - { component: OCPPCommCtrlr, variable: MessageAttempts, instance: TransactionEvent, value: '3' }
`),
    });
    const seen: Array<[string, unknown]> = [];
    const result = await runAgainstScript(root, {
      onCall: (call) => {
        seen.push([call.action, call.payload]);
        if (call.action === 'SetVariables') return { payload: { setVariableResult: (call.payload['setVariableData'] as Array<Record<string, unknown>>).map((d) => ({ attributeStatus: 'Accepted', component: d['component'], variable: d['variable'] })) } };
        return { payload: { status: 'UnknownVendorId' } };
      },
    });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(seen.map(([action]) => action)).toEqual(['SetVariables', 'DataTransfer', 'DataTransfer']);
    expect(seen[0]?.[1]).toMatchObject({ setVariableData: [{}, {}, { variable: { name: 'MessageAttempts', instance: 'TransactionEvent' } }] });
    expect(seen.slice(1).map(([, payload]) => (payload as { vendorId: string }).vendorId)).toEqual(['default-inner', 'given-by-case']);
  });
});

describe('use with forEach', () => {
  it('runs the state once per EVSE, the item visible to its parameters', async () => {
    const root = writeTree({
      'ocpp2.0.1/states/cs/Probe.yaml': `state: Probe
ocpp: 2.0.1
sut: cs
params: { evseId: 0, evse: null }
steps:
  - send: DataTransfer
    payload: { vendorId: 'evse-{{params.evseId}}', data: '{{optional params.evse}}' }
`,
      'ocpp2.0.1/core/OH_USEEACH_01_CS.yaml': caseFile('OH_USEEACH_01_CS', `
  - use: Probe
    forEach: evse
    with: { evseId: '{{item.evseId}}' }
    checks: [R.1]
`),
    });
    const vendors: unknown[] = [];
    const result = await runAgainstScript(root, {
      onCall: (call) => {
        vendors.push(call.payload);
        return { payload: { status: 'Accepted' } };
      },
    }, { config: { evses: [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }] } });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(vendors).toEqual([{ vendorId: 'evse-1' }, { vendorId: 'evse-2' }]);
    expect(result.cases[0]?.steps.map((s) => s.index)).toEqual(['1', '1.1.1', '1.2.1']);
  });
});

describe('forEach over a literal list', () => {
  it('runs the step once per element, as {{item}} or {{item.<field>}}, its templates rendered', async () => {
    const root = writeTree({
      'ocpp2.0.1/states/cs/Probe.yaml': `state: Probe
ocpp: 2.0.1
sut: cs
params: { vendor: x }
steps:
  - send: DataTransfer
    payload: { vendorId: '{{params.vendor}}' }
`,
      'ocpp2.0.1/core/OH_LIST_01_CS.yaml': caseFile('OH_LIST_01_CS', `
  - send: DataTransfer
    forEach: [{ vendor: A, data: one }, { vendor: B, data: '{{config.idTokens.valid.idToken}}' }]
    payload: { vendorId: '{{item.vendor}}', data: '{{item.data}}' }
    checks: [R.1]
  - send: DataTransfer
    forEach: [C, D]
    payload: { vendorId: '{{item}}' }
  - use: Probe
    forEach: [E, F]
    with: { vendor: '{{item}}' }
  - expect: DataTransfer
    forEach: [1, 2]
    reply: { status: Accepted }
`),
    });
    const sent: unknown[] = [];
    let station: Session | undefined;
    const result = await runAgainstScript(root, {
      onConnect: (connected) => {
        station = connected;
      },
      onCall: (call) => {
        sent.push(call.payload);
        // After the last DataTransfer, the two the station sends, which the last step waits for.
        if ((call.payload as { vendorId?: string }).vendorId === 'F') setImmediate(() => void station?.call('DataTransfer', { vendorId: 'S' }).then(() => station?.call('DataTransfer', { vendorId: 'S' })));
        return { payload: { status: 'Accepted' } };
      },
    }, { config: { idTokens: { valid: { idToken: 'TOKEN-1', type: 'ISO14443' } } } });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(sent).toEqual([
      { vendorId: 'A', data: 'one' }, { vendorId: 'B', data: 'TOKEN-1' }, { vendorId: 'C' }, { vendorId: 'D' }, { vendorId: 'E' }, { vendorId: 'F' },
    ]);
    expect(result.cases[0]?.steps.map((s) => s.index)).toEqual(['1', '2', '3', '3.1.1', '3.2.1', '4']);
  });
});
